package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyFindingsTest {

    private static final String PAGE = "<html><body>" + "hello from the backend ".repeat(40) + "</body></html>";

    private static Report check(FaultServer s) {
        return GatewayCheck.forBackend(s.url()).probe().timeout(Duration.ofSeconds(10)).run();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    private static byte[] zlib(String text, boolean raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(b, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            z.write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    /** Like a real server: compresses only when the request accepts it, with the given body bytes. */
    private static FaultServer.Behaviour compressing(String coding, byte[] compressed, boolean close) {
        return c -> {
            String req;
            while ((req = c.readRequest()) != null) {
                boolean accepts = req.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding: gzip");
                byte[] body = accepts ? compressed : PAGE.getBytes(StandardCharsets.ISO_8859_1);
                c.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + (accepts ? "Content-Encoding: " + coding
                        + "\r\n" : "") + "Vary: Accept-Encoding\r\nContent-Length: " + body.length + "\r\n\r\n");
                c.write(body);
                if (close) {
                    c.close();
                    return;
                }
            }
        };
    }

    // ---- CONTENT_LENGTH_MISMATCH ---------------------------------------------------------------------------

    @Test
    void moreBytesThanContentLengthIsContentLengthMismatch() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok<html>leftover</html>"))) {
            Report r = check(s);
            Finding f = Expect.finding(r, Cause.CONTENT_LENGTH_MISMATCH);
            assertEquals("2", Expect.evidence(f, "contentLength"));
            assertEquals("21", Expect.evidence(f, "extraBytes"));
            assertEquals("23", Expect.evidence(f, "bytesReceived"));
            assertEquals("21 extra bytes", Expect.evidence(f, "after"));
            assertEquals("<html>leftover</html>", Expect.evidence(f, "extraStart"));
            assertTrue(f.message().contains("more data than specified"), f::toString);
        }
    }

    @Test
    void shortBodyThenStallOnTheForwardedRequestIsContentLengthMismatch() {
        GatewayProfile oneSecond = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(1)).build();
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            c.hold(Duration.ofSeconds(20));
        })) {
            Report r = GatewayCheck.forBackend(s.url()).against(oneSecond).probe().timeout(Duration.ofSeconds(6))
                    .run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.CONTENT_LENGTH_MISMATCH);
            assertEquals("100", Expect.evidence(f, "contentLength"));
            assertEquals("9", Expect.evidence(f, "bytesReceived"));
            assertEquals("stall", Expect.evidence(f, "after"));
            assertEquals("the gateway's request timeout", Expect.evidence(f, "endedBy"));
            double stalled = Double.parseDouble(Expect.evidence(f, "stalledForSeconds"));
            assertTrue(stalled >= 1.0 && stalled < 3.0, f::toString);
            assertFalse(r.has(Cause.BACKEND_CLOSED_MID_RESPONSE), r::toString);
        }
    }

    @Test
    void shortBodyThenStallCutByTheRunDeadlineIsInconclusiveNotAFinding() {
        // issue 13: the run's own deadline never produces a finding about the backend; the report is incomplete
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n0123456789");
            c.hold(Duration.ofSeconds(20));
        })) {
            Report r = GatewayCheck.forBackend(s.url()).probe().timeout(Duration.ofSeconds(3)).run();
            ReportSchema.valid(r);
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
            assertFalse(r.has(Cause.BACKEND_CLOSED_MID_RESPONSE), r::toString);
            assertFalse(r.complete(), r::toString);
            assertFalse(r.isHealthy(), r::toString);
        }
    }

    @Test
    void compressedBodyWithTheIdentityContentLengthStallsOnTheSecondLook() {
        // Cloudflare 52x: gzip content served without updating Content-Length; the gateway waits for the rest
        byte[] gz = gzip(PAGE);
        try (FaultServer s = FaultServer.plain(c -> {
            String req;
            while ((req = c.readRequest()) != null) {
                if (req.toLowerCase(java.util.Locale.ROOT).contains("accept-encoding: gzip")) {
                    c.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + PAGE.length()
                            + "\r\n\r\n");
                    c.write(gz);
                    c.hold(Duration.ofSeconds(20));
                    return;
                }
                c.write(FaultServer.okResponse(PAGE));
            }
        })) {
            long start = System.nanoTime();
            // a stall is a finding only once a read waited the gateway's read timeout (issue 13): a 2 s gateway
            GatewayProfile twoSeconds = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(2))
                    .build();
            Report r = GatewayCheck.forBackend(s.url()).against(twoSeconds).probe().timeout(Duration.ofSeconds(10))
                    .run();
            Finding f = Expect.finding(r, Cause.CONTENT_LENGTH_MISMATCH);
            assertEquals(String.valueOf(PAGE.length()), Expect.evidence(f, "contentLength"));
            assertEquals(String.valueOf(gz.length), Expect.evidence(f, "bytesReceived"));
            assertEquals("gzip", Expect.evidence(f, "contentEncoding"));
            assertEquals("stall", Expect.evidence(f, "after"));
            double stalled = Double.parseDouble(Expect.evidence(f, "stalledForSeconds"));
            assertTrue(stalled >= 2.0 && stalled < 3.0, f::toString);
            assertFalse(r.has(Cause.INVALID_COMPRESSED_BODY), r::toString);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), "the stall wait is bounded");
        }
    }

    @Test
    void shortBodyThenCloseStaysClosedMidResponse() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
            c.close();
        })) {
            Report r = check(s);
            Expect.finding(r, Cause.BACKEND_CLOSED_MID_RESPONSE);
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
        }
    }

    @Test
    void exactContentLengthAndChunkedBodiesHaveNoMismatch() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.okResponse(PAGE)))) {
            Report r = check(s);
            Expect.noErrorOrWarning(r);
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
        }
        try (FaultServer s = FaultServer.plain(FaultServer.respond(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))) {
            Expect.noErrorOrWarning(check(s));
        }
    }

    // ---- INVALID_COMPRESSED_BODY ---------------------------------------------------------------------------

    @Test
    void validGzipAndDeflateBodiesHaveNoFinding() {
        for (String coding : new String[] {"gzip", "deflate", "deflate-raw"}) {
            byte[] body = coding.equals("gzip") ? gzip(PAGE) : zlib(PAGE, coding.equals("deflate-raw"));
            try (FaultServer s = FaultServer.plain(compressing(coding.replace("-raw", ""), body, false))) {
                Report r = check(s);
                Expect.noErrorOrWarning(r);
                assertFalse(r.has(Cause.INVALID_COMPRESSED_BODY), coding + ":\n" + r);
            }
        }
    }

    @Test
    void corruptGzipBodyIsInvalidCompressedBody() {
        byte[] gz = gzip(PAGE);
        // keep the gzip header, garble the deflate data
        Arrays.fill(gz, 12, Math.min(gz.length - 8, 40), (byte) 0xff);
        try (FaultServer s = FaultServer.plain(compressing("gzip", gz, false))) {
            Report r = check(s);
            Finding f = Expect.finding(r, Cause.INVALID_COMPRESSED_BODY);
            assertEquals("gzip", Expect.evidence(f, "contentEncoding"));
            assertEquals(String.valueOf(gz.length), Expect.evidence(f, "bytes"));
            assertTrue(Expect.evidence(f, "error").startsWith("ZipException"), f::toString);
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
        }
    }

    @Test
    void plainTextLabelledGzipIsInvalidCompressedBody() {
        byte[] plain = PAGE.getBytes(StandardCharsets.ISO_8859_1);
        try (FaultServer s = FaultServer.plain(compressing("gzip", plain, true))) {
            Finding f = Expect.finding(check(s), Cause.INVALID_COMPRESSED_BODY);
            assertTrue(Expect.evidence(f, "error").contains("Not in GZIP format"), f::toString);
            assertEquals("<html><body>hel", Expect.evidence(f, "bodyStart").substring(0, 15));
        }
    }

    @Test
    void truncatedGzipStreamIsInvalidCompressedBody() {
        byte[] gz = gzip(PAGE);
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        try (FaultServer s = FaultServer.plain(compressing("gzip", cut, false))) {
            Finding f = Expect.finding(check(s), Cause.INVALID_COMPRESSED_BODY);
            assertTrue(Expect.evidence(f, "error").startsWith("EOFException"), f::toString);
            assertEquals("true", Expect.evidence(f, "bodyComplete"));
        }
    }

    @Test
    void chunkedCorruptDeflateBodyIsInvalidCompressedBody() {
        byte[] junk = "this is not deflate data at all".getBytes(StandardCharsets.ISO_8859_1);
        try (FaultServer s = FaultServer.plain(c -> {
            while (c.readRequest() != null) {
                c.write("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(junk.length) + "\r\n");
                c.write(junk);
                c.write("\r\n0\r\n\r\n");
            }
        })) {
            Finding f = Expect.finding(check(s), Cause.INVALID_COMPRESSED_BODY);
            assertEquals("deflate", Expect.evidence(f, "contentEncoding"));
        }
    }

    @Test
    void aGzipBodyCutAtTheReadCapIsNotJudgedBroken() {
        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);   // incompressible: the gzip body is larger than the cap
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(big);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (FaultServer s = FaultServer.plain(compressing("gzip", b.toByteArray(), false))) {
            Report r = check(s);
            assertFalse(r.has(Cause.INVALID_COMPRESSED_BODY), r::toString);
            assertFalse(r.has(Cause.CONTENT_LENGTH_MISMATCH), r::toString);
        }
    }

    @Test
    void inflateReportsTheInflatersError() {
        assertEquals(null, BodyCheck.inflate("gzip", gzip("abc"), false).error());
        assertTrue(BodyCheck.inflate("gzip", new byte[] {1, 2, 3}, false).error().contains("ZipException"));
        byte[] gz = gzip("a".repeat(10_000));
        assertEquals(null, BodyCheck.inflate("gzip", Arrays.copyOf(gz, gz.length - 10), true).error(),
                "a body cut at the cap may end early");
    }
}
