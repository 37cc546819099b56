package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
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
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
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
 * got a complete response, written and parsed with httpcore5's own writer, strict parser and body decoders
 * (Content-Length, chunked, close-delimited), as the keep-alive check does. Its waits are bounded: the head at most
 * two seconds (less when the gateway waits less), each body read what the gateway waits per read (a stall is
 * measured from the last byte that came, and only a read that waited the gateway's whole request timeout is one),
 * the bytes after a complete body until the backend's FIN or {@link #SILENCE} without a byte (at most
 * {@link #EXTRA_WAIT}), all capped by the run's deadline; it reads at most {@link HttpExchange#MAX_BODY_BYTES} of
 * body (a body cut at that cap is not judged broken).
 */
public final class BodyCheck {

    /** The longest the second look watches for bytes after a complete Content-Length body. */
    static final Duration EXTRA_WAIT = Duration.ofMillis(200);
    /** A read after the body that brings nothing for this long ends the watch: the backend has no more to say. */
    static final Duration SILENCE = Duration.ofMillis(50);
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
        if (obs.cutShort()) {
            return;   // the run's deadline ended the wait: nothing about the backend (inconclusive)
        }
        Optional<Cause> c = TransportRules.cause(FailureClassifier.classify(obs.failure(), target.tls()));
        if (c.isPresent() && c.get() != Cause.RESPONSE_TIMEOUT) {
            return;   // FIN, RST, chunk or framing errors: their own causes
        }
        // measured from the last byte that came, as a gateway's read timeout is
        Duration stalled = obs.quietAtEnd() == null ? obs.total().minus(obs.firstByte()) : obs.quietAtEnd();
        Duration gatewayWait = ctx.profile().requestTimeout();
        if (stalled.compareTo(gatewayWait) < 0) {
            return;   // no read waited as long as the gateway would
        }
        String endedBy = "the gateway's request timeout";
        ctx.observe(Observation.of(Cause.CONTENT_LENGTH_MISMATCH, target.label(), "The body stopped after " + received + " of the "
                + cl + " bytes its Content-Length announces, and no further byte came for "
                + Text.seconds(stalled) + " (" + endedBy + " ended the wait; the gateway waits "
                + gatewayWait.toSeconds() + "s and then answers an error)", Evidence.builder()
                .put("request", "GET " + target.path()).put("host", target.host()).put("status", obs.status())
                .put("contentLength", cl).put("bytesReceived", received).put("after", "stall")
                .put("stalledForSeconds", stalled).put("endedBy", endedBy)
                .put("gatewayRequestTimeoutSeconds", gatewayWait).build()).afterHead(obs.status()));
    }

    private static void judge(RunContext ctx, Target target, Look look) {
        String contentEncoding = look.header("Content-Encoding");
        Evidence.Builder base = Evidence.builder().put("request", "GET " + target.path() + " (Accept-Encoding: "
                + ACCEPT_ENCODING + ", Connection: close)").put("host", target.host()).put("status", look.status)
                .put("contentEncoding", contentEncoding);
        if (look.contentLength >= 0 && look.end == End.STALL) {
            ctx.observe(Observation.of(Cause.CONTENT_LENGTH_MISMATCH, target.label(), "The body stopped after "
                    + look.body.length + " of the " + look.contentLength + " bytes its Content-Length announces"
                    + (contentEncoding == null ? "" : " (Content-Encoding: " + contentEncoding + ")")
                    + ", and no further byte came for " + Text.seconds(look.stalledFor)
                    + "; the gateway waits for the rest until its timeout", base
                    .put("contentLength", look.contentLength).put("bytesReceived", look.body.length)
                    .put("after", "stall").put("stalledForSeconds", look.stalledFor).build()).afterHead(look.status));
            return;
        }
        if (look.contentLength >= 0 && look.extra.length > 0) {
            String extraStart = new String(look.extra, 0, Math.min(look.extra.length, 60), StandardCharsets.ISO_8859_1);
            ctx.observe(Observation.of(Cause.CONTENT_LENGTH_MISMATCH, target.label(), look.extra.length + (look.extraCapped ? "+" : "")
                    + " more bytes followed the " + look.contentLength + "-byte body its Content-Length announces "
                    + "(nginx: 'upstream sent more data than specified in \"Content-Length\" header')", base
                    .put("contentLength", look.contentLength)
                    .put("bytesReceived", look.body.length + look.extra.length)
                    .put("after", look.extra.length + (look.extraCapped ? "+" : "") + " extra bytes")
                    .put("extraBytes", look.extra.length).put("extraStart", RawPeek.escape(extraStart)).build()).afterHead(look.status));
        }
        if (contentEncoding != null && (look.end == End.COMPLETE || look.end == End.CAP) && look.body.length > 0) {
            String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("deflate")) {
                return;
            }
            Inflated r = inflate(coding, look.body, look.end == End.CAP);
            if (r.error != null) {
                ctx.observe(Observation.of(Cause.INVALID_COMPRESSED_BODY, target.label(), "The body says Content-Encoding: "
                        + contentEncoding + " but does not decompress: " + r.error, base
                        .put("bytes", look.body.length).put("bodyComplete", look.end == End.COMPLETE)
                        .put("inflatedBeforeError", r.inflated).put("error", r.error)
                        .put("bodyStart", RawPeek.escape(new String(look.body, 0, Math.min(look.body.length, 16),
                                StandardCharsets.ISO_8859_1))).build()).afterHead(look.status));
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
        int maxLine = Math.max(ctx.profile().maxResponseHeaderBytes(), 8192) * 2;
        Http1Config h1 = Http1Config.custom().setMaxHeaderCount(HttpExchange.MAX_HEADER_COUNT)
                .setMaxLineLength(maxLine).setMaxEmptyLineCount(1).build();
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", target.path());
        request.setVersion(HttpVersion.HTTP_1_1);
        request.setHeader(HttpHeaders.HOST, target.hostHeader());
        request.setHeader(HttpHeaders.USER_AGENT, "gateway-check/0.1");
        request.setHeader(HttpHeaders.ACCEPT, "*/*");
        request.setHeader(HttpHeaders.ACCEPT_ENCODING, ACCEPT_ENCODING);
        request.setHeader(HttpHeaders.CONNECTION, "close");
        try (RawConnection conn = RawConnection.open(ctx, target, wait)) {
            Socket socket = conn.raw();
            Socket s = conn.socket();
            OutputStream out = s.getOutputStream();
            SessionOutputBufferImpl outBuffer = new SessionOutputBufferImpl(4096);
            new DefaultHttpRequestWriter().write(request, outBuffer, out);
            outBuffer.flush(out);
            HeadRecorder in = new HeadRecorder(s.getInputStream());
            SessionInputBufferImpl inBuffer = new SessionInputBufferImpl(16 * 1024, maxLine);
            Look look = new Look();
            ClassicHttpResponse head;
            try {
                head = readHead(new DefaultHttpResponseParser(h1), inBuffer, in);
            } catch (IOException | HttpException e) {
                head = null;   // the raw lines below still say what a gateway rejects
            }
            // the head's lines as they came (httpcore5 reads NUL as a space, unfolds or rejects lines): gateways'
            // rules for them, and a FIN before the blank line
            RawHead raw = in.finalHead();
            HeadLines.judge(ctx, target, raw.status(), raw.statusLine(), raw.lines(), !raw.complete() && in.eof);
            if (head == null) {
                return null;
            }
            look.status = head.getCode();
            for (Header h : head.getHeaders()) {
                look.headers.add(new String[] {h.getName(), h.getValue() == null ? "" : h.getValue()});
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
                bodyWait(ctx, socket);
                readAll(new ChunkedInputStream(inBuffer, in, h1), look);
                return look;
            }
            if (cl < 0) {
                if (!look.headers("Content-Length").isEmpty()) {
                    return null;   // invalid or conflicting: CONFLICTING_FRAMING_HEADERS
                }
                bodyWait(ctx, socket);
                readAll(new IdentityInputStream(inBuffer, in), look);
                return look;
            }
            look.contentLength = cl;
            readLength(ctx, socket, inBuffer, in, look, bodyWait(ctx, socket));
            return look;
        } catch (IOException | HttpException e) {
            return null;   // connect, TLS, parse or read failures: the forwarded request's checks name them
        }
    }

    /**
     * Sets each body read's wait to what the gateway waits per read (its request timeout, and a little more so that
     * "longer than the gateway" is measured), capped by the run's deadline: a body that comes slowly but steadily is
     * no finding. Returns the gateway's wait.
     */
    private static Duration bodyWait(RunContext ctx, Socket socket) throws IOException {
        Duration gateway = ctx.profile().requestTimeout();
        socket.setSoTimeout(ctx.deadline().capMillis(gateway.plus(gateway.dividedBy(10)).plusMillis(200)));
        return gateway;
    }

    /** Parses heads until a final one (interim 1xx heads skipped, at most ten) with httpcore5's strict parser. */
    private static ClassicHttpResponse readHead(DefaultHttpResponseParser parser, SessionInputBufferImpl inBuffer,
                                                InputStream in) throws IOException, HttpException {
        for (int interim = 0; interim <= 10; interim++) {
            ClassicHttpResponse r = parser.parse(inBuffer, in);
            if (r == null || inBuffer.getMetrics().getBytesTransferred() > MAX_HEAD_BYTES) {
                return null;
            }
            if (r.getCode() >= 200) {
                return r;
            }
        }
        return null;
    }

    /**
     * Reads a Content-Length body (a stall is measured from the last byte that came), then what follows it on the
     * connection until the backend has nothing more to say: its FIN (it honoured {@code Connection: close}), or a
     * read of {@link #SILENCE} that brings nothing; at most {@link #EXTRA_WAIT} in all.
     */
    private static void readLength(RunContext ctx, Socket socket, SessionInputBufferImpl inBuffer, InputStream in,
                                   Look look, Duration wait) throws IOException {
        int want = (int) Math.min(look.contentLength, HttpExchange.MAX_BODY_BYTES);
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(want, 65536));
        InputStream bodyIn = new ContentLengthInputStream(inBuffer, in, want);
        byte[] buf = new byte[8192];
        long lastByte = System.nanoTime();
        while (body.size() < want) {
            int r;
            try {
                r = bodyIn.read(buf, 0, Math.min(buf.length, want - body.size()));
            } catch (SocketTimeoutException e) {
                look.body = body.toByteArray();
                look.stalledFor = Duration.ofNanos(System.nanoTime() - lastByte);
                // a stall counts only when a read waited the gateway's whole wait, not when the run's deadline cut it
                look.end = look.stalledFor.compareTo(wait) >= 0 && !ctx.cutShort() ? End.STALL : End.BROKEN;
                return;
            } catch (ConnectionClosedException e) {
                r = -1;
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
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        long until = System.nanoTime() + EXTRA_WAIT.toNanos();
        // bounded: each pass adds bytes or ends, and bytes and time are capped
        for (int pass = 0; pass < MAX_EXTRA_BYTES && extra.size() < MAX_EXTRA_BYTES; pass++) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int r;
            try {
                if (!inBuffer.hasBufferedData()) {
                    socket.setSoTimeout(ctx.deadline().capMillis(Duration.ofNanos(Math.min(left,
                            SILENCE.toNanos()))));
                }
                r = inBuffer.read(buf, 0, Math.min(buf.length, MAX_EXTRA_BYTES - extra.size()), in);
            } catch (SocketTimeoutException e) {
                break;   // silence: nothing more to say
            } catch (IOException e) {
                break;   // reset after the body: the extra bytes seen so far still count
            }
            if (r < 0) {
                break;   // FIN: the backend honoured Connection: close
            }
            extra.write(buf, 0, r);
        }
        look.extra = extra.toByteArray();
        look.extraCapped = extra.size() >= MAX_EXTRA_BYTES;
    }

    /** Reads a chunked or close-delimited body through httpcore5's decoder, up to the cap. */
    private static void readAll(InputStream bodyIn, Look look) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (body.size() < HttpExchange.MAX_BODY_BYTES) {
                int r = bodyIn.read(buf, 0, Math.min(buf.length, HttpExchange.MAX_BODY_BYTES - body.size()));
                if (r < 0) {
                    look.body = body.toByteArray();
                    look.end = End.COMPLETE;
                    return;
                }
                body.write(buf, 0, r);
            }
            look.body = body.toByteArray();
            look.end = End.CAP;
        } catch (SocketTimeoutException | MalformedChunkCodingException
                 | ConnectionClosedException e) {
            look.body = body.toByteArray();
            look.end = End.BROKEN;   // a stall, a bad chunk or an early close: the forwarded request names it
        }
    }

    /**
     * The raw bytes of the response head as they came, for what the parser hides (it reads NUL as a space): records
     * at most {@link #MAX_HEAD_BYTES}, passes every byte on.
     */
    private static final class HeadRecorder extends java.io.FilterInputStream {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        /** Whether the peer ended the stream (FIN). */
        boolean eof;

        HeadRecorder(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            eof |= b < 0;
            if (b >= 0 && seen.size() < MAX_HEAD_BYTES) {
                seen.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            eof |= n < 0;
            if (n > 0 && seen.size() < MAX_HEAD_BYTES) {
                seen.write(b, off, Math.min(n, MAX_HEAD_BYTES - seen.size()));
            }
            return n;
        }

        /**
         * The final head among those read (interim 1xx heads skipped): its status (0 when the status line is not
         * {@code HTTP/x.y NNN}), its header lines without line ends, and whether its blank line came.
         */
        RawHead finalHead() {
            String[] lines = seen.toString(StandardCharsets.ISO_8859_1).split("\n", -1);
            int status = 0;
            String statusLine = "";
            List<String> headerLines = new ArrayList<>();
            boolean atStatusLine = true;
            for (int i = 0; i < lines.length; i++) {
                boolean last = i == lines.length - 1;   // no LF after it (yet)
                String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
                if (last) {
                    break;
                }
                if (atStatusLine) {
                    String[] parts = l.split(" ", 3);
                    status = parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].matches("[0-9]{3}")
                            ? Integer.parseInt(parts[1]) : 0;
                    statusLine = l;
                    headerLines.clear();
                    atStatusLine = false;
                    if (status == 0) {
                        return new RawHead(0, "", List.of(), false);
                    }
                } else if (l.isEmpty()) {
                    if (status >= 200) {
                        return new RawHead(status, statusLine, List.copyOf(headerLines), true);
                    }
                    atStatusLine = true;   // an interim head ended: the next one follows
                } else {
                    headerLines.add(l);
                }
            }
            return new RawHead(atStatusLine ? 0 : status, atStatusLine ? "" : statusLine, List.copyOf(headerLines),
                    false);
        }
    }

    /** A response head as its bytes came: status, status line, header lines, and whether its blank line ended it. */
    record RawHead(int status, String statusLine, List<String> lines, boolean complete) {
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
