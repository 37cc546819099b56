package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.time.Duration;
import java.util.Locale;

/**
 * The budget "a full check (all checks) of a healthy backend: at most the profile's idle timeout + 1 s": a real
 * nginx serving TLS with its default {@code keepalive_timeout 75s}, checked against {@link GatewayProfile#GENERIC}
 * (idle timeout 60 s), so the keep-alive watch, the floor, lasts the gateway's 60 s and every other phase must fit
 * beside it. One warm-up check of the quick phases first (class loading), then one measured full check.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.FullCheckBench
 * }</pre>
 */
public final class FullCheckBench {

    private FullCheckBench() {
    }

    public static void main(String[] args) throws Exception {
        GatewayProfile profile = GatewayProfile.GENERIC;
        Duration floor = profile.idleTimeout();
        if (!Nginx.installed()) {
            new Row("full check of a healthy nginx", "not measured", "nginx is not installed", "-",
                    "<= idle + 1 s", "MISSED").print();
            return;
        }
        Held ca = TestCertificates.ca("Bench Root CA").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        try (Nginx nginx = Nginx.serving(leaf, ca)) {
            GatewayCheck check = GatewayCheck.forBackend(nginx.url()).trusting(ca.certificate()).against(profile);
            check.tls().probe().run();   // warm-up of the quick phases
            long t0 = System.nanoTime();
            Report r = check.timeout(floor.plusSeconds(30)).run();
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "full check of %s (nginx pid %d, keepalive_timeout 75s) against %s: "
                    + "%.3f s wall, healthy=%s, %d findings%n", nginx.url(), nginx.pid(), profile.name(), wall,
                    r.isHealthy(), r.findings().size());
            for (PhaseResult p : r.phases()) {
                System.out.printf(Locale.ROOT, "  %-10s %-14s %8.3f s %s%n", p.phase(), p.status(),
                        p.elapsed().toNanos() / 1e9, p.reason());
            }
            if (!r.isHealthy() || !r.findings().isEmpty()) {
                System.out.println(r);
            }
            double budget = floor.toSeconds() + 1.0;
            Row.of("full check (all checks) of a healthy nginx, gateway idle " + floor.toSeconds() + " s",
                    Row.s(wall), Row.s(floor.toSeconds()) + " idle", Row.ratio(wall / floor.toSeconds()),
                    String.format(Locale.ROOT, "<= %.0f s", budget),
                    wall <= budget && r.isHealthy() && r.findings().isEmpty()).print();
        }
    }
}
