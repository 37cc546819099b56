package dev.gatewaycheck.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.KeepAliveCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keep-alive check against a real Apache httpd and a real nginx (Debian packages) on 127.0.0.1. */
class RealServerKeepAliveTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void apacheWithKeepAliveTimeout2IsShorterThanTheGatewaysIdleTimeout() throws Exception {
        try (RealServer apache = RealServer.apache("KeepAlive On\nKeepAliveTimeout 2\nMaxKeepAliveRequests 100")) {
            Report r = GatewayCheck.forBackend(apache.url()).withPath("/index.html").keepAlive()
                    .timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            double observed = IdleCloseCheckTest.seconds(Expect.evidence(f, "observedIdleCloseSeconds"));
            assertEquals(2.0, observed, 0.5, () -> r + "\n" + f.evidence() + "\n" + apache.log());
            assertEquals("FIN", Expect.evidence(f, "closeKind"));
            assertEquals("60", Expect.evidence(f, "gatewayIdleTimeoutSeconds"));
            assertEquals("KeepAliveTimeout 90", Expect.evidence(f, "recommendedApache"));
            assertFalse(r.has(Cause.KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED), r::toString);
            assertFalse(r.has(Cause.KEEPALIVE_UNANNOUNCED_CLOSE), r::toString);
        }
    }

    @Test
    void apacheCloseRaceIsReproduced() throws Exception {
        try (RealServer apache = RealServer.apache("KeepAlive On\nKeepAliveTimeout 1")) {
            Report r = GatewayCheck.forBackend(apache.url()).withPath("/index.html")
                    .keepAlive(KeepAliveCheck.reproduceRace()).timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            assertEquals("true", Expect.evidence(f, "raceReproduced"), () -> f.evidence() + "\n" + apache.log());
        }
    }

    @Test
    void apacheAgainstAGatewayWithAShorterIdleTimeoutIsFine() throws Exception {
        GatewayProfile oneSecond = GatewayProfile.GENERIC.toBuilder().idleTimeout(Duration.ofSeconds(1)).build();
        try (RealServer apache = RealServer.apache("KeepAlive On\nKeepAliveTimeout 3")) {
            Report r = GatewayCheck.forBackend(apache.url()).withPath("/index.html").against(oneSecond).keepAlive()
                    .timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            assertTrue(r.findings().isEmpty(), r::toString);
        }
    }

    @Test
    void nginxWithKeepAliveTimeout0IsDisabledKeepAliveInfoAndNoError() throws Exception {
        try (Nginx nginx = Nginx.plain("keepalive_timeout 0;")) {
            Report r = GatewayCheck.forBackend(nginx.url()).keepAlive().timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.INFO);
            assertEquals("close", Expect.evidence(f, "connectionHeader"));
            Expect.noErrorOrWarning(r);
            assertTrue(r.phase(dev.gatewaycheck.Phase.KEEP_ALIVE).orElseThrow().elapsed()
                    .compareTo(Duration.ofSeconds(1)) < 0, r::toString);
        }
    }

    @Test
    void nginxWithKeepAliveTimeout2sIsShorterThanTheGatewaysIdleTimeout() throws Exception {
        try (Nginx nginx = Nginx.plain("keepalive_timeout 2s;")) {
            Report r = GatewayCheck.forBackend(nginx.url()).keepAlive().timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            assertEquals(2.0, IdleCloseCheckTest.seconds(Expect.evidence(f, "observedIdleCloseSeconds")), 0.5,
                    () -> r + "\n" + nginx.log());
            assertEquals("keepalive_timeout 90s;", Expect.evidence(f, "recommendedNginx"));
        }
    }
}
