package dev.gatewaycheck.core.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.FrontendReport.Hop;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FakeFrontDoor;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RefusedPort;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.RequestHead;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which hop answered the 502: a real nginx in front, and in-JVM front doors that answer like the clouds. */
class FrontDoorTest {

    static Finding frontFinding(FrontendReport r, Cause cause) {
        Finding f = r.finding(cause).orElseThrow(() -> new AssertionError("Expecting a " + cause
                + " finding but the front-door report was:\n" + r));
        Expect.record(cause);
        return f;
    }

    static String deadPort() {
        return RefusedPort.url();
    }

    @Test
    void nginxDefaultErrorPageIsIdentifiedAndTheDeadBackendIsTheFaultyHop() throws Exception {
        String dead = deadPort();
        try (Nginx nginx = Nginx.reverseProxy("proxy_pass " + dead + "; proxy_connect_timeout 2s;")) {
            FrontendReport r = GatewayCheck.forFrontend(nginx.url()).withBackends(dead)
                    .timeout(Duration.ofSeconds(15)).run();
            ReportSchema.valid(r);
            Finding f = frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(502, r.status(), () -> r + "\n" + nginx.log());
            assertEquals("nginx", r.product());
            assertEquals("nginx", Expect.evidence(f, "product"));
            assertTrue(Expect.evidence(f, "fingerprint").contains("<center>nginx"), f::toString);
            assertEquals(502, f.gatewayStatus());
            assertEquals("nginx proxy_pass (defaults)", r.profile());
            assertEquals(Hop.BACKEND, r.faultyHop(), r::toString);
            Expect.finding(r.backends().get(0), Cause.CONNECTION_REFUSED);
            assertTrue(r.verdict().contains("CONNECTION_REFUSED"), r::verdict);
        }
    }

    @Test
    void healthyBackendsBehindAFailingNginxPutTheFaultOnTheFrontDoor() throws Exception {
        String dead = deadPort();
        try (FaultServer backend = FaultServer.plain(FaultServer.ok());
             Nginx nginx = Nginx.reverseProxy("proxy_pass " + dead + "; proxy_connect_timeout 2s;")) {
            FrontendReport r = GatewayCheck.forFrontend(nginx.url()).withBackends(backend.url()).run();
            ReportSchema.valid(r);
            frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(Hop.FRONT_DOOR, r.faultyHop(), r::toString);
            assertTrue(r.backends().get(0).isHealthy(), r::toString);
            assertTrue(r.verdict().contains("front door's own configuration"), r::verdict);
        }
    }

    @Test
    void aWorkingNginxIsNoGatewayError() throws Exception {
        try (FaultServer backend = FaultServer.plain(FaultServer.ok());
             Nginx nginx = Nginx.reverseProxy("proxy_pass " + backend.url() + ";")) {
            FrontendReport r = GatewayCheck.forFrontend(nginx.url()).run();
            ReportSchema.valid(r);
            assertEquals(200, r.status(), () -> r + "\n" + nginx.log());
            assertEquals(Hop.NONE, r.faultyHop());
            assertTrue(r.findings().isEmpty(), r::toString);
            assertTrue(r.isHealthy());
        }
    }

    @ParameterizedTest
    @EnumSource(FakeFrontDoor.Product.class)
    void cloudFrontDoorsAreToldApartByTheirFingerprint(FakeFrontDoor.Product product) {
        String dead = deadPort();
        int port = Integer.parseInt(dead.substring(dead.lastIndexOf(':') + 1));
        try (FaultServer front = FakeFrontDoor.start(product, port)) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).run();
            ReportSchema.valid(r);
            Finding f = frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(Hop.UNDETERMINED, r.faultyHop(), r::toString);
            switch (product) {
                case CLOUDFRONT:
                    assertEquals("AWS CloudFront", r.product());
                    assertEquals("X-Cache: Error from cloudfront", Expect.evidence(f, "fingerprint"));
                    assertEquals("AWS CloudFront (custom origin)", r.profile());
                    break;
                case ALB:
                    assertEquals("AWS Application Load Balancer", r.product());
                    assertEquals("Server: awselb/2.0", Expect.evidence(f, "fingerprint"));
                    break;
                case CLOUDFLARE:
                    assertEquals("Cloudflare", r.product());
                    assertEquals(521, r.status());
                    assertEquals(521, f.gatewayStatus());
                    assertEquals("8a1b2c3d4e5f6789-FRA", Expect.evidence(f, "cfRay"));
                    break;
                default:
                    assertEquals("Azure Application Gateway v2", r.product());
                    assertEquals("Azure Application Gateway v2", r.profile());
            }
        }
    }

    @Test
    void seed003BypassesCloudFrontWithTheSameHostAndFindsTheBackendsFault() {
        Set<String> hostsSeen = ConcurrentHashMap.newKeySet();
        try (FaultServer backend = FaultServer.plain(c -> {
            String h = c.readRequest();
            // HTTP requests only: a TLS ClientHello (the check asking whether the port speaks TLS) has no Host
            if (h != null && h.startsWith("GET ")) {
                hostsSeen.add(RequestHead.parse(h).host());
            }
            c.reset();
        }); FaultServer front = FakeFrontDoor.start(FakeFrontDoor.Product.CLOUDFRONT, backend.port())) {
            NameResolver dns = NameResolver.staticMap(Map.of("shop.example.test", List.of("127.0.0.1")));
            FrontendReport r = GatewayCheck.forFrontend("http://shop.example.test:" + front.port() + "/cart")
                    .withBackends(backend.url()).resolvingWith(dns).run();
            ReportSchema.valid(r);
            frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(Hop.BACKEND, r.faultyHop(), r::toString);
            Report direct = r.backends().get(0);
            ReportSchema.valid(direct);
            assertEquals("shop.example.test", direct.host());
            Expect.finding(direct, Cause.BACKEND_RESET_CONNECTION);
            assertEquals(Set.of("shop.example.test"), hostsSeen, "every hop must carry the front door's Host");
            assertTrue(r.toJson().contains("\"faultyHop\":\"BACKEND\""), r::toJson);
        }
    }

    @Test
    void anErrorWithoutAFrontDoorFingerprintIsPassedOnFromBehind() {
        try (FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad Gateway",
                "upstream said no\n", "Server: gunicorn")))) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).run();
            ReportSchema.valid(r);
            Finding f = frontFinding(r, Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertEquals("gunicorn", Expect.evidence(f, "server"));
            assertEquals("", r.product());
            assertFalse(r.has(Cause.FRONTEND_GATEWAY_ERROR));
        }
    }

    @Test
    void anUnreachableFrontDoorIsTheFaultyHop() {
        FrontendReport r = GatewayCheck.forFrontend(deadPort()).run();
        ReportSchema.valid(r);
        frontFinding(r, Cause.CONNECTION_REFUSED);
        assertEquals(Hop.FRONT_DOOR, r.faultyHop(), r::toString);
        assertEquals(0, r.status());
    }

    @Test
    void theFrontDoorStartsByItsBackendsClock() {
        java.time.Instant at = java.time.Instant.parse("2030-01-02T03:04:05Z");
        dev.gatewaycheck.spi.CheckPlan backend = GatewayCheck.forBackend("http://127.0.0.1:8080")
                .withClock(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)).plan();
        // the backend's check answers at once, without the network; the front door's port refuses
        dev.gatewaycheck.spi.CheckEngine healthy = plan -> new Report(plan.backend().toString(), plan.host(),
                "generic", plan.clock().instant(), new dev.gatewaycheck.Timings(null, null, null, null,
                Duration.ZERO), plan.checks(), List.of(), List.of(), true);
        FrontendReport r = ReportSchema.valid(FrontDoor.run(healthy,
                new dev.gatewaycheck.spi.FrontendPlan(java.net.URI.create(deadPort()), List.of(backend), null,
                        Duration.ofSeconds(5), NameResolver.system())));
        assertEquals(at, r.startedAt(), r::toString);
        assertEquals(Hop.FRONT_DOOR, r.faultyHop(), r::toString);
    }

    @Test
    void backendChecksCutShortByTheDeadlineLeaveTheHopUndetermined() {
        // an ALB-like front door answers 502 at once; the backend accepts and never answers
        try (FaultServer backend = FaultServer.plain(FaultServer.neverAnswer());
             FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad Gateway",
                     "<html><center>502 Bad Gateway</center></html>", "Server: awselb/2.0")))) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).withBackends(java.net.URI.create(backend.url()))
                    .timeout(java.time.Duration.ofSeconds(2)).run();
            ReportSchema.valid(r);
            frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(Hop.UNDETERMINED, r.faultyHop(), r::toString);
            assertTrue(r.verdict().contains("cut short"), r::toString);
        }
    }

    @Test
    void aVerifyingNginxInFrontOfAnExpiredCertificateNamesTheCertificate() throws Exception {
        dev.gatewaycheck.testkit.TestCertificates.Held root =
                dev.gatewaycheck.testkit.TestCertificates.ca("Front Door Test Root").build();
        dev.gatewaycheck.testkit.TestCertificates.Held leaf =
                dev.gatewaycheck.testkit.TestCertificates.leaf("127.0.0.1", root).expired().build();
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("front-door-ca", ".pem");
        dev.gatewaycheck.testkit.TestCertificates.writePem(ca, root.certificate());
        try (FaultServer backend = FaultServer.tls(dev.gatewaycheck.testkit.TestCertificates.serving(
                leaf.privateKey(), leaf.certificate()), FaultServer.ok());
             Nginx nginx = Nginx.reverseProxy("proxy_pass " + backend.url() + "; proxy_ssl_verify on; "
                     + "proxy_ssl_trusted_certificate " + ca + ";")) {
            FrontendReport r = GatewayCheck.forFrontend(nginx.url()).withBackends(java.net.URI.create(backend.url()))
                    .timeout(Duration.ofSeconds(15)).run();
            ReportSchema.valid(r);
            frontFinding(r, Cause.FRONTEND_GATEWAY_ERROR);
            assertEquals(502, r.status(), () -> r + "\n" + nginx.log());
            assertTrue(nginx.log().contains("certificate has expired"), nginx::log);
            assertEquals(Hop.UNDETERMINED, r.faultyHop(), r::toString);
            assertTrue(r.verdict().contains("TLS_CERT_EXPIRED") && r.verdict().contains("validates backend "
                    + "certificates"), r::verdict);
        } finally {
            java.nio.file.Files.deleteIfExists(ca);
        }
    }

    @Test
    void aHealthyPrivateCaBackendIsHealthyWhenTheFrontDoorsRootIsTrusted() throws Exception {
        dev.gatewaycheck.testkit.TestCertificates.Held root =
                dev.gatewaycheck.testkit.TestCertificates.ca("Private Front Door Root").build();
        dev.gatewaycheck.testkit.TestCertificates.Held leaf =
                dev.gatewaycheck.testkit.TestCertificates.leaf("127.0.0.1", root).ipSans("127.0.0.1").build();
        String dead = deadPort();
        try (FaultServer backend = FaultServer.tls(dev.gatewaycheck.testkit.TestCertificates.serving(
                leaf.privateKey(), leaf.certificate()), FaultServer.ok());
             Nginx nginx = Nginx.reverseProxy("proxy_pass " + dead + "; proxy_connect_timeout 2s;")) {
            FrontendReport untrusted = GatewayCheck.forFrontend(nginx.url()).withBackends(backend.url()).run();
            ReportSchema.valid(untrusted);
            assertTrue(untrusted.backends().get(0).has(Cause.TLS_CERT_UNTRUSTED_CA), untrusted::toString);
            FrontendReport r = GatewayCheck.forFrontend(nginx.url()).withBackends(backend.url())
                    .trusting(root.certificate()).run();
            ReportSchema.valid(r);
            assertFalse(r.backends().get(0).has(Cause.TLS_CERT_UNTRUSTED_CA), r::toString);
            assertEquals(Hop.FRONT_DOOR, r.faultyHop(), r::toString);
        }
    }

    /**
     * {@code withClock} reaches every backend's certificate dates and starts the report; without backends the report
     * starts by it too.
     */
    @Test
    void withClockJudgesTheBackendsCertificateDatesAndStartsTheReport() {
        dev.gatewaycheck.testkit.TestCertificates.LoopbackPki pki = dev.gatewaycheck.testkit.TestCertificates
                .loopbackPki("Front Clock Root");
        java.time.Clock fixed = pki.dayAfterExpiry();
        java.time.Instant later = fixed.instant();
        try (FaultServer backend = FaultServer.tls(pki.serving(), FaultServer.ok())) {
            FrontendReport r = ReportSchema.valid(GatewayCheck.forFrontend(deadPort())
                    .withBackends(java.net.URI.create(backend.url())).trusting(pki.ca().certificate())
                    .timeout(Duration.ofSeconds(15)).withClock(fixed).run());
            assertEquals(later, r.startedAt(), r::toString);
            assertEquals(1, r.backends().size(), r::toString);
            assertEquals(later, r.backends().get(0).startedAt(), r::toString);
            Expect.finding(r.backends().get(0), Cause.TLS_CERT_EXPIRED);
        }
        assertEquals(later, GatewayCheck.forFrontend(deadPort()).withClock(fixed).run().startedAt());
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> GatewayCheck.forFrontend(deadPort()).withClock(null));
    }
}
