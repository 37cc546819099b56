package dev.gatewaycheck.core.verdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.core.keepalive.RealServer;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.OldTlsServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, numbered cases 1-5, 7, 13 and 15, and the rule that the run's own deadline is never evidence against
 * the backend: each against a real loopback server (in-JVM fault servers, a real nginx, a JSSE server that speaks
 * only TLS 1.0/1.1 in a child JVM).
 */
class EngineCasesTest {

    // ---- 1: judged by traffic, not only by the probe ----------------------------------------------------------

    @Test
    void case01ABackendFailingOneConnectionInThreeIsAnErrorWithItsShare() {
        try (FaultServer s = FaultServer.plain(c -> {
            if (c.index() % 3 == 2) {
                c.readRequest();
                c.reset();
                return;
            }
            FaultServer.ok().handle(c);
        })) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(20)).run();
            Finding f = Expect.finding(r, Cause.BACKEND_RESET_CONNECTION, Severity.ERROR);
            assertEquals("6", Expect.evidence(f, "attempts"), f::toString);
            assertEquals("2", Expect.evidence(f, "failed"), f::toString);
            assertEquals("0.33", Expect.evidence(f, "failureShare"), f::toString);
            assertEquals(2, Expect.evidence(f, "outcomes").split("BACKEND_RESET_CONNECTION", -1).length - 1);
            assertTrue(f.message().contains("about 33% of requests"), f::message);
            assertEquals(502, f.gatewayStatus());
            assertFalse(r.isHealthy(), r::toString);
            // the probe's flapping view stays a separate finding
            Expect.finding(r, Cause.PROBE_INTERMITTENT_FAILURE);
        }
    }

    @Test
    void case01ABackendReturningItsOwn502ToSomeRequestsIsAnErrorWithItsShare() {
        try (FaultServer s = FaultServer.plain(c -> {
            String answer = c.index() % 3 == 1 ? FaultServer.response(502, "Bad Gateway", "upstream down")
                    : FaultServer.okResponse("fine");
            while (c.readRequest() != null) {
                c.write(answer);
            }
        })) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(20)).run();
            Finding f = Expect.finding(r, Cause.BACKEND_RETURNED_GATEWAY_ERROR, Severity.ERROR);
            assertEquals("0.33", Expect.evidence(f, "failureShare"), f::toString);
            assertEquals("502", Expect.evidence(f, "status"), f::toString);
            assertFalse(r.isHealthy());
        }
    }

    @Test
    void case01ABackendTimingOutOneConnectionInThreeIsAnErrorWithItsShare() {
        GatewayProfile oneSecond = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(1)).build();
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        try (FaultServer s = FaultServer.plain(c -> {
            // one request in three is never answered (the engine's connect check sends none)
            while (c.readRequest() != null) {
                if (requests.getAndIncrement() % 3 == 2) {
                    c.hold(Duration.ofSeconds(20));
                    return;
                }
                c.write(FaultServer.okResponse("fine"));
            }
        })) {
            Report r = GatewayCheck.forBackend(s.url()).against(oneSecond).checks(Check.PROBE)
                    .timeout(Duration.ofSeconds(15)).run();
            Finding f = Expect.finding(r, Cause.RESPONSE_TIMEOUT, Severity.ERROR);
            // the series stops at the first timeout: two answered, the third timed out
            assertEquals("3", Expect.evidence(f, "attempts"), f::toString);
            assertEquals("1", Expect.evidence(f, "failed"), f::toString);
            assertEquals("0.33", Expect.evidence(f, "failureShare"), f::toString);
            assertFalse(r.isHealthy(), r::toString);
        }
    }

    @Test
    void case01AHealthyBackendStaysHealthy() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isHealthy(), r::toString);
            assertTrue(r.findings().isEmpty(), r::toString);
            assertTrue(s.accepted() >= 6, () -> "connections: " + s.accepted());
        }
    }

    // ---- 2: plain HTTP to a TLS port that answers with an error page ------------------------------------------

    @Test
    void case02PlainHttpToNginxTlsPortIsProtocolPortMismatch() throws Exception {
        Held leaf = TestCertificates.leaf("localhost", null).build();
        try (Nginx nginx = Nginx.serving(leaf)) {
            String plain = "http://127.0.0.1:" + nginx.port() + "/";
            Report r = GatewayCheck.forBackend(plain).checks(Check.PROBE).timeout(Duration.ofSeconds(20)).run();
            Finding f = Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH, Severity.ERROR);
            assertEquals("https", Expect.evidence(f, "portSpeaks"), f::toString);
            assertEquals("400", Expect.evidence(f, "status"), f::toString);
            assertEquals("the plain http request was sent to https port", Expect.evidence(f, "page"), f::toString);
            assertFalse(r.has(Cause.PROBE_STATUS_MISMATCH), r::toString);
        }
    }

    @Test
    void case02PlainHttpToApacheTlsPortIsProtocolPortMismatch(@TempDir Path dir) throws Exception {
        Held leaf = TestCertificates.leaf("localhost", null).build();
        Path cert = TestCertificates.writePem(dir.resolve("cert.pem"), leaf.certificate());
        Path key = TestCertificates.writeKeyPem(dir.resolve("key.pem"), leaf.privateKey());
        try (RealServer apache = RealServer.apache("LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\n"
                + "SSLEngine on\nSSLCertificateFile \"" + cert + "\"\nSSLCertificateKeyFile \"" + key + "\"")) {
            // RealServer.url() is http://: plain HTTP to Apache's TLS port
            Report r = GatewayCheck.forBackend(apache.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(20))
                    .run();
            Finding f = Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH, Severity.ERROR);
            assertEquals("https", Expect.evidence(f, "portSpeaks"), () -> f + "\n" + apache.log());
            assertEquals("speaking plain http to an ssl-enabled server port", Expect.evidence(f, "page"),
                    f::toString);
            assertFalse(r.has(Cause.PROBE_STATUS_MISMATCH), r::toString);
        }
    }

    // ---- 3: a slow but steady body; a stall measured from the last byte ---------------------------------------

    private static FaultServer.Behaviour trickle(int total, int step, Duration every, int stopAfter) {
        return c -> {
            while (c.readRequest() != null) {
                c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + total + "\r\n\r\n");
                for (int sent = 0; sent < total; sent += step) {
                    if (sent >= stopAfter) {
                        c.hold(Duration.ofSeconds(30));
                        return;
                    }
                    c.write("x".repeat(Math.min(step, total - sent)));
                    Thread.sleep(every.toMillis());
                }
            }
        };
    }

    @Test
    void case03ABodyArrivingSlowlyButSteadilyIsHealthy() {
        try (FaultServer s = FaultServer.plain(trickle(300, 10, Duration.ofMillis(100), Integer.MAX_VALUE))) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).run();
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
            assertFalse(r.has(Cause.RESPONSE_TIMEOUT), r::toString);
            assertTrue(r.complete(), r::toString);
            assertTrue(r.isHealthy(), r::toString);
        }
    }

    @Test
    void case03AStallIsMeasuredFromTheLastByte() {
        GatewayProfile oneSecond = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(1)).build();
        // 100 of 300 bytes over about one second, then nothing: the gateway times out one read timeout later
        try (FaultServer s = FaultServer.plain(trickle(300, 10, Duration.ofMillis(100), 100))) {
            Report r = GatewayCheck.forBackend(s.url()).against(oneSecond).checks(Check.PROBE)
                    .timeout(Duration.ofSeconds(10)).run();
            Finding f = Expect.finding(r, Cause.CONTENT_LENGTH_MISMATCH);
            assertEquals("100", Expect.evidence(f, "bytesReceived"), f::toString);
            double stalled = Double.parseDouble(Expect.evidence(f, "stalledForSeconds"));
            // from the last byte: the 1.3 s read wait; from the head it would be 2.3 s or more
            assertTrue(stalled >= 1.0 && stalled < 2.2, f::toString);
        }
    }

    // ---- 4 and the deadline rule: the run's own deadline is never evidence ------------------------------------

    @Test
    void case04ABackendSending100ContinueForeverGetsNoFindingFromTheRunsDeadline() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            for (int i = 0; i < 2000; i++) {
                c.write("HTTP/1.1 100 Continue\r\n\r\n");
                Thread.sleep(10);
            }
        })) {
            for (int run = 0; run < 3; run++) {
                Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(2))
                        .run();
                assertFalse(r.has(Cause.BACKEND_CLOSED_MID_RESPONSE), r::toString);
                assertFalse(r.has(Cause.BACKEND_CLOSED_WITHOUT_RESPONSE), r::toString);
                assertFalse(r.has(Cause.BACKEND_RESET_CONNECTION), r::toString);
                assertTrue(r.findings().isEmpty(), r::toString);
                assertFalse(r.complete(), r::toString);
                assertFalse(r.isHealthy(), r::toString);
            }
        }
    }

    @Test
    void deadlineOrCancellationNeverProducesAFindingAboutTheBackend() throws Exception {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
            c.hold(Duration.ofSeconds(30));
        })) {
            var future = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(20))
                    .runAsync();
            Thread.sleep(1500);
            future.cancel(true);
            Report cut = GatewayCheck.forBackend(s.url()).checks(Check.PROBE, Check.KEEP_ALIVE)
                    .timeout(Duration.ofSeconds(2)).run();
            assertTrue(cut.findings().isEmpty(), cut::toString);
            assertFalse(cut.complete(), cut::toString);
        }
    }

    // ---- 5: a NUL byte in a header value ----------------------------------------------------------------------

    @Test
    void case05ANulByteInAHeaderValueIsAnInvalidResponseHeader() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nX-Trace: a\u0000b\r\nContent-Length: 2\r\n\r\nok"))) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(10)).run();
            Finding f = Expect.finding(r, Cause.INVALID_RESPONSE_HEADER, Severity.ERROR);
            assertEquals("X-Trace: a\\x00b", Expect.evidence(f, "offendingHeader"), f::toString);
            assertFalse(r.isHealthy());
        }
    }

    // ---- 7: a TLS port that sends random bytes -----------------------------------------------------------------

    @Test
    void case07RandomBytesOnATlsPortAreNotACipherMismatch() {
        // seeded noise: some starts look like no TLS record at all, some like a record with a bad body
        for (int seed = 1; seed <= 8; seed++) {
            int n = seed;
            try (FaultServer s = FaultServer.plain(c -> {
                c.readRequest();
                byte[] noise = new byte[512];
                new Random(n).nextBytes(noise);
                if (n % 2 == 0) {
                    noise[0] = 0x16;   // a handshake record type, then garbage
                    noise[1] = 0x03;
                    noise[2] = 0x03;
                }
                if (n % 4 == 0) {
                    noise[3] = 0x00;   // a plausible record length: JSSE parses the garbage inside
                    noise[4] = 0x40;
                }
                c.write(noise);
                c.hold(Duration.ofSeconds(2));
            })) {
                String https = "https://127.0.0.1:" + s.port();
                Report r = GatewayCheck.forBackend(https).checks(Check.TLS, Check.PROBE)
                        .timeout(Duration.ofSeconds(15)).run();
                assertFalse(r.has(Cause.TLS_NO_SHARED_CIPHER), r::toString);
                Finding f = Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH, Severity.ERROR);
                assertTrue(f.message().contains("other bytes that are not TLS"), f::toString);
                assertFalse(r.isHealthy(), r::toString);
            }
        }
    }

    // ---- 13: a healthy backend that sends its body slowly -----------------------------------------------------

    @Test
    void case13ASlowHealthyBodyIsCompleteAndHealthyWithinTheDefaultDeadline() {
        // 6 s per body: the forwarded request and the body's second look read it; the extra requests and the
        // probes read the status only
        try (FaultServer s = FaultServer.plain(trickle(600, 10, Duration.ofMillis(100), Integer.MAX_VALUE))) {
            GatewayCheck check = GatewayCheck.forBackend(s.url()).checks(Check.PROBE);
            assertEquals(Duration.ofSeconds(30), check.effectiveTimeout());
            Report r = check.run();
            assertTrue(r.complete(), r::toString);
            assertTrue(r.isHealthy(), r::toString);
        }
    }

    @Test
    void case13PausesShorterThanTheGatewaysReadTimeoutAreNoFindingOnAnyLook() {
        // 3 s between body bytes: well inside the generic gateway's 20 s read timeout, longer than a quick look's
        try (FaultServer s = FaultServer.plain(trickle(30, 10, Duration.ofSeconds(3), Integer.MAX_VALUE))) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).run();
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
            assertTrue(r.complete(), r::toString);
            assertTrue(r.isHealthy(), r::toString);
        }
    }

    // ---- 15: Azure requires TLS 1.2+ of every backend ---------------------------------------------------------

    @Test
    void case15ATls10And11OnlyBackendIsAVersionMismatchErrorForAzure() throws Exception {
        try (OldTlsServer old = OldTlsServer.start()) {
            for (GatewayProfile azure : new GatewayProfile[] {GatewayProfile.AZURE_APP_GATEWAY_V2,
                GatewayProfile.AZURE_APP_GATEWAY_V1}) {
                Report r = GatewayCheck.forBackend(old.url()).withHost("localhost").against(azure).tls()
                        .timeout(Duration.ofSeconds(20)).run();
                Finding f = Expect.finding(r, Cause.TLS_PROTOCOL_VERSION_MISMATCH, Severity.ERROR);
                assertFalse(f.evidence().has("jvmCannotOffer"), f::toString);
                assertEquals(502, f.gatewayStatus());
                assertFalse(r.isHealthy());
            }
            // a gateway that still speaks TLS 1.0/1.1 (ALB): this JVM cannot offer them, a warning says so
            Report alb = GatewayCheck.forBackend(old.url()).against(GatewayProfile.AWS_ALB).tls()
                    .timeout(Duration.ofSeconds(20)).run();
            Finding w = Expect.finding(alb, Cause.TLS_PROTOCOL_VERSION_MISMATCH, Severity.WARNING);
            assertTrue(Expect.evidence(w, "jvmCannotOffer").contains("TLSv1.1"), w::toString);
        }
    }

    @Test
    void case15PresetsCarryTheAuditedValues() {
        assertEquals(java.util.List.of("TLSv1.2"), GatewayProfile.AZURE_APP_GATEWAY_V1.tlsProtocols());
        assertTrue(GatewayProfile.AZURE_APP_GATEWAY_V1.name().contains("retired"));
        assertEquals(java.util.List.of("TLSv1.2", "TLSv1.3"), GatewayProfile.AZURE_APP_GATEWAY_V2.tlsProtocols());
        assertEquals(502, dev.gatewaycheck.core.judge.Judge.status(Cause.TLS_HANDSHAKE_TIMEOUT, GatewayProfile.AWS_ALB));
        assertEquals(java.util.List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), GatewayProfile.AWS_ALB.tlsProtocols());
        assertEquals(Duration.ofSeconds(120), GatewayProfile.CLOUDFLARE.requestTimeout());
        assertEquals(java.util.List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), GatewayProfile.CLOUDFLARE.tlsProtocols());
        assertEquals(java.util.List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                GatewayProfile.GOOGLE_CLOUD_LB.tlsProtocols());
        assertNotEquals(GatewayProfile.CertificateValidation.NONE, GatewayProfile.HAPROXY.certificateValidation());
        assertFalse(GatewayProfile.HAPROXY.sendsSni());
        assertTrue(GatewayProfile.HAPROXY_3_3.sendsSni());
        assertEquals(Duration.ofSeconds(5), GatewayProfile.ENVOY.connectTimeout());
        assertEquals(60 * 1024, GatewayProfile.ENVOY.maxResponseHeaderBytes());
    }
}
