package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.Category;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How long the keep-alive verdict takes against backends with idle timeouts of 1, 2 and 3 s, against gateways whose
 * idle timeout is shorter than the backend's, and against a backend that announces {@code Connection: close}: the
 * budget is min(backend idle, gateway idle) + 1 s, and immediate for {@code Connection: close}. Backends are
 * in-JVM fault servers on 127.0.0.1; each row is run {@code runs} times (default 3) after one warm-up run.
 *
 * <pre>{@code
 * mvn -q -pl api,core,examples -am package -DskipTests
 * java -cp "examples/target/classes:$(cat cp.txt)" dev.gatewaycheck.examples.bench.KeepAliveVerdictBench 3
 * }</pre>
 */
public final class KeepAliveVerdictBench {

    private record Scenario(String name, FaultServer.Behaviour backend, Duration backendIdle, Duration gatewayIdle) {
    }

    private KeepAliveVerdictBench() {
    }

    /** Runs the scenarios and prints the table; the optional argument is the number of runs per row. */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (runs < 1 || runs > 50) {
            throw new IllegalArgumentException("runs must be 1-50, got " + runs);
        }
        Duration sixty = Duration.ofSeconds(60);
        List<Scenario> scenarios = List.of(
                new Scenario("backend idle 1 s (FIN)", idle(1000), Duration.ofSeconds(1), sixty),
                new Scenario("backend idle 2 s (FIN)", idle(2000), Duration.ofSeconds(2), sixty),
                new Scenario("backend idle 3 s (FIN)", idle(3000), Duration.ofSeconds(3), sixty),
                new Scenario("backend idle 2 s (RST)", FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(2))
                        .resetOnIdle(), Duration.ofSeconds(2), sixty),
                new Scenario("backend idle 3 s, gateway 1 s", idle(3000), Duration.ofSeconds(3),
                        Duration.ofSeconds(1)),
                new Scenario("backend idle 3 s, gateway 2 s", idle(3000), Duration.ofSeconds(3),
                        Duration.ofSeconds(2)),
                new Scenario("Connection: close", FaultServer.keepAlive().connectionCloseAlways(), Duration.ZERO,
                        sixty));

        // warm-up: class loading and JIT of the whole path, not measured
        try (FaultServer warm = FaultServer.plain(FaultServer.keepAlive().connectionCloseAlways())) {
            GatewayCheck.forBackend(warm.url()).keepAlive().run();
        }
        System.out.println("Keep-alive verdict time, " + runs + " runs per row, loopback, Java "
                + Runtime.version().feature());
        System.out.printf(Locale.ROOT, "| %-31s | %-12s | %-12s | %-9s | %-16s | %-16s | %-7s | %-46s |%n",
                "scenario", "backend idle", "gateway idle", "observed", "verdict median", "verdict max",
                "budget", "finding");
        System.out.println("|" + "-".repeat(33) + "|" + "-".repeat(14) + "|" + "-".repeat(14) + "|"
                + "-".repeat(11) + "|" + "-".repeat(18) + "|" + "-".repeat(18) + "|" + "-".repeat(9) + "|"
                + "-".repeat(48) + "|");
        for (Scenario s : scenarios) {
            row(s, runs);
        }
    }

    private static FaultServer.Behaviour idle(int millis) {
        return FaultServer.keepAlive().idleTimeout(Duration.ofMillis(millis));
    }

    private static void row(Scenario s, int runs) {
        GatewayProfile profile = GatewayProfile.GENERIC.toBuilder().idleTimeout(s.gatewayIdle()).build();
        List<Long> verdicts = new ArrayList<>();
        String observed = "-";
        String finding = "none";
        try (FaultServer server = FaultServer.plain(s.backend())) {
            for (int i = 0; i < runs; i++) {
                Report r = GatewayCheck.forBackend(server.url()).against(profile).keepAlive()
                        .timeout(Duration.ofSeconds(30)).run();
                PhaseResult p = r.phase(Phase.KEEP_ALIVE).orElseThrow();
                verdicts.add(p.elapsed().toMillis());
                List<Finding> found = r.findings(Category.KEEPALIVE);
                if (!found.isEmpty()) {
                    Finding f = found.get(0);
                    finding = f.cause() + " (" + f.severity() + ")";
                    observed = f.evidence().get("observedIdleCloseSeconds").map(v -> v + "s").orElse(observed);
                } else if (p.status() != PhaseResult.Status.PASSED) {
                    finding = "skipped: " + p.reason();
                }
            }
        }
        Collections.sort(verdicts);
        long median = verdicts.get(verdicts.size() / 2);
        long max = verdicts.get(verdicts.size() - 1);
        Duration budget = s.backendIdle().isZero() ? Duration.ZERO
                : (s.backendIdle().compareTo(s.gatewayIdle()) < 0 ? s.backendIdle() : s.gatewayIdle())
                .plusSeconds(1);
        System.out.printf(Locale.ROOT, "| %-31s | %-12s | %-12s | %-9s | %13d ms | %13d ms | %-7s | %-46s |%n",
                s.name(), s.backendIdle().isZero() ? "-" : s.backendIdle().toSeconds() + " s",
                s.gatewayIdle().toSeconds() + " s", observed, median, max,
                budget.isZero() ? "at once" : budget.toSeconds() + " s", finding);
        // "at once" for Connection: close: within 100 ms, the time of an exchange on a loaded machine
        long limit = budget.isZero() ? 100 : budget.toMillis();
        Duration floor = s.backendIdle().isZero() ? Duration.ZERO
                : s.backendIdle().compareTo(s.gatewayIdle()) < 0 ? s.backendIdle() : s.gatewayIdle();
        Row.of("keep-alive verdict: " + s.name()
                        + " (max of " + runs + ")", max + " ms", floor.isZero() ? "-" : floor.toMillis() + " ms idle",
                floor.isZero() ? "-" : Row.ratio((double) max / floor.toMillis()),
                budget.isZero() ? "at once (<= 100 ms)" : "<= " + budget.toMillis() + " ms", max <= limit).print();
    }
}
