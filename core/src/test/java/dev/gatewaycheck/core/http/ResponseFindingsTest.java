package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.testkit.ReportSchema;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponseFindingsTest {

    private static Report check(FaultServer s) {
        return GatewayCheck.forBackend(s.url()).probe().timeout(Duration.ofSeconds(10)).run();
    }

    @Test
    void healthyPlainBackendHasNoErrorOrWarning() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = check(s);
            Expect.noErrorOrWarning(r);
            assertTrue(r.timings().firstByte().isPresent(), r::toString);
            assertTrue(r.complete());
        }
    }

    @Test
    void healthyTlsBackendHasNoErrorOrWarningWithEveryCheck() {
        TestCertificates.Held root = TestCertificates.ca("Healthy Test Root").build();
        TestCertificates.Held leaf = TestCertificates.leaf("www.example.test", root).build();
        GatewayProfile shortIdle = GatewayProfile.GENERIC.toBuilder().id("short-idle")
                .idleTimeout(Duration.ofSeconds(1)).build();
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate()),
                FaultServer.ok())) {
            Report r = GatewayCheck.forBackend(s.url()).withHost("www.example.test").trusting(root.certificate())
                    .against(shortIdle).timeout(Duration.ofSeconds(20)).run();
            ReportSchema.valid(r);
            Expect.noErrorOrWarning(r);
            assertTrue(r.isHealthy(), r::toString);
            assertTrue(r.timings().tls().isPresent(), r::toString);
            assertEquals(List.of(PhaseResult.Status.PASSED), r.phases().stream().map(PhaseResult::status)
                    .distinct().toList(), r::toString);
        }
    }

    @Test
    void anEndlessBodyIsReadOnlyUpToTheCapAndThenAborted() {
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        byte[] chunk = ("10000\r\n" + "x".repeat(65536) + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 200_000; i++) {
                c.write(chunk);
                sent.addAndGet(chunk.length);
            }
        })) {
            long start = System.nanoTime();
            Report r = GatewayCheck.forBackend(s.url()).checks(dev.gatewaycheck.Check.PROBE)
                    .timeout(Duration.ofSeconds(10)).run();
            ReportSchema.valid(r);
            long took = System.nanoTime() - start;
            assertTrue(r.complete(), r::toString);
            assertTrue(took < Duration.ofSeconds(5).toNanos(), "took " + took / 1_000_000 + " ms:\n" + r);
            // each exchange reads 1 MiB and aborts; the socket buffers hold a little more
            assertTrue(sent.get() < 64L * 1024 * 1024, "the backend could send " + sent.get() + " bytes");
        }
    }

    @Test
    void resetAfterRequestIsBackendResetConnection() {
        try (FaultServer s = FaultServer.plain(FaultServer.resetAfterRequest())) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_RESET_CONNECTION);
            assertEquals("RST", Expect.evidence(f, "end"));
            assertEquals("RST", Expect.evidence(f, "secondLookEnd"));
        }
    }

    @Test
    void closeAfterRequestIsBackendClosedWithoutResponse() {
        try (FaultServer s = FaultServer.plain(FaultServer.closeAfterRequest())) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_CLOSED_WITHOUT_RESPONSE);
            assertEquals("FIN", Expect.evidence(f, "end"));
            assertEquals("0", Expect.evidence(f, "secondLookBytes"));
        }
    }

    @Test
    void nonHttpGreetingIsMalformedStatusLine() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
            c.close();
        })) {
            Finding f = Expect.finding(check(s), Cause.MALFORMED_STATUS_LINE);
            assertEquals("SSH-2.0-OpenSSH_9.2p1 Debian-2\\r\\n", Expect.evidence(f, "firstLine"));
        }
    }

    @Test
    void statusLineWithoutCodeIsMalformedStatusLine() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond("HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n"))) {
            Finding f = Expect.finding(check(s), Cause.MALFORMED_STATUS_LINE);
            assertEquals("HTTP/1.1 OK\\r\\n", Expect.evidence(f, "firstLine"));
        }
    }

    @Test
    void headerWithoutColonIsInvalidResponseHeader() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Broken header line\r\n\r\nok"))) {
            Finding f = Expect.finding(check(s), Cause.INVALID_RESPONSE_HEADER);
            assertEquals("X-Broken header line", Expect.evidence(f, "offendingHeader"));
        }
    }

    @Test
    void duplicateContentLengthIsConflictingFraming() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"))) {
            Finding f = Expect.finding(check(s), Cause.CONFLICTING_FRAMING_HEADERS);
            assertTrue(f.message().contains("Content-Length"), f::toString);
        }
    }

    @Test
    void contentLengthWithTransferEncodingIsConflictingFraming() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"))) {
            Finding f = Expect.finding(check(s), Cause.CONFLICTING_FRAMING_HEADERS);
            assertEquals("5", Expect.evidence(f, "contentLength"));
            assertEquals("chunked", Expect.evidence(f, "transferEncoding"));
        }
    }

    @Test
    void badChunkSizeIsInvalidChunkedEncoding() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n"))) {
            Finding f = Expect.finding(check(s), Cause.INVALID_CHUNKED_ENCODING);
            assertTrue(Expect.evidence(f, "exception").contains("Chunk"), f::toString);
        }
    }

    @Test
    void bodyShorterThanContentLengthThenCloseIsClosedMidResponse() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            c.close();
        })) {
            Expect.finding(check(s), Cause.BACKEND_CLOSED_MID_RESPONSE);
        }
    }

    @Test
    void headersOverTheProfileLimitAreTooLarge() {
        String cookie = "Set-Cookie: session=" + "a".repeat(3000) + "\r\n";
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\n" + cookie.repeat(12) + "Content-Length: 2\r\n\r\nok"))) {
            Finding f = Expect.finding(check(s), Cause.RESPONSE_HEADER_TOO_LARGE);
            assertTrue(Integer.parseInt(Expect.evidence(f, "headerBytes")) > 32 * 1024, f::toString);
            assertEquals("Set-Cookie", Expect.evidence(f, "largestHeader"));
            assertEquals("32768", Expect.evidence(f, "gatewayLimitBytes"));
        }
    }

    @Test
    void headersUnderASmallerGatewayLimitAreJudgedByThatProfile() {
        GatewayProfile small = GatewayProfile.GENERIC.toBuilder().id("small").name("4k gateway")
                .maxResponseHeaderBytes(4096).build();
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(5000) + "\r\nContent-Length: 2\r\n\r\nok"))) {
            Report generic = check(s);
            assertFalse(generic.has(Cause.RESPONSE_HEADER_TOO_LARGE), generic::toString);
            Report r = GatewayCheck.forBackend(s.url()).against(small).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.RESPONSE_HEADER_TOO_LARGE);
            assertEquals("X-Big", Expect.evidence(f, "largestHeader"));
        }
    }

    @Test
    void slowerThanTheGatewayIsResponseTimeoutError() {
        GatewayProfile oneSecond = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(1)).build();
        try (FaultServer s = FaultServer.plain(FaultServer.delayed(Duration.ofSeconds(3),
                FaultServer.okResponse("late")))) {
            Report r = GatewayCheck.forBackend(s.url()).against(oneSecond).probe().timeout(Duration.ofSeconds(10))
                    .run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.RESPONSE_TIMEOUT, Severity.ERROR);
            assertEquals("1", Expect.evidence(f, "gatewayRequestTimeoutSeconds"));
        }
    }

    @Test
    void closeToTheGatewayTimeoutIsResponseTimeoutWarning() {
        // 90 % of a 2 s timeout: 200 ms of slack either side of the warning band (80-100 %) on a loaded machine
        GatewayProfile twoSeconds = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(2)).build();
        try (FaultServer s = FaultServer.plain(FaultServer.delayed(Duration.ofMillis(1800),
                FaultServer.okResponse("almost late")))) {
            Report r = GatewayCheck.forBackend(s.url()).against(twoSeconds).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.RESPONSE_TIMEOUT, Severity.WARNING);
            assertTrue(Expect.evidence(f, "firstByteSeconds").startsWith("1."), f::toString);
        }
    }

    @Test
    void backendAnswering502IsBackendReturnedGatewayError() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad Gateway",
                "<html><center>nginx</center></html>", "Server: nginx/1.22.1", "Via: 1.1 tier2")))) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertEquals("nginx/1.22.1", Expect.evidence(f, "server"));
            assertEquals("1.1 tier2", Expect.evidence(f, "via"));
            assertEquals("502", Expect.evidence(f, "status"));
        }
    }

    @Test
    void a503WithNoTierBehindItSaysTheApplicationAnswersNotTheNextTier() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(503, "Service Unavailable",
                "starting")))) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertEquals("503", Expect.evidence(f, "status"));
            assertEquals(RequestCheck.NO_NEXT_TIER_REMEDY, f.remedy());
            assertTrue(f.remedy().contains("Wait until it has started") && !f.remedy().contains("next tier"),
                    f::toString);
            assertTrue(f.message().contains("no Via header or proxy fingerprint"), f::toString);
        }
    }

    @Test
    void a502FromANextTierStillSendsTheReaderThere() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad Gateway",
                "<html><center>nginx</center></html>", "Server: nginx")))) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertEquals(Cause.BACKEND_RETURNED_GATEWAY_ERROR.remedy(), f.remedy(), "nginx's page is a fingerprint");
        }
    }

    @Test
    void aBackendsOwn504IsPassedOnWithItsStatus() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(504, "Gateway Timeout",
                "upstream timed out", "Server: nginx")))) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.ENVOY).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertEquals(504, f.gatewayStatus(), "Envoy passes the backend's 504 on: " + f);
        }
    }

    @Test
    void notFoundBehindAGatewayWithoutAProbeIsAWarningWithoutAGatewayStatus() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(404, "Not Found", "nope")))) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.AWS_CLOUDFRONT).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.BACKEND_APP_NOT_DEPLOYED, Severity.WARNING);
            assertEquals(0, f.gatewayStatus(), f::toString);
            assertTrue(f.message().contains("not a 502"), f::toString);
        }
    }

    @Test
    void notFoundIsAppNotDeployed() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(404, "Not Found", "nope")))) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_APP_NOT_DEPLOYED);
            assertEquals("404", Expect.evidence(f, "status"));
        }
    }

    @Test
    void defaultWelcomePageIsAppNotDeployed() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.okResponse(
                "<html><head><title>Welcome to nginx!</title></head></html>")))) {
            Finding f = Expect.finding(check(s), Cause.BACKEND_APP_NOT_DEPLOYED);
            assertEquals("welcome to nginx!", Expect.evidence(f, "defaultPage"));
        }
    }
}
