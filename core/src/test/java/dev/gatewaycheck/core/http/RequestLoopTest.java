package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code REQUEST_LOOP_DETECTED}: a real nginx backend whose upstream is the gateway itself (an in-JVM server that
 * answers with CloudFront's headers, since CloudFront cannot run here), and a Via chain that repeats a hop.
 */
class RequestLoopTest {

    static Report check(String url, GatewayProfile p) {
        return GatewayCheck.forBackend(url).against(p).checks(Check.PROBE).timeout(Duration.ofSeconds(15)).run();
    }

    @Test
    void aBackendProxyingBackToCloudFrontCarriesItsFingerprint() throws Exception {
        try (FaultServer cloudFront = FaultServer.plain(FaultServer.respond(FaultServer.response(200, "OK",
                "cached page\n", "Server: CloudFront", "X-Cache: Miss from cloudfront",
                "Via: 1.1 0a1b2c3d4e5f.cloudfront.net (CloudFront)", "X-Amz-Cf-Id: q1w2e3r4t5==")));
             Nginx backend = Nginx.reverseProxy("proxy_pass " + cloudFront.url() + ";")) {
            Report r = check(backend.url().replaceAll("/$", ""), GatewayProfile.AWS_CLOUDFRONT);
            Finding f = Expect.finding(r, Cause.REQUEST_LOOP_DETECTED);
            assertEquals("X-Amz-Cf-Id: q1w2e3r4t5==, Via: 1.1 0a1b2c3d4e5f.cloudfront.net (CloudFront)",
                    Expect.evidence(f, "gatewayFingerprint"));
            assertEquals("200", Expect.evidence(f, "status"));
            assertEquals(502, f.gatewayStatus());
            // judged against another gateway, CloudFront's headers are no loop
            assertFalse(check(backend.url().replaceAll("/$", ""), GatewayProfile.NGINX)
                    .has(Cause.REQUEST_LOOP_DETECTED));
        }
    }

    @Test
    void aViaChainThatRepeatsAHopIsALoop() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(200, "OK", "ok\n",
                "Via: 1.1 edge-a, 1.1 app-tier", "Via: 1.1 edge-a")))) {
            Finding f = Expect.finding(check(s.url(), GatewayProfile.NGINX), Cause.REQUEST_LOOP_DETECTED);
            assertEquals("edge-a", Expect.evidence(f, "repeatedHop"));
            assertTrue(f.message().contains("passes edge-a twice"), f::message);
        }
    }

    @Test
    void aViaChainWithDistinctHopsIsNoLoop() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(200, "OK", "ok\n",
                "Via: 1.1 edge-a, 1.1 app-tier, 1.0 legacy")))) {
            Report r = check(s.url(), GatewayProfile.NGINX);
            assertFalse(r.has(Cause.REQUEST_LOOP_DETECTED), r::toString);
        }
    }
}
