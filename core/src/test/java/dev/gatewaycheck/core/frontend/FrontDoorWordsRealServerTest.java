package dev.gatewaycheck.core.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.FrontendReport.Hop;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.core.judge.FrontDoorWords;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Haproxy;
import dev.gatewaycheck.testkit.Nginx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The front door's words end to end: real nginx and HAProxy (Debian packages) answering their own errors, and
 * recorded CloudFront and Envoy answers replayed by an in-JVM server (Envoy is not packaged in Debian; CloudFront
 * cannot run here). Each asserts the cause ids the words name and the evidence that carries them.
 */
class FrontDoorWordsRealServerTest {

    static String deadPort() {
        return FrontDoorTest.deadPort();
    }

    static int portOf(String url) {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    @Test
    void haproxysNoServerPageNamesTheConnectFailuresAndTheDeadBackendConfirmsOne() throws Exception {
        String dead = deadPort();
        try (Haproxy front = Haproxy.reverseProxy("", "server s1 127.0.0.1:" + portOf(dead))) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).withBackends(dead)
                    .timeout(Duration.ofSeconds(15)).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(503, r.status(), () -> r + "\n" + front.log());
            assertEquals("HAProxy", r.product());
            assertEquals("ALL_BACKENDS_UNHEALTHY, EMPTY_BACKEND_POOL, CONNECTION_REFUSED, CONNECT_TIMEOUT",
                    Expect.evidence(f, "namedCauses"));
            assertEquals("503 No server is available to handle this request.", Expect.evidence(f, "frontDoorSays"));
            assertEquals(FrontDoorWords.HAPROXY, Expect.evidence(f, "source"));
            assertEquals(Hop.BACKEND, r.faultyHop(), r::toString);
            assertTrue(r.verdict().contains("CONNECTION_REFUSED when asked directly") && r.verdict().contains("which is what HAProxy says"), r::verdict);
        }
    }

    @Test
    void haproxyWithAnEmptyBackendSaysTheSame() throws Exception {
        try (Haproxy front = Haproxy.reverseProxy("")) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(503, r.status(), () -> r + "\n" + front.log());
            assertTrue(Expect.evidence(f, "namedCauses").contains("EMPTY_BACKEND_POOL"), f::toString);
            assertEquals(Hop.UNDETERMINED, r.faultyHop());
            assertTrue(r.verdict().contains("saying '503 No server is available"), r::verdict);
        }
    }

    @Test
    void haproxys502PageNamesAnInvalidResponse() throws Exception {
        try (FaultServer backend = FaultServer.plain(c -> {
            c.readRequest();
            c.write("SSH-2.0-OpenSSH_9.2\r\n");
        }); Haproxy front = Haproxy.reverseProxy("", "server s1 127.0.0.1:" + backend.port())) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(502, r.status(), () -> r + "\n" + front.log());
            assertEquals("BACKEND_CLOSED_WITHOUT_RESPONSE, BACKEND_RESET_CONNECTION, MALFORMED_STATUS_LINE, "
                    + "INVALID_RESPONSE_HEADER, CONFLICTING_FRAMING_HEADERS", Expect.evidence(f, "namedCauses"));
        }
    }

    @Test
    void haproxys504PageNamesTheResponseTimeout() throws Exception {
        try (FaultServer backend = FaultServer.plain(FaultServer.neverAnswer());
             Haproxy front = Haproxy.reverseProxy("timeout server 1s", "server s1 127.0.0.1:" + backend.port())) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).timeout(Duration.ofSeconds(15)).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(504, r.status(), () -> r + "\n" + front.log());
            assertEquals("RESPONSE_TIMEOUT", Expect.evidence(f, "namedCauses"));
            assertEquals("504 The server didn't respond in time.", Expect.evidence(f, "frontDoorSays"));
        }
    }

    @Test
    void nginxs504NamesTheTimeouts() throws Exception {
        try (FaultServer backend = FaultServer.plain(FaultServer.neverAnswer());
             Nginx front = Nginx.reverseProxy("proxy_pass " + backend.url() + "; proxy_read_timeout 1s;")) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).timeout(Duration.ofSeconds(15)).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(504, r.status(), () -> r + "\n" + front.log());
            assertEquals("CONNECT_TIMEOUT, RESPONSE_TIMEOUT, TLS_HANDSHAKE_TIMEOUT", Expect.evidence(f, "namedCauses"));
            assertEquals(FrontDoorWords.NGINX, Expect.evidence(f, "source"));
            assertTrue(front.log().contains("upstream timed out"), front::log);
        }
    }

    @Test
    void nginxs502NamesNothingAndNothingIsGuessed() throws Exception {
        String dead = deadPort();
        try (Nginx front = Nginx.reverseProxy("proxy_pass " + dead + "; proxy_connect_timeout 2s;")) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).timeout(Duration.ofSeconds(15)).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(502, r.status(), () -> r + "\n" + front.log());
            assertEquals("nginx", r.product());
            assertTrue(f.message().endsWith("the hop behind it failed"), f::message);
            assertFalse(f.evidence().has("namedCauses"), f::toString);
            assertFalse(f.evidence().has("frontDoorSays"), f::toString);
            assertEquals(1, r.findings().size(), r::toString);
        }
    }

    @Test
    void cloudFrontsLambdaPageIsAnEdgeFunctionErrorAtTheFrontDoor() {
        // recorded at https://github.com/Xray-App/xray-code-snippets/issues/9
        String page = FrontDoorWordsTest.cloudFrontPage(503, "The Lambda function associated with the CloudFront "
                + "distribution is invalid or doesn't have the required permissions.");
        try (FaultServer backend = FaultServer.plain(FaultServer.ok());
             FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(503,
                     "Service Unavailable", page, "Server: CloudFront", "X-Cache: Error from cloudfront",
                     "Via: 1.1 0a1b2c3d.cloudfront.net (CloudFront)")))) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).withBackends(backend.url()).run();
            Finding edge = FrontDoorTest.frontFinding(r, Cause.EDGE_FUNCTION_ERROR);
            FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(503, edge.gatewayStatus());
            assertEquals("EDGE_FUNCTION_ERROR", Expect.evidence(edge, "namedCauses"));
            assertEquals(FrontDoorWords.CLOUDFRONT_LAMBDA, Expect.evidence(edge, "source"));
            assertEquals(Hop.FRONT_DOOR, r.faultyHop(), r::toString);
            assertTrue(r.verdict().contains("names the cause itself, EDGE_FUNCTION_ERROR"), r::verdict);
            assertTrue(r.backends().get(0).isHealthy(), r::toString);
        }
    }

    @Test
    void envoysOverflowIsTheGatewaysOwnLimit() {
        // recorded at https://github.com/ProletRevDicta/Prolet/issues/1131; headers as Envoy writes a local reply
        try (FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(503,
                "Service Unavailable", "upstream connect error or disconnect/reset before headers. reset reason: "
                        + "overflow", "content-type: text/plain", "server: envoy")))) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).run();
            Finding own = FrontDoorTest.frontFinding(r, Cause.GATEWAY_INTERNAL_TRANSIENT);
            assertTrue(own.message().contains("circuit breaker"), own::message);
            assertEquals("Envoy", r.product());
            assertEquals(Hop.FRONT_DOOR, r.faultyHop(), r::toString);
        }
    }

    @Test
    void envoysRefusedConnectionIsConfirmedByTheBackend() {
        // recorded at https://github.com/ygalblum/quadlet-demo/issues/8
        String dead = deadPort();
        try (FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(503,
                "Service Unavailable", "upstream connect error or disconnect/reset before headers. reset reason: "
                        + "connection failure, transport failure reason: delayed connect error: 111",
                "content-type: text/plain", "server: envoy")))) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).withBackends(dead).run();
            Finding f = FrontDoorTest.frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals("CONNECTION_REFUSED", Expect.evidence(f, "namedCauses"));
            assertFalse(r.has(Cause.GATEWAY_INTERNAL_TRANSIENT));
            assertEquals(Hop.BACKEND, r.faultyHop(), r::toString);
            assertTrue(r.verdict().contains("which is what Envoy says"), r::verdict);
        }
    }
}
