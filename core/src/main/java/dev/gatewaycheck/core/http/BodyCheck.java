package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The response body judged against its framing and its coding, after the forwarded request:
 * <ul>
 *   <li>{@link Cause#CONTENT_LENGTH_MISMATCH}: the forwarded request's body stopped short of its Content-Length
 *   and the backend then sent nothing more (the gateway's wait ended it, not a FIN: a FIN is
 *   BACKEND_CLOSED_MID_RESPONSE); or, on a raw second look, fewer bytes followed by a stall, or more bytes than
 *   Content-Length on the connection after the body.</li>
 *   <li>{@link Cause#INVALID_COMPRESSED_BODY}: the second look asks for {@code Accept-Encoding: gzip, deflate}, as
 *   gateways forward from browsers; a {@code Content-Encoding: gzip/deflate} body that does not inflate.</li>
 * </ul>
 * The second look is one GET with {@code Connection: close} on a fresh connection, only when the forwarded request
 * got a complete response. Its waits are bounded: the head and each body read at most two seconds (less when the
 * gateway waits less), extra bytes {@link #EXTRA_WAIT}, all capped by the run's deadline; it reads at most
 * {@link HttpExchange#MAX_BODY_BYTES} of body (a body cut at that cap is not judged broken).
 */
public final class BodyCheck {

    /** How long the second look waits for bytes after a complete Content-Length body. */
    static final Duration EXTRA_WAIT = Duration.ofMillis(200);
    /** The most extra bytes counted after the body. */
    static final int MAX_EXTRA_BYTES = 64 * 1024;
    /** The most head bytes (interim heads included) the second look reads. */
    static final int MAX_HEAD_BYTES = 256 * 1024;
    /** The most decompressed bytes inflated before the coding counts as valid. */
    static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;

    private BodyCheck() {
    }

    /** Judges the forwarded request's body and, when it was complete, takes the second look. */
    public static void afterRequest(RunContext ctx, Target target, HttpObservation obs) {
        if (!obs.hasResponse() || !hasBody(obs.status())) {
            return;
        }
        if (obs.failure() != null) {
            stalledForwardedBody(ctx, target, obs);
            return;
        }
        if (ctx.cutShort() || !ctx.deadline().allows(Duration.ofMillis(500))) {
            return;
        }
        Look look = look(ctx, target);
        if (look != null) {
            judge(ctx, target, look);
        }
    }

    /** The forwarded request's body stopped short of Content-Length, and the wait (not a FIN or RST) ended it. */
    private static void stalledForwardedBody(RunContext ctx, Target target, HttpObservation obs) {
        long cl = contentLength(obs.headers("Content-Length"), obs.headers("Transfer-Encoding"));
        int received = obs.body().length();
        if (cl < 0 || obs.bodyTruncated() || received >= cl || obs.firstByte() == null) {
            return;
        }
        Optional<Cause> c = FailureClassifier.classify(obs.failure(), target.tls());
        if (c.isPresent() && c.get() != Cause.RESPONSE_TIMEOUT) {
            return;   // FIN, RST, chunk or framing errors: their own causes
        }
        Duration stalled = obs.total().minus(obs.firstByte());
        Duration gatewayWait = ctx.profile().requestTimeout();
        String endedBy = ctx.cutShort() ? "the run's deadline" : "the gateway's request timeout";
        ctx.reportAfterHead(Cause.CONTENT_LENGTH_MISMATCH, ctx.profile().severityOf(Cause.CONTENT_LENGTH_MISMATCH),
                target.label(), "The body stopped after " + received + " of the "
                + cl + " bytes its Content-Length announces, and no further byte came for "
                + RequestCheck.secs(stalled) + " (" + endedBy + " ended the wait; the gateway waits "
                + gatewayWait.toSeconds() + "s and then answers an error)", Evidence.builder()
                .put("request", "GET " + target.path()).put("host", target.host()).put("status", obs.status())
                .put("contentLength", cl).put("bytesReceived", received).put("after", "stall")
                .put("stalledFor", RequestCheck.secs(stalled)).put("endedBy", endedBy)
                .put("gatewayRequestTimeout", gatewayWait.toSeconds() + "s").build(), obs.status());
    }

    private static void judge(RunContext ctx, Target target, Look look) {
        String contentEncoding = look.header("Content-Encoding");
        Evidence.Builder base = Evidence.builder().put("request", "GET " + target.path() + " (Accept-Encoding: "
                + ACCEPT_ENCODING + ", Connection: close)").put("host", target.host()).put("status", look.status)
                .put("contentEncoding", contentEncoding);
        if (look.contentLength >= 0 && look.end == End.STALL) {
            ctx.reportAfterHead(Cause.CONTENT_LENGTH_MISMATCH, ctx.profile().severityOf(Cause.CONTENT_LENGTH_MISMATCH),
                    target.label(), "The body stopped after "
                    + look.body.length + " of the " + look.contentLength + " bytes its Content-Length announces"
                    + (contentEncoding == null ? "" : " (Content-Encoding: " + contentEncoding + ")")
                    + ", and no further byte came for " + RequestCheck.secs(look.stalledFor)
                    + "; the gateway waits for the rest until its timeout", base
                    .put("contentLength", look.contentLength).put("bytesReceived", look.body.length)
                    .put("after", "stall").put("stalledFor", RequestCheck.secs(look.stalledFor)).build(), look.status);
            return;
        }
        if (look.contentLength >= 0 && look.extra.length > 0) {
            String extraStart = new String(look.extra, 0, Math.min(look.extra.length, 60), StandardCharsets.ISO_8859_1);
            ctx.reportAfterHead(Cause.CONTENT_LENGTH_MISMATCH, ctx.profile().severityOf(Cause.CONTENT_LENGTH_MISMATCH),
                    target.label(), look.extra.length + (look.extraCapped ? "+" : "")
                    + " more bytes followed the " + look.contentLength + "-byte body its Content-Length announces "
                    + "(nginx: 'upstream sent more data than specified in \"Content-Length\" header')", base
                    .put("contentLength", look.contentLength)
                    .put("bytesReceived", look.body.length + look.extra.length)
                    .put("after", look.extra.length + (look.extraCapped ? "+" : "") + " extra bytes")
                    .put("extraBytes", look.extra.length).put("extraStart", RawPeek.escape(extraStart)).build(),
                    look.status);
        }
        if (contentEncoding != null && (look.end == End.COMPLETE || look.end == End.CAP) && look.body.length > 0) {
            String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("deflate")) {
                return;
            }
            Inflated r = inflate(coding, look.body, look.end == End.CAP);
            if (r.error != null) {
                ctx.reportAfterHead(Cause.INVALID_COMPRESSED_BODY, ctx.profile().severityOf(Cause.INVALID_COMPRESSED_BODY),
                        target.label(), "The body says Content-Encoding: "
                        + contentEncoding + " but does not decompress: " + r.error, base
                        .put("bytes", look.body.length).put("bodyComplete", look.end == End.COMPLETE)
                        .put("inflatedBeforeError", r.inflated).put("error", r.error)
                        .put("bodyStart", RawPeek.escape(new String(look.body, 0, Math.min(look.body.length, 16),
                                StandardCharsets.ISO_8859_1))).build(), look.status);
            }
        }
    }

    // ---- inflating -----------------------------------------------------------------------------------------

    /** The result of inflating: bytes produced and the inflater's error, or null. */
    record Inflated(long inflated, String error) {
    }

    /**
     * Inflates {@code body} as {@code coding} (gzip, x-gzip, or deflate: zlib, or raw deflate as browsers also
     * accept). A body cut at the read cap may end early: that end is not an error.
     */
    static Inflated inflate(String coding, byte[] body, boolean cut) {
        if (coding.equals("deflate")) {
            Inflated zlib = inflate(body, cut, false, false);
            return zlib.error == null ? zlib : inflate(body, cut, false, true);
        }
        return inflate(body, cut, true, false);
    }

    private static Inflated inflate(byte[] body, boolean cut, boolean gzip, boolean raw) {
        long n = 0;
        byte[] buf = new byte[16 * 1024];
        Inflater inflater = gzip ? null : new Inflater(raw);
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(body))
                : new InflaterInputStream(new ByteArrayInputStream(body), inflater)) {
            int r;
            while (n < MAX_INFLATED_BYTES && (r = in.read(buf)) != -1) {
                n += r;
            }
            return new Inflated(n, null);
        } catch (EOFException e) {
            return new Inflated(n, cut ? null : "EOFException: " + e.getMessage()
                    + " (the compressed stream ends before its end marker)");
        } catch (IOException e) {
            return new Inflated(n, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    // ---- the second look -----------------------------------------------------------------------------------

    static final String ACCEPT_ENCODING = "gzip, deflate";

    /** How a second look's body ended. */
    enum End {
        /** The whole body (by Content-Length, chunked, or FIN for an unframed body). */
        COMPLETE,
        /** Fewer bytes than Content-Length, then nothing within the wait. */
        STALL,
        /** The read cap was reached. */
        CAP,
        /** Closed early, reset, malformed: other checks name it. */
        BROKEN
    }

    /** What the second look saw. */
    static final class Look {
        int status;
        final List<String[]> headers = new ArrayList<>();
        /** The status line of the final head as read, for {@link HeadLines}. */
        String statusLine = "";
        /** The header lines of the final head as read (without CRLF), for {@link HeadLines}. */
        final List<String> headLines = new ArrayList<>();
        long contentLength = -1;
        byte[] body = new byte[0];
        End end = End.BROKEN;
        Duration stalledFor = Duration.ZERO;
        byte[] extra = new byte[0];
        boolean extraCapped;

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    out.add(h[1]);
                }
            }
            return out;
        }
    }

    /** One GET on a fresh connection, read as described in the class comment; null when no head arrived. */
    static Look look(RunContext ctx, Target target) {
        Duration wait = RequestCheck.peekWait(ctx.profile().requestTimeout());
        String request = "GET " + target.path() + " HTTP/1.1\r\nHost: " + target.hostHeader()
                + "\r\nUser-Agent: gateway-check/0.1\r\nAccept: */*\r\nAccept-Encoding: " + ACCEPT_ENCODING
                + "\r\nConnection: close\r\n\r\n";
        try (RawConnection conn = RawConnection.open(ctx, target, wait)) {
            Socket socket = conn.raw();
            Socket s = conn.socket();
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Reader in = new Reader(s.getInputStream());
            Look look = new Look();
            boolean headComplete = readHead(in, look);
            HeadLines.judge(ctx, target, look.status, look.statusLine, look.headLines, !headComplete && in.eof);
            if (!headComplete) {
                return null;
            }
            if (!hasBody(look.status)) {
                return null;
            }
            List<String> te = look.headers("Transfer-Encoding");
            long cl = contentLength(look.headers("Content-Length"), te);
            if (!te.isEmpty()) {
                if (!te.get(te.size() - 1).toLowerCase(Locale.ROOT).contains("chunked")) {
                    return null;
                }
                readChunked(in, look);
                return look;
            }
            if (cl < 0) {
                if (!look.headers("Content-Length").isEmpty()) {
                    return null;   // invalid or conflicting: CONFLICTING_FRAMING_HEADERS
                }
                readToEnd(in, look);
                return look;
            }
            look.contentLength = cl;
            readLength(ctx, socket, in, look, wait);
            return look;
        } catch (IOException e) {
            return null;   // connect, TLS, or read failures: the forwarded request's checks name them
        }
    }

    /** Reads heads until a final one (interim 1xx heads skipped, at most ten); false when none completes. */
    private static boolean readHead(Reader in, Look look) throws IOException {
        for (int interim = 0; interim <= 10; interim++) {
            String statusLine = in.line();
            if (statusLine == null) {
                return false;
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
                return false;
            }
            look.status = Integer.parseInt(parts[1]);
            look.statusLine = statusLine;
            look.headers.clear();
            look.headLines.clear();
            for (int i = 0; i < HttpExchange.MAX_HEADER_COUNT + 1; i++) {
                String line = in.line();
                if (line == null) {
                    return false;
                }
                if (line.isEmpty()) {
                    break;
                }
                look.headLines.add(line);
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    return false;   // INVALID_RESPONSE_HEADER, named by the forwarded request
                }
                look.headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
            }
            if (look.status >= 200) {
                return true;
            }
        }
        return false;
    }

    private static void readLength(RunContext ctx, Socket socket, Reader in, Look look, Duration wait)
            throws IOException {
        int want = (int) Math.min(look.contentLength, HttpExchange.MAX_BODY_BYTES);
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(want, 65536));
        byte[] buf = new byte[8192];
        long lastByte = System.nanoTime();
        while (body.size() < want) {
            int r;
            try {
                r = in.read(buf, 0, Math.min(buf.length, want - body.size()));
            } catch (SocketTimeoutException e) {
                look.body = body.toByteArray();
                look.stalledFor = Duration.ofNanos(System.nanoTime() - lastByte);
                // a stall counts only when the full wait passed, not when the run's deadline cut it
                look.end = look.stalledFor.compareTo(wait.minusMillis(50)) >= 0 ? End.STALL : End.BROKEN;
                return;
            }
            if (r < 0) {
                look.body = body.toByteArray();
                look.end = End.BROKEN;   // FIN mid-body: BACKEND_CLOSED_MID_RESPONSE
                return;
            }
            body.write(buf, 0, r);
            lastByte = System.nanoTime();
        }
        look.body = body.toByteArray();
        if (look.contentLength > want) {
            look.end = End.CAP;
            return;
        }
        look.end = End.COMPLETE;
        socket.setSoTimeout(ctx.deadline().capMillis(EXTRA_WAIT));
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        while (extra.size() < MAX_EXTRA_BYTES) {
            int r;
            try {
                r = in.read(buf, 0, Math.min(buf.length, MAX_EXTRA_BYTES - extra.size()));
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                break;   // reset after the body: the extra bytes seen so far still count
            }
            if (r < 0) {
                break;
            }
            extra.write(buf, 0, r);
        }
        look.extra = extra.toByteArray();
        look.extraCapped = extra.size() >= MAX_EXTRA_BYTES;
    }

    private static void readChunked(Reader in, Look look) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int chunks = 0; chunks < 1_000_000; chunks++) {
                String sizeLine = in.line();
                if (sizeLine == null) {
                    return;
                }
                int semi = sizeLine.indexOf(';');
                String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
                if (!hex.matches("[0-9a-fA-F]{1,8}")) {
                    return;   // INVALID_CHUNKED_ENCODING, named by the forwarded request
                }
                long size = Long.parseLong(hex, 16);
                if (size == 0) {
                    look.body = body.toByteArray();
                    look.end = End.COMPLETE;
                    return;
                }
                long left = size;
                while (left > 0) {
                    int room = HttpExchange.MAX_BODY_BYTES - body.size();
                    if (room <= 0) {
                        look.body = body.toByteArray();
                        look.end = End.CAP;
                        return;
                    }
                    int r = in.read(buf, 0, (int) Math.min(Math.min(buf.length, left), room));
                    if (r < 0) {
                        return;
                    }
                    body.write(buf, 0, r);
                    left -= r;
                }
                if (!"".equals(in.line())) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            look.end = End.BROKEN;
        }
    }

    private static void readToEnd(Reader in, Look look) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (body.size() < HttpExchange.MAX_BODY_BYTES) {
                int r = in.read(buf, 0, Math.min(buf.length, HttpExchange.MAX_BODY_BYTES - body.size()));
                if (r < 0) {
                    look.body = body.toByteArray();
                    look.end = End.COMPLETE;
                    return;
                }
                body.write(buf, 0, r);
            }
            look.body = body.toByteArray();
            look.end = End.CAP;
        } catch (SocketTimeoutException e) {
            look.end = End.BROKEN;
        }
    }

    /** A small buffered reader of CRLF lines and raw bytes, bounded by {@link #MAX_HEAD_BYTES} per look. */
    private static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[8192];
        private int pos;
        private int len;
        private int lineBytes;
        /** Whether the peer ended the stream (FIN). */
        boolean eof;

        Reader(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            if (pos < len) {
                return true;
            }
            int r = in.read(buf, 0, buf.length);
            if (r <= 0) {
                eof = r < 0;
                return false;
            }
            pos = 0;
            len = r;
            return true;
        }

        /** The next line without its CRLF (or LF), or null at the end or past the head bound. */
        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            while (lineBytes < MAX_HEAD_BYTES) {
                if (!fill()) {
                    return null;
                }
                int c = buf[pos++] & 0xff;
                lineBytes++;
                if (c == '\n') {
                    int n = b.length();
                    return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
                }
                b.append((char) c);
            }
            return null;
        }

        int read(byte[] dst, int off, int max) throws IOException {
            if (max == 0) {
                return 0;
            }
            if (pos < len) {
                int n = Math.min(max, len - pos);
                System.arraycopy(buf, pos, dst, off, n);
                pos += n;
                return n;
            }
            return in.read(dst, off, max);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Whether a response with this status to a GET carries a body. */
    static boolean hasBody(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    /** The single valid Content-Length without Transfer-Encoding, or -1. */
    static long contentLength(List<String> cl, List<String> te) {
        if (cl.isEmpty() || !te.isEmpty()) {
            return -1;
        }
        String first = cl.get(0).trim();
        for (String v : cl) {
            if (!v.trim().equals(first)) {
                return -1;
            }
        }
        if (!first.matches("[0-9]{1,18}")) {
            return -1;
        }
        return Long.parseLong(first);
    }
}
