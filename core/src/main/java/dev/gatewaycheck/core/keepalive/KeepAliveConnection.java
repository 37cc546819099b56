package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.RawPeek;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.IdleCloseSeen.CloseKind;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Exchange;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Failure;
import dev.gatewaycheck.core.judge.IdleCloseSeen.IdleEnd;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
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
    /** The most characters kept (escaped) of what the backend sent on an idle connection, for the evidence. */
    private static final int MAX_IDLE_CHARS = 200;
    /** The most interim (1xx) heads skipped before a final response. */
    private static final int MAX_INTERIM_HEADS = 5;
    /** The input buffer's size: a head or body read moves at most this much per socket read. */
    private static final int IN_BUFFER = 16 * 1024;
    /** The output buffer's size: a request head fits. */
    private static final int OUT_BUFFER = 8192;
    /** The size of one body read. */
    private static final int READ_CHUNK = 8192;
    /** The shortest socket timeout set while watching, so that a last sliver of time is still a wait (0 is none). */
    private static final Duration MIN_WAIT = Duration.ofMillis(1);
    /** The last stretch before a racing request's instant is spun, not parked, to send it on time. */
    private static final long SPIN_NANOS = 2_000_000L;
    /** The longest single park while idling, so that the run's deadline is noticed soon. */
    private static final long PARK_NANOS = 50_000_000L;
    /** Bounds the park loop (it ends far earlier, at the instant). */
    private static final int MAX_PARKS = 100_000;
    /** Bounds the spin loop (its {@link #SPIN_NANOS} take far fewer passes). */
    private static final long MAX_SPINS = 100_000_000L;
    /** The size of one read of what the backend sends on an idle connection. */
    private static final int IDLE_READ = 1024;
    /** A keep-alive duration no header can give: the strategy's answer when the response advertises none. */
    private static final TimeValue NOT_ADVERTISED = TimeValue.ofMilliseconds(-12_345);

    private final RunContext ctx;
    private final Target target;
    private final Socket raw;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Http1Config h1;
    private final SessionInputBufferImpl inBuffer;
    private final SessionOutputBufferImpl outBuffer = new SessionOutputBufferImpl(OUT_BUFFER);
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
        this.h1 = HttpExchange.h1Config(ctx.profile()).setMaxEmptyLineCount(1).build();
        this.inBuffer = new SessionInputBufferImpl(IN_BUFFER, h1.getMaxLineLength());
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
            return Text.isReset(e) ? Failure.RST : Failure.IO;
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
            for (int i = 0; i < MAX_INTERIM_HEADS; i++) {
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
            if (Text.isReset(e)) {
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
        byte[] chunk = new byte[READ_CHUNK];
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
        return headers.length == 0 ? null
                : Arrays.stream(headers).map(Header::getValue).collect(Collectors.joining(", "));
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
        byte[] chunk = new byte[IDLE_READ];
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
                socket.setSoTimeout(ctx.deadline().capMillis(Duration.ofNanos(Math.max(left, MIN_WAIT.toNanos()))));
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
                if (Text.isReset(e)) {
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
        for (int i = 0; i < MAX_PARKS; i++) {
            long left = atNanos - System.nanoTime();
            if (left <= SPIN_NANOS) {
                break;
            }
            if (ctx.cutShort()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left - SPIN_NANOS, PARK_NANOS));
        }
        // ... then spin for the rest, at most SPIN_NANOS
        for (long i = 0; i < MAX_SPINS && System.nanoTime() < atNanos; i++) {
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
        return RawPeek.escape(s.length() > MAX_IDLE_CHARS ? s.substring(0, MAX_IDLE_CHARS) : s);
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
