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
import dev.gatewaycheck.RequestBody;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The forwarded request with a body ({@code withRequestBody}): interim and early responses and a backend that does
 * not read the request, against in-JVM backends and a real nginx (Debian package).
 */
class UploadFindingsTest {

    /** No health probe, 2 s request timeout: the upload's verdict in seconds. */
    static final GatewayProfile FAST = GatewayProfile.NGINX.toBuilder().id("fast").name("fast gateway (2 s)")
            .requestTimeout(Duration.ofSeconds(2)).maxResponseHeaderBytes(32 * 1024).build();
    static final GatewayProfile GCP_FAST = GatewayProfile.GOOGLE_CLOUD_LB.toBuilder().id("gcp-fast")
            .requestTimeout(Duration.ofSeconds(2)).defaultProbe(null).build();
    static final GatewayProfile CLOUDFRONT_FAST = GatewayProfile.AWS_CLOUDFRONT.toBuilder().id("aws-cloudfront-fast")
            .requestTimeout(Duration.ofSeconds(2)).build();

    /** Reads the rest of a request whose head was read: Content-Length bytes (bounded to 64 MiB). */
    static long drainBody(FaultServer.Connection c, String head) throws IOException {
        long length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        InputStream in = c.socket().getInputStream();
        byte[] buf = new byte[65536];
        long read = 0;
        while (read < length && read < RequestBody.MAX_BYTES) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, length - read));
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    /** A backend that answers each request with {@code interims} first, then reads the body and answers 200. */
    static FaultServer.Behaviour interimsThenOk(String... interims) {
        return c -> {
            String head;
            while ((head = c.readRequest()) != null) {
                if (head.startsWith("POST")) {
                    for (String i : interims) {
                        c.write(i);
                    }
                    drainBody(c, head);
                }
                c.write(FaultServer.okResponse("stored\n"));
            }
        };
    }

    static Report upload(FaultServer s, GatewayProfile p, int size) {
        return GatewayCheck.forBackend(s.url()).against(p).checks(Check.PROBE).withRequestBody(RequestBody.ofSize(size))
                .timeout(Duration.ofSeconds(20)).run();
    }

    @Test
    void twoHundredContinuesAreAnErrorForCloudFrontAndAWarningElsewhere() {
        try (FaultServer s = FaultServer.plain(interimsThenOk("HTTP/1.1 100 Continue\r\n\r\n",
                "HTTP/1.1 100 Continue\r\n\r\n"))) {
            Report cf = upload(s, CLOUDFRONT_FAST, 10_000);
            Finding f = Expect.finding(cf, Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Severity.ERROR);
            assertEquals("2", Expect.evidence(f, "continues"));
            assertEquals("second-continue", Expect.evidence(f, "kind"));
            assertTrue(Expect.evidence(f, "interims").startsWith("100 after"), f::toString);
            assertEquals(502, f.gatewayStatus());
            Report generic = upload(s, FAST, 10_000);
            Finding w = Expect.finding(generic, Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Severity.WARNING);
            assertEquals(0, w.gatewayStatus());
            assertTrue(w.message().contains("CloudFront fails on this"), w::message);
        }
    }

    @Test
    void earlyHintsAreAnErrorForGoogle() {
        try (FaultServer s = FaultServer.plain(interimsThenOk("HTTP/1.1 103 Early Hints\r\nLink: </app.css>; "
                + "rel=preload\r\n\r\n", "HTTP/1.1 100 Continue\r\n\r\n"))) {
            Report r = upload(s, GCP_FAST, 10_000);
            Finding f = Expect.finding(r, Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Severity.ERROR);
            assertEquals("103", Expect.evidence(f, "interim"));
            assertTrue(f.message().contains("documents this as a failure"), f::message);
        }
    }

    @Test
    void switchingProtocolsWithoutAnUpgradeIsAnErrorEverywhere() {
        try (FaultServer s = FaultServer.plain(c -> {
            String head;
            while ((head = c.readRequest()) != null) {
                c.write(head.startsWith("POST") ? "HTTP/1.1 101 Switching Protocols\r\n\r\n"
                        : FaultServer.okResponse("ok\n"));
            }
        })) {
            Report r = upload(s, FAST, 10_000);
            Finding f = Expect.finding(r, Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Severity.ERROR);
            assertEquals("101", Expect.evidence(f, "interim"));
        }
    }

    @Test
    void answering200BeforeReadingTheBodyIsAnEarlyResponse() {
        // answers at once, before the 100-continue wait is over and before a byte of the body was read
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = upload(s, GCP_FAST, 1024 * 1024);
            Finding f = Expect.finding(r, Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Severity.ERROR);
            assertEquals("200", Expect.evidence(f, "earlyStatus"));
            assertEquals("early-response", Expect.evidence(f, "kind"));
            assertEquals("0", Expect.evidence(f, "bodyBytesBeforeResponse"));
            assertEquals("0", Expect.evidence(f, "continues"));
            assertTrue(f.message().contains("documents this as a failure"), f::message);
            // the same answer, judged for a gateway that does not document the failure
            Finding w = Expect.finding(upload(s, FAST, 1024 * 1024), Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE,
                    Severity.WARNING);
            assertTrue(w.message().contains("Google Cloud LB fails on this"), w::message);
            assertEquals(0, w.gatewayStatus());
        }
    }

    @Test
    void nginxProxyingTheUploadReadsItFirstAndIsHealthy() throws Exception {
        try (FaultServer app = FaultServer.plain(FaultServer.ok());
             Nginx n = Nginx.reverseProxy("client_max_body_size 64m; proxy_pass " + app.url() + ";")) {
            Report r = GatewayCheck.forBackend(n.url().replaceAll("/$", "")).against(GCP_FAST).checks(Check.PROBE)
                    .withRequestBody(RequestBody.ofSize(2 * 1024 * 1024)).timeout(Duration.ofSeconds(20)).run();
            assertFalse(r.has(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE), r::toString);
            assertFalse(r.has(Cause.REQUEST_NOT_READ_BY_BACKEND), r::toString);
        }
    }

    @Test
    void aBackendThatNeverReadsTheRequestIsToldApartFromASlowOne() {
        try (FaultServer s = FaultServer.plain(FaultServer.neverAnswer())) {
            Report r = upload(s, FAST, 8 * 1024 * 1024);
            Finding f = Expect.finding(r, Cause.REQUEST_NOT_READ_BY_BACKEND, Severity.ERROR);
            long written = Long.parseLong(Expect.evidence(f, "bodyBytesWritten"));
            assertTrue(written > 0 && written < 8 * 1024 * 1024, f::toString);
            assertEquals("8388608", Expect.evidence(f, "bodyBytes"));
            double stalled = Double.parseDouble(Expect.evidence(f, "stalledForSeconds"));
            assertTrue(stalled >= 2.0, f::toString);
            assertEquals("2", Expect.evidence(f, "gatewayTimeoutSeconds"));
            assertFalse(r.has(Cause.RESPONSE_TIMEOUT), r::toString);
        }
        // reads everything, answers late: a response timeout, not an unread request
        try (FaultServer s = FaultServer.plain(c -> {
            String head;
            while ((head = c.readRequest()) != null) {
                if (head.startsWith("POST")) {
                    c.write("HTTP/1.1 100 Continue\r\n\r\n");
                    drainBody(c, head);
                }
                Thread.sleep(3000);
                c.write(FaultServer.okResponse("late\n"));
            }
        })) {
            Report r = upload(s, FAST, 1024 * 1024);
            Expect.finding(r, Cause.RESPONSE_TIMEOUT);
            assertFalse(r.has(Cause.REQUEST_NOT_READ_BY_BACKEND), r::toString);
        }
    }

    @Test
    void anUploadOverTlsThatIsNeverReadIsFoundToo() {
        dev.gatewaycheck.testkit.TestCertificates.Held root = dev.gatewaycheck.testkit.TestCertificates
                .ca("Upload Root").build();
        dev.gatewaycheck.testkit.TestCertificates.Held leaf = dev.gatewaycheck.testkit.TestCertificates
                .leaf("127.0.0.1", root).ipSans("127.0.0.1").build();
        try (FaultServer s = FaultServer.tls(dev.gatewaycheck.testkit.TestCertificates.serving(leaf.privateKey(),
                leaf.certificate(), root.certificate()), FaultServer.neverAnswer())) {
            Report r = GatewayCheck.forBackend(s.url()).against(FAST).checks(Check.PROBE).trusting(root.certificate())
                    .withRequestBody(RequestBody.ofSize(8 * 1024 * 1024)).timeout(Duration.ofSeconds(20)).run();
            Finding f = Expect.finding(r, Cause.REQUEST_NOT_READ_BY_BACKEND, Severity.ERROR);
            assertTrue(Long.parseLong(Expect.evidence(f, "bodyBytesWritten")) < 8 * 1024 * 1024, f::toString);
            assertTrue(f.backend().startsWith("https://"), f::toString);
        }
    }

    @Test
    void requestBodyArgumentsAreChecked() {
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> GatewayCheck.forBackend("http://127.0.0.1:1").withRequestBody(null));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RequestBody.ofSize(0));
        assertTrue(e.getMessage().contains("size"), e::getMessage);
        assertEquals("PUT 3 bytes text/plain", RequestBody.of("abc".getBytes(), "text/plain").withMethod("put")
                .toString());
    }
}
