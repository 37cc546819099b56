package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.BodyLookSeen;
import dev.gatewaycheck.core.judge.BodyLookSeen.End;
import dev.gatewaycheck.core.judge.BodyLookSeen.Forwarded;
import dev.gatewaycheck.core.judge.BodyLookSeen.Inflated;
import dev.gatewaycheck.core.judge.BodyLookSeen.SecondLook;
import dev.gatewaycheck.core.judge.BodyRules;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
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

/**
 * Looks at the response body against its framing and its coding, after the forwarded request, for
 * {@link BodyRules} to judge ({@link BodyLookSeen}): how far the forwarded request's body got when the exchange
 * failed, and a second look at the body.
 *
 * <p>The second look is one GET with {@code Accept-Encoding: gzip, deflate} (as gateways forward from browsers) and
 * {@code Connection: close} on a fresh connection, only when the forwarded request got a complete response, written
 * and parsed with httpcore5's own writer, strict parser and body decoders (Content-Length, chunked,
 * close-delimited), as the keep-alive check does. Its waits are bounded: the head at most two seconds (less when the
 * gateway waits less), each body read what the gateway waits per read (a stall is measured from the last byte that
 * came, and only a read that waited the gateway's whole request timeout is one), the bytes after a complete body
 * until the backend's FIN or {@link #SILENCE} without a byte (at most {@link #EXTRA_WAIT}), all capped by the run's
 * deadline; it reads at most {@link HttpExchange#MAX_BODY_BYTES} of body (a body cut at that cap is not judged
 * broken), and inflates a gzip or deflate body.
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
    /** The most interim (1xx) heads skipped before the final one. */
    static final int MAX_INTERIM_HEADS = 10;
    /** The most decompressed bytes inflated before the coding counts as valid. */
    static final long MAX_INFLATED_BYTES = 64L * 1024 * 1024;
    /** The least time left before the run's deadline for the second look to start. */
    static final Duration MIN_TIME_LEFT = Duration.ofMillis(500);
    /** The codings the second look asks for and inflates. */
    static final Set<String> INFLATED_CODINGS = Set.of("gzip", "x-gzip", "deflate");
    /** What the second look accepts, as browsers (and so gateways) ask. */
    static final String ACCEPT_ENCODING = "gzip, deflate";
    /** The input buffer's size. */
    private static final int IN_BUFFER = 16 * 1024;
    /** The output buffer's size: the request head fits. */
    private static final int OUT_BUFFER = 4096;
    /** The size of one body read. */
    private static final int READ_CHUNK = 8192;
    /** The size of one inflated block (the bytes inflated before an error are counted in these). */
    private static final int INFLATE_CHUNK = 16 * 1024;

    private BodyCheck() {
    }

    /** Looks at the forwarded request's body and, when it was complete, takes the second look. */
    public static void afterRequest(RunContext ctx, Target target, HttpObservation obs) {
        if (!obs.hasResponse() || !hasBody(obs.status())) {
            return;
        }
        if (obs.failure() != null) {
            if (obs.firstByte() != null) {
                // measured from the last byte that came, as a gateway's read timeout is
                Duration stalled = obs.quietAtEnd() == null ? obs.total().minus(obs.firstByte()) : obs.quietAtEnd();
                ctx.observe(BodyRules.of(new Forwarded(target.label(), target.host(), target.path(), obs.status(),
                        contentLength(obs.headers("Content-Length"), obs.headers("Transfer-Encoding")),
                        obs.body().length(), obs.bodyTruncated(), obs.cutShort(),
                        FailureClassifier.classify(obs.failure(), target.tls()), stalled), ctx.profile()));
            }
            return;
        }
        if (ctx.cutShort() || !ctx.deadline().allows(MIN_TIME_LEFT)) {
            return;
        }
        SecondLook look = look(ctx, target);
        if (look != null) {
            ctx.observe(BodyRules.of(look, ctx.profile()));
        }
    }

    // ---- inflating -----------------------------------------------------------------------------------------

    /**
     * Inflates {@code body} as {@code coding} (gzip, x-gzip, or deflate: zlib, or raw deflate as browsers also
     * accept). A body cut at the read cap may end early: that end is not an error.
     */
    static Inflated inflate(String coding, byte[] body, boolean cut) {
        if (coding.equals("deflate")) {
            Inflated zlib = inflate(body, cut, false, false);
            return zlib.error() == null ? zlib : inflate(body, cut, false, true);
        }
        return inflate(body, cut, true, false);
    }

    private static Inflated inflate(byte[] body, boolean cut, boolean gzip, boolean raw) {
        long n = 0;
        byte[] buf = new byte[INFLATE_CHUNK];
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

    /** What the second look read, as it reads it. */
    private static final class Look {
        long contentLength = -1;
        byte[] body = new byte[0];
        End end = End.BROKEN;
        Duration stalledFor = Duration.ZERO;
        byte[] extra = new byte[0];
        boolean extraCapped;

        /** The facts, with the head's status and Content-Encoding; a gzip or deflate body that ended, inflated. */
        SecondLook seen(Target target, int status, String contentEncoding) {
            String coding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
            Inflated inflated = INFLATED_CODINGS.contains(coding) && body.length > 0
                    && (end == End.COMPLETE || end == End.CAP) ? inflate(coding, body, end == End.CAP) : null;
            return new SecondLook(target.label(), target.host(), target.path(), ACCEPT_ENCODING, status,
                    contentEncoding, contentLength, body.length, start(body), end, stalledFor, extra.length,
                    extraCapped, start(extra), inflated);
        }

        private static String start(byte[] b) {
            return new String(b, 0, Math.min(b.length, BodyLookSeen.START_BYTES), StandardCharsets.ISO_8859_1);
        }
    }

    /** One GET on a fresh connection, read as described in the class comment; null when no body was read. */
    static SecondLook look(RunContext ctx, Target target) {
        Duration wait = RequestCheck.peekWait(ctx.profile().requestTimeout());
        Http1Config h1 = HttpExchange.h1Config(ctx.profile()).setMaxEmptyLineCount(1).build();
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
            SessionOutputBufferImpl outBuffer = new SessionOutputBufferImpl(OUT_BUFFER);
            new DefaultHttpRequestWriter().write(request, outBuffer, out);
            outBuffer.flush(out);
            HeadRecorder in = new HeadRecorder(s.getInputStream());
            SessionInputBufferImpl inBuffer = new SessionInputBufferImpl(IN_BUFFER, h1.getMaxLineLength());
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
            if (head == null || !hasBody(head.getCode())) {
                return null;
            }
            Look look = new Look();
            List<String> te = values(head, HttpHeaders.TRANSFER_ENCODING);
            List<String> cl = values(head, HttpHeaders.CONTENT_LENGTH);
            look.contentLength = contentLength(cl, te);
            if (!te.isEmpty()) {
                if (!te.get(te.size() - 1).toLowerCase(Locale.ROOT).contains("chunked")) {
                    return null;
                }
                bodyWait(ctx, socket);
                readAll(new ChunkedInputStream(inBuffer, in, h1), look);
            } else if (look.contentLength < 0) {
                if (!cl.isEmpty()) {
                    return null;   // invalid or conflicting: CONFLICTING_FRAMING_HEADERS
                }
                bodyWait(ctx, socket);
                readAll(new IdentityInputStream(inBuffer, in), look);
            } else {
                readLength(ctx, socket, inBuffer, in, look, bodyWait(ctx, socket));
            }
            List<String> ce = values(head, HttpHeaders.CONTENT_ENCODING);
            return look.seen(target, head.getCode(), ce.isEmpty() ? null : ce.get(0));
        } catch (IOException | HttpException e) {
            return null;   // connect, TLS, parse or read failures: the forwarded request's checks name them
        }
    }

    /** The values of the head's {@code name} headers, in order (a header without a value: empty). */
    private static List<String> values(ClassicHttpResponse head, String name) {
        return Arrays.stream(head.getHeaders(name)).map(h -> h.getValue() == null ? "" : h.getValue()).toList();
    }

    /**
     * Sets each body read's wait to what the gateway waits per read (its request timeout, and a little more so that
     * "longer than the gateway" is measured), capped by the run's deadline: a body that comes slowly but steadily is
     * no finding. Returns the gateway's wait.
     */
    private static Duration bodyWait(RunContext ctx, Socket socket) throws IOException {
        Duration gateway = ctx.profile().requestTimeout();
        socket.setSoTimeout(ctx.deadline().capMillis(RequestCheck.beyond(gateway)));
        return gateway;
    }

    /** Parses heads until a final one (at most {@link #MAX_INTERIM_HEADS} interim heads) with httpcore5's parser. */
    private static ClassicHttpResponse readHead(DefaultHttpResponseParser parser, SessionInputBufferImpl inBuffer,
                                                InputStream in) throws IOException, HttpException {
        for (int interim = 0; interim <= MAX_INTERIM_HEADS; interim++) {
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
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream bodyIn = new ContentLengthInputStream(inBuffer, in, want);
        byte[] buf = new byte[READ_CHUNK];
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
        byte[] buf = new byte[READ_CHUNK];
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
