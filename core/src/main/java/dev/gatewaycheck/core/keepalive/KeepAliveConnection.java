package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.RawPeek;
import dev.gatewaycheck.core.Text;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentLengthStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.DefaultContentLengthStrategy;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.ContentLengthInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpRequestWriter;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.impl.io.SessionOutputBufferImpl;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.MessageSupport;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * One persistent connection to the backend on a raw socket (TLS layered on it when the target is https, trusting
 * any certificate), so that the keep-alive check sees what httpclient5 hides: the exact instant the backend ends an
 * idle connection and whether it did so with FIN or RST. Requests are written and responses parsed with httpcore5's
 * own writer, strict parser and body decoders (Content-Length, chunked, close-delimited); nothing here parses HTTP
 * by hand. Every socket operation has a timeout capped by the run's deadline, and the sockets are registered with
 * the run's watchdog. Not thread-safe: one connection per thread.
 */
final class KeepAliveConnection implements Closeable {

    /** The most body bytes read per response; a larger body ends the measurement. */
    static final int MAX_BODY_BYTES = HttpExchange.MAX_BODY_BYTES;
    /** The most bytes kept from what the backend sends on an idle connection. */
    static final int MAX_IDLE_BYTES = 4096;

    /** The last stretch before a racing request's instant is spun, not parked, to send it on time. */
    private static final long SPIN_NANOS = 2_000_000L;
    private static final TimeValue NOT_ADVERTISED = TimeValue.ofMilliseconds(-12_345);

    /** How the backend ended a connection. */
    enum CloseKind {
        /** Orderly close: {@code read()} returned -1 (for TLS: close_notify, or the TCP FIN under it). */
        FIN,
        /** Reset: {@code SocketException: Connection reset} (or broken pipe on write). */
        RST
    }

    /** Why an exchange failed. */
    enum Failure {
        /** RST before or during the response. */
        RST("RST"),
        /** FIN before the first byte of the response: an empty reply. */
        EMPTY_REPLY("empty reply (FIN)"),
        /** FIN in the middle of the response. */
        TRUNCATED("truncated response (FIN)"),
        /** No (complete) response within the read timeout. */
        TIMEOUT("no response in time"),
        /** Bytes that are not a valid HTTP response. */
        PROTOCOL("invalid HTTP response"),
        /** The body is larger than {@link #MAX_BODY_BYTES}. */
        BODY_TOO_LARGE("response body larger than 1 MiB"),
        /** Anything else (the watchdog closed the socket, ...). */
        IO("I/O error");

        private final String text;

        Failure(String text) {
            this.text = text;
        }

        /** Whether this is how a closed connection answers a request (what the gateway turns into a 502). */
        boolean isClosedConnection() {
            return this == RST || this == EMPTY_REPLY || this == TRUNCATED;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One request and its response, as far as it got.
     *
     * @param status            the status code, 0 when no response was parsed
     * @param version           {@code HTTP/1.1}, or empty
     * @param reusable          whether httpcore5's reuse strategy would keep the connection (no
     *                          {@code Connection: close}, HTTP/1.1 or 1.0 keep-alive, self-delimited body)
     * @param connectionHeader  the {@code Connection} header values, or null when absent
     * @param advertisedTimeout the {@code Keep-Alive: timeout=} value, or null when not advertised
     * @param advertisedMax     the {@code Keep-Alive: max=} value, or null when not advertised
     * @param framing           {@code content-length}, {@code chunked}, {@code close-delimited} or {@code none}
     * @param failure           why it failed, or null
     * @param detail            the exception behind the failure, or empty
     * @param endNanos          {@link System#nanoTime()} when the last byte of the response was read
     */
    record Exchange(int status, String version, boolean reusable, String connectionHeader, Duration advertisedTimeout,
                    Integer advertisedMax, String framing, Failure failure, String detail, long endNanos) {

        boolean failed() {
            return failure != null;
        }
    }

    /**
     * What happened on the idle connection.
     *
     * @param kind     FIN or RST, or null when the connection was still open when watching stopped
     * @param idle     from the end of the last response to the close (or to the end of watching)
     * @param received bytes the backend sent while idle (a 408 page, say), escaped; empty when none
     * @param cutShort the watchdog closed the socket (run deadline) or the thread was interrupted
     */
    record IdleEnd(CloseKind kind, Duration idle, String received, boolean cutShort) {
    }

    private final RunContext ctx;
    private final Target target;
    private final Socket raw;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Http1Config h1;
    private final SessionInputBufferImpl inBuffer;
    private final SessionOutputBufferImpl outBuffer = new SessionOutputBufferImpl(8192);
    private final DefaultHttpResponseParser parser;
    private final DefaultHttpRequestWriter writer = new DefaultHttpRequestWriter();
    private int requests;
    private long lastResponseEnd;

    private KeepAliveConnection(RunContext ctx, Target target, Socket raw, Socket socket) throws IOException {
        this.ctx = ctx;
        this.target = target;
        this.raw = raw;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        int maxLine = Math.max(ctx.profile().maxResponseHeaderBytes(), 8192) * 2;
        this.h1 = Http1Config.custom().setMaxHeaderCount(HttpExchange.MAX_HEADER_COUNT).setMaxLineLength(maxLine)
                .setMaxEmptyLineCount(1).build();
        this.inBuffer = new SessionInputBufferImpl(16 * 1024, maxLine);
        this.parser = new DefaultHttpResponseParser(h1);
    }

    /**
     * Connects (and handshakes, for TLS) with the profile's timeouts capped by the deadline.
     *
     * @throws IOException when the connection or handshake fails
     */
    static KeepAliveConnection open(RunContext ctx, Target target) throws IOException {
        Socket raw = ctx.register(new Socket());
        boolean done = false;
        try {
            raw.setTcpNoDelay(true);
            Socket connecting = raw;
            // in the run's connection order: a series running beside the watch stays consecutive at the backend
            ctx.connecting(() -> connecting.connect(target.address(),
                    ctx.deadline().capMillis(ctx.profile().connectTimeout())));
            Socket s = raw;
            if (target.tls()) {
                raw.setSoTimeout(ctx.deadline().capMillis(ctx.profile().tlsHandshakeTimeout()));
                SSLSocket ssl = (SSLSocket) HttpExchange.forGateway(ctx).getSocketFactory()
                        .createSocket(raw, target.host(), target.address().getPort(), true);
                ctx.register(ssl);
                ssl.startHandshake();
                s = ssl;
            }
            KeepAliveConnection c = new KeepAliveConnection(ctx, target, raw, s);
            done = true;
            return c;
        } finally {
            if (!done) {
                quietlyClose(raw);
                ctx.unregister(raw);
            }
        }
    }

    /** How many requests were sent on this connection. */
    int requests() {
        return requests;
    }

    /** When the last response ended ({@link System#nanoTime()}), 0 before the first. */
    long lastResponseEnd() {
        return lastResponseEnd;
    }

    /** Sends {@code GET path} with the target's Host and reads the whole response (body capped). Never throws. */
    Exchange exchange(Duration readTimeout) {
        Failure sendFailure = send();
        if (sendFailure != null) {
            return failed(sendFailure, "write failed");
        }
        return receive(readTimeout);
    }

    /** Writes the request; returns the failure, or null. */
    Failure send() {
        BasicClassicHttpRequest request = request();
        requests++;
        try {
            writer.write(request, outBuffer, out);
            outBuffer.flush(out);
            return null;
        } catch (IOException | HttpException e) {
            return isReset(e) ? Failure.RST : Failure.IO;
        }
    }

    private BasicClassicHttpRequest request() {
        BasicClassicHttpRequest request = new BasicClassicHttpRequest("GET", target.path());
        request.setVersion(HttpVersion.HTTP_1_1);
        request.setHeader(HttpHeaders.HOST, target.hostHeader());
        request.setHeader(HttpHeaders.USER_AGENT, "gateway-check/0.1");
        request.setHeader(HttpHeaders.ACCEPT, "*/*");
        request.setHeader(HttpHeaders.CONNECTION, "keep-alive");
        return request;
    }

    /** Reads one complete response (skipping 1xx), waiting at most {@code readTimeout} per read. Never throws. */
    Exchange receive(Duration readTimeout) {
        long before = inBuffer.getMetrics().getBytesTransferred();
        try {
            socket.setSoTimeout(ctx.deadline().capMillis(readTimeout));
            ClassicHttpResponse response = null;
            for (int i = 0; i < 5; i++) {
                response = parser.parse(inBuffer, in);
                if (response == null || response.getCode() >= 200) {
                    break;
                }
            }
            if (response == null) {
                boolean nothing = inBuffer.getMetrics().getBytesTransferred() == before;
                return failed(nothing ? Failure.EMPTY_REPLY : Failure.TRUNCATED, "connection closed");
            }
            if (response.getCode() < 200) {
                return failed(Failure.PROTOCOL, "too many informational responses");
            }
            String framing = readBody(response);
            if (framing == null) {
                return failed(Failure.BODY_TOO_LARGE, "more than " + MAX_BODY_BYTES + " bytes");
            }
            lastResponseEnd = System.nanoTime();
            HttpCoreContext context = HttpCoreContext.create();
            boolean reusable = !"close-delimited".equals(framing)
                    && DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request(), response, context);
            return new Exchange(response.getCode(), String.valueOf(response.getVersion()), reusable,
                    joined(response.getHeaders(HttpHeaders.CONNECTION)), advertisedTimeout(response),
                    advertisedMax(response), framing, null, "", lastResponseEnd);
        } catch (SocketTimeoutException e) {
            return failed(Failure.TIMEOUT, e.toString());
        } catch (IOException e) {
            if (isReset(e)) {
                return failed(Failure.RST, e.toString());
            }
            if (e instanceof org.apache.hc.core5.http.ConnectionClosedException || e instanceof EOFException) {
                return failed(Failure.TRUNCATED, e.toString());
            }
            if (e instanceof org.apache.hc.core5.http.MessageConstraintException
                    || e instanceof org.apache.hc.core5.http.MalformedChunkCodingException) {
                return failed(Failure.PROTOCOL, e.toString());
            }
            return failed(Failure.IO, e.toString());
        } catch (HttpException | RuntimeException e) {
            return failed(Failure.PROTOCOL, e.toString());
        }
    }

    /** Reads the body; returns its framing, or null when it exceeds the cap. */
    private String readBody(ClassicHttpResponse response) throws IOException, HttpException {
        if (!MessageSupport.canResponseHaveBody("GET", response)) {
            return "none";
        }
        long length = DefaultContentLengthStrategy.INSTANCE.determineLength(response);
        InputStream body;
        String framing;
        if (length == ContentLengthStrategy.CHUNKED) {
            body = new ChunkedInputStream(inBuffer, in, h1);
            framing = "chunked";
        } else if (length == ContentLengthStrategy.UNDEFINED) {
            body = new IdentityInputStream(inBuffer, in);
            framing = "close-delimited";
        } else {
            if (length > MAX_BODY_BYTES) {
                return null;
            }
            body = new ContentLengthInputStream(inBuffer, in, length);
            framing = "content-length";
        }
        byte[] chunk = new byte[8192];
        long total = 0;
        // bounded: every read returns at least one byte or ends the body, and bytes are capped
        for (int i = 0; i <= MAX_BODY_BYTES + 1; i++) {
            int r = body.read(chunk);
            if (r < 0) {
                return framing;
            }
            total += r;
            if (total > MAX_BODY_BYTES) {
                return null;
            }
        }
        return total > MAX_BODY_BYTES ? null : framing;
    }

    private static Duration advertisedTimeout(ClassicHttpResponse response) {
        if (!response.containsHeader(HttpHeaders.KEEP_ALIVE)) {
            return null;
        }
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setConnectionKeepAlive(NOT_ADVERTISED).build());
        TimeValue t = DefaultConnectionKeepAliveStrategy.INSTANCE.getKeepAliveDuration(response, context);
        return t == null || t.equals(NOT_ADVERTISED) || t.getDuration() < 0 ? null
                : Duration.ofMillis(t.toMilliseconds());
    }

    private static Integer advertisedMax(ClassicHttpResponse response) {
        Integer[] max = new Integer[1];
        MessageSupport.parseElements(response, HttpHeaders.KEEP_ALIVE, e -> {
            if ("max".equalsIgnoreCase(e.getName()) && e.getValue() != null && max[0] == null) {
                try {
                    max[0] = Integer.valueOf(e.getValue().trim());
                } catch (NumberFormatException ignored) {
                    // not a number: treated as absent
                }
            }
        });
        return max[0];
    }

    private static String joined(Header[] headers) {
        if (headers.length == 0) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Header h : headers) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(h.getValue());
        }
        return b.toString();
    }

    private Exchange failed(Failure failure, String detail) {
        return new Exchange(0, "", false, null, null, null, "", failure, detail, System.nanoTime());
    }

    /**
     * Watches the idle connection until the backend closes it or until {@code untilNanos} ({@link System#nanoTime()}),
     * whichever comes first. Reads nothing but what the backend sends unasked.
     */
    IdleEnd awaitClose(long untilNanos) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        // bytes the parser buffered beyond the last response were sent unasked too
        if (inBuffer.hasBufferedData()) {
            try {
                int n = inBuffer.read(chunk, 0, Math.min(chunk.length, inBuffer.length()), in);
                received.write(chunk, 0, Math.max(n, 0));
            } catch (IOException ignored) {
                // reported by the read below
            }
        }
        // bounded: each pass either ends the watch or adds bytes, and bytes are capped
        for (int pass = 0; pass < MAX_IDLE_BYTES + 2; pass++) {
            long left = untilNanos - System.nanoTime();
            if (left <= 0 || received.size() >= MAX_IDLE_BYTES) {
                return new IdleEnd(null, idleSince(), escaped(received), false);
            }
            try {
                socket.setSoTimeout(ctx.deadline().capMillis(Duration.ofNanos(Math.max(left, 1_000_000L))));
                int r = in.read(chunk);
                if (r < 0) {
                    return new IdleEnd(CloseKind.FIN, idleSince(), escaped(received), false);
                }
                received.write(chunk, 0, Math.min(r, MAX_IDLE_BYTES - received.size()));
            } catch (SocketTimeoutException e) {
                // loop: the time check above ends the watch
                if (ctx.cutShort()) {
                    return new IdleEnd(null, idleSince(), escaped(received), true);
                }
            } catch (IOException e) {
                Duration idle = idleSince();
                if (isReset(e)) {
                    return new IdleEnd(CloseKind.RST, idle, escaped(received), false);
                }
                if (ctx.cutShort()) {
                    return new IdleEnd(null, idle, escaped(received), true);
                }
                // TLS without close_notify: the TCP FIN ends the record stream mid-way
                if (e instanceof SSLException || e instanceof EOFException) {
                    return new IdleEnd(CloseKind.FIN, idle, escaped(received), false);
                }
                return new IdleEnd(null, idle, escaped(received), true);
            }
        }
        return new IdleEnd(null, idleSince(), escaped(received), false);
    }

    /**
     * Waits, reading nothing (so that a FIN stays unseen, as in a gateway's idle pool), until {@code atNanos}.
     * Returns false when the run's deadline or an interrupt came first.
     */
    boolean idleUntil(long atNanos) {
        // park until about a millisecond before the instant (parking overshoots by the timer slack) ...
        for (int i = 0; i < 100_000; i++) {
            long left = atNanos - System.nanoTime();
            if (left <= SPIN_NANOS) {
                break;
            }
            if (ctx.cutShort()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left - SPIN_NANOS, 50_000_000L));
        }
        // ... then spin for the rest, at most SPIN_NANOS
        for (long i = 0; i < 100_000_000L && System.nanoTime() < atNanos; i++) {
            Thread.onSpinWait();
        }
        return !ctx.cutShort() && System.nanoTime() >= atNanos;
    }

    private Duration idleSince() {
        return Duration.ofNanos(System.nanoTime() - lastResponseEnd);
    }

    private static String escaped(ByteArrayOutputStream b) {
        if (b.size() == 0) {
            return "";
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return RawPeek.escape(s.length() > 200 ? s.substring(0, 200) : s);
    }

    /** Whether the exception (or one in its cause chain) is a TCP reset or a write into a reset connection. */
    static boolean isReset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof SSLException) {
                if (Text.isReset(t.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        ctx.unregister(socket);
        ctx.unregister(raw);
        quietlyClose(socket);
        quietlyClose(raw);
    }

    private static void quietlyClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
