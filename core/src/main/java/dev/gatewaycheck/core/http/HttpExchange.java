package dev.gatewaycheck.core.http;

import dev.gatewaycheck.ClientCertificate;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectExceptionSupport;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.ProtocolSwitchStrategy;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.http.ssl.TlsCiphers;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 exchange over httpcore5's blocking connection, made as httpclient5's classic client makes it (its
 * connection operator, TLS strategy and failure reports reproduced, without its exec chain and pool) and configured to
 * observe rather than to hide: no retries, no redirects, no decompression, a strict response parser, bounded header lines and count, TCP_NODELAY, the gateway's connect
 * and read timeouts capped by the run's deadline, and a read cap on the body. Connects to the target's address
 * whatever the Host is (the reverse proxy's "hosts file"); TLS trusts every certificate here because the TLS check
 * judges certificates separately, but SNI is the Host.
 */
public final class HttpExchange {
    private static final Logger LOG = LoggerFactory.getLogger(HttpExchange.class);

    /** The most body bytes read per response. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The most header lines accepted before the head counts as oversized. */
    public static final int MAX_HEADER_COUNT = 500;
    /** The least header line length the gateway's header limit is doubled from (nginx's 8 KiB buffer). */
    private static final int MIN_HEADER_LINE = 8192;

    private static final X509ExtendedTrustManager TRUST_ALL = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // not a server
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // judged by the TLS check
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // judged by the TLS check
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // judged by the TLS check
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private HttpExchange() {
    }

    /**
     * How many exchanges of a series of consecutive connections ({@link RunContext#series}) run at once: three over
     * TLS, where each connection's handshake costs the client CPU that the cores can share while the others wait for
     * the backend (on two cores, a warm {@code tls + probe} check of nginx took 2.75x a bare request with three, 2.97x
     * to 3.21x with two); one over plain HTTP, whose connections cost next to nothing.
     */
    public static int parallelism(Target target) {
        return target.tls() ? 3 : 1;
    }

    /** GETs {@code target} with its Host, waiting {@code readTimeout} for the response. */
    public static HttpObservation get(RunContext ctx, Target target, Duration readTimeout) {
        return get(ctx, target, readTimeout, Map.of());
    }

    /** GETs {@code target} with its Host and extra request headers, reading the body. */
    public static HttpObservation get(RunContext ctx, Target target, Duration readTimeout,
                                      Map<String, String> extraHeaders) {
        return get(ctx, target, readTimeout, extraHeaders, true);
    }

    /**
     * httpcore5's limits for reading a response head as a gateway like {@code profile} would: lines up to twice its
     * header limit (at least twice {@link #MIN_HEADER_LINE}), at most {@link #MAX_HEADER_COUNT} lines.
     */
    public static Http1Config.Builder h1Config(GatewayProfile profile) {
        return Http1Config.custom().setMaxHeaderCount(MAX_HEADER_COUNT)
                .setMaxLineLength(Math.max(profile.maxResponseHeaderBytes(), MIN_HEADER_LINE) * 2);
    }

    /**
     * GETs {@code target} with its Host; reads the body only when {@code readBody} (a health probe needs the status
     * only, unless it matches the body): otherwise the connection is closed once the head is in. Each read waits at
     * most {@code readTimeout}, as a gateway's read timeout does.
     */
    public static HttpObservation get(RunContext ctx, Target target, Duration readTimeout,
                                      Map<String, String> extraHeaders, boolean readBody) {
        boolean[] refused = new boolean[1];
        HttpObservation obs = get(ctx, target, readTimeout, extraHeaders, readBody, ctx::connecting,
                ctx.httpTlsVersions(target), refused, null);
        if (refused[0]) {
            // its handshake failed offering only the pinned version: a gateway offers every version, so once more
            return get(ctx, target, readTimeout, extraHeaders, readBody, ctx::connecting, List.of(), refused, null);
        }
        return obs;
    }

    /**
     * The same for one attempt of a series, its TCP connection opened at its turn ({@link RunContext#series}), never
     * made twice: when its handshake fails while offering only the pinned version
     * ({@link RunContext#httpTlsVersions}), the pin is dropped ({@link RunContext#unpin}) and the series' caller sends
     * the whole series again ({@link #pinnedSeries}), so that one slot of a series is never a second connection.
     */
    public static HttpObservation get(RunContext ctx, Target target, Duration readTimeout,
                                      Map<String, String> extraHeaders, boolean readBody,
                                      RunContext.Connector connector) {
        return get(ctx, target, readTimeout, extraHeaders, readBody, connector, ctx.httpTlsVersions(target),
                new boolean[1], null);
    }

    /**
     * The same on {@code handed}, the gateway's handshaken connection ({@link RunContext#takeGatewayConnection}), when
     * not null: no connection is opened (the connector is told at once that this attempt's connection is open, so the
     * next attempt of the series connects), and the exchange closes it when done.
     */
    static HttpObservation get(RunContext ctx, Target target, Duration readTimeout,
                               Map<String, String> extraHeaders, boolean readBody,
                               RunContext.Connector connector, RunContext.GatewayConnection handed) {
        return get(ctx, target, readTimeout, extraHeaders, readBody, connector, ctx.httpTlsVersions(target),
                new boolean[1], handed);
    }

    /**
     * Runs {@code series} (a series of connections to {@code target}, {@link RunContext#series}) and, when a
     * handshake offering only the pinned version failed meanwhile (the pin was dropped), runs it once more: every
     * connection then offers every version, as the gateway's do, and the first run's results are dropped, so the
     * series judges what a gateway would see.
     */
    public static <T> T pinnedSeries(RunContext ctx, Target target, Supplier<T> series) {
        boolean pinned = !ctx.httpTlsVersions(target).isEmpty();
        T result = series.get();
        if (pinned && ctx.httpTlsVersions(target).isEmpty() && !ctx.cutShort()) {
            return series.get();
        }
        return result;
    }

    /**
     * Drops the run's pinned TLS version ({@link RunContext#unpin}) when a connection that offered only
     * {@code versions} failed with {@code failure} in its TLS handshake ({@code handshaking}: the TCP connection was
     * open, nothing was sent yet), for any reason but a timeout or the run's own end: a refusal, a reset, a close.
     * Returns whether it did (the connection may be made again offering every version).
     */
    static boolean unpinAfter(RunContext ctx, List<String> versions, boolean handshaking, Throwable failure) {
        if (versions.isEmpty() || !handshaking || failure == null || ctx.cutShort()) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return false;   // slow, not refusing: the same whatever the version offered
            }
        }
        ctx.unpin();
        return true;
    }

    /**
     * A TLS socket over {@code raw} in the gateway's context ({@link #forGateway}) offering {@code versions} (none
     * named: the JDK's).
     */
    static SSLSocket gatewaySocket(RunContext ctx, Socket raw, Target target, List<String> versions)
            throws IOException {
        SSLSocket ssl = (SSLSocket) forGateway(ctx).getSocketFactory()
                .createSocket(raw, target.host(), target.address().getPort(), true);
        if (!versions.isEmpty()) {
            ssl.setEnabledProtocols(versions.toArray(new String[0]));
        }
        return ssl;
    }

    private static HttpObservation get(RunContext ctx, Target target, Duration readTimeout,
                                       Map<String, String> extraHeaders, boolean readBody,
                                       RunContext.Connector connector, List<String> versions, boolean[] refused,
                                       RunContext.GatewayConnection handed) {
        long start = System.nanoTime();
        long[] sent = new long[2];
        Exchange exchange = new Exchange(ctx, h1Config(ctx.profile()).build());
        int status = 0;
        String reason = "";
        String version = "";
        List<HttpObservation.Header> headers = new ArrayList<>();
        String body = "";
        boolean truncated = false;
        Throwable failure = null;
        long lastByte = 0;
        boolean discarded = false;
        try {
            String authority = target.hostHeader();
            String uri = (target.tls() ? "https://" : "http://") + authority + ":" + target.address().getPort()
                    + target.path();
            ClassicHttpRequest get = new BasicClassicHttpRequest(Method.GET, URI.create(uri));
            get.setHeader("User-Agent", "gateway-check/0.1");
            get.setHeader("Accept", "*/*");
            get.setHeader("Connection", "keep-alive");
            extraHeaders.forEach(get::setHeader);
            HttpCoreContext context = HttpCoreContext.create();
            HttpHost endpoint = endpoint(get);
            if (handed != null) {
                exchange.bind(handed, connector, Timeout.of(ctx.deadline().cap(readTimeout)));
            } else {
                exchange.connect(endpoint, target.address(), connector, forGateway(ctx), versions,
                        ctx.deadline().capMillis(ctx.profile().connectTimeout()),
                        ctx.deadline().capMillis(ctx.profile().tlsHandshakeTimeout()),
                        ctx.deadline().capMillis(readTimeout));
            }
            ClassicHttpResponse response;
            try {
                TARGET_HOST.process(get, null, context);
                sent[0] = System.nanoTime();
                response = EXECUTOR.execute(get, exchange.connection, SWITCHING_PROTOCOLS, context);
                sent[1] = System.nanoTime();
            } catch (HttpException e) {
                throw new ClientProtocolException(e.getMessage(), e);   // as httpclient5 reports it
            }
            status = response.getCode();
            reason = response.getReasonPhrase() == null ? "" : response.getReasonPhrase();
            version = String.valueOf(response.getVersion());
            for (org.apache.hc.core5.http.Header h : response.getHeaders()) {
                headers.add(new HttpObservation.Header(h.getName(), h.getValue() == null ? "" : h.getValue()));
            }
            lastByte = System.nanoTime();
            HttpEntity entity = response.getEntity();
            if (entity != null && !readBody) {
                discarded = true;   // the status is all that was asked: closed instead of draining the body
            } else if (entity != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
                InputStream in = entity.getContent();
                try {
                    byte[] chunk = new byte[8192];
                    int r;
                    while ((r = in.read(chunk)) != -1) {
                        int room = MAX_BODY_BYTES - bytes.size();
                        if (r > room) {
                            bytes.write(chunk, 0, room);
                            truncated = true;
                            break;
                        }
                        bytes.write(chunk, 0, r);
                        lastByte = System.nanoTime();
                    }
                } catch (IOException e) {
                    failure = e;
                } finally {
                    body = bytes.toString(StandardCharsets.ISO_8859_1);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (failure == null && !(discarded && status > 0)) {
                failure = e;
            }
            LOG.debug("exchange with {} failed: {}", target.label(), e.toString());
        } finally {
            exchange.close();   // at once (RST), as httpclient5 closed its pool whatever the response said
            if (handed != null) {
                ctx.closeGatewayConnection(handed);   // closed with the exchange if it was bound, forgotten either way
            }
        }
        long end = System.nanoTime();
        // checked at once: a failure while the run's deadline or an interrupt closed the sockets is the run's own
        boolean cutShort = failure != null && ctx.cutShort();
        // a handed connection's handshake was the TLS phase's: a failure here is never a refused version
        refused[0] = unpinAfter(ctx, versions, handed == null && exchange.connected && sent[0] == 0, failure);
        Duration firstByte = sent[1] > 0 ? Duration.ofNanos(sent[1] - sent[0]) : null;
        return new HttpObservation(status, reason, version, List.copyOf(headers), body, truncated, firstByte,
                Duration.ofNanos(end - start), failure, lastByte == 0 ? null : Duration.ofNanos(end - lastByte),
                cutShort);
    }

    /** Where httpclient5 would send {@code request}: its scheme, host and port. */
    private static HttpHost endpoint(ClassicHttpRequest request) throws ClientProtocolException {
        try {
            return RoutingSupport.normalize(RoutingSupport.determineHost(request), DefaultSchemePortResolver.INSTANCE);
        } catch (HttpException e) {
            throw new ClientProtocolException(e.getMessage(), e);
        }
    }

    /** httpcore5's executor: sends a request and reads its response head over a connection. Stateless. */
    private static final HttpRequestExecutor EXECUTOR = new HttpRequestExecutor();
    /** httpcore5's Host header from the request's authority, as httpclient5 adds it. */
    private static final RequestTargetHost TARGET_HOST = new RequestTargetHost();
    /** httpclient5's answer to a {@code 101 Switching Protocols}: only an upgrade to TLS is followed. */
    private static final ProtocolSwitchStrategy PROTOCOL_SWITCH = new ProtocolSwitchStrategy();
    private static final HttpResponseInformationCallback SWITCHING_PROTOCOLS = (response, conn, context) -> {
        if (response.getCode() == HttpStatus.SC_SWITCHING_PROTOCOLS) {
            ProtocolVersion upgrade = PROTOCOL_SWITCH.switchProtocol(response);
            if (upgrade == null || !upgrade.getProtocol().equals("TLS")) {
                throw new ProtocolException("Failure switching protocols");
            }
            throw new ProtocolException("Failure upgrading to TLS");   // a gateway does not upgrade a GET to TLS
        }
    };

    /**
     * One exchange's connection, opened as httpclient5's classic client opens it (its connection operator and TLS
     * strategy, reproduced so that what the backend sees and what a failure reads like stay the same): the socket
     * options, the connect through the run's order, the TLS handshake with its own timeout and the gateway's context,
     * a connect-phase failure reported as httpclient5 reports it ({@link ConnectExceptionSupport#enhance}, which
     * {@link FailureClassifier} reads), and httpcore5's blocking connection with the profile's response parser on
     * top. Its sockets are registered with the run's watchdog until closed.
     */
    private static final class Exchange {
        private final RunContext ctx;
        final DefaultBHttpClientConnection connection;
        private Socket tcp;
        private SSLSocket tls;
        /** The TCP connection was open (before any TLS handshake). */
        boolean connected;

        Exchange(RunContext ctx, Http1Config h1) {
            this.ctx = ctx;
            this.connection = new DefaultBHttpClientConnection(h1, null, null, null, null, null,
                    new DefaultHttpResponseParserFactory(h1));
        }

        /** Binds {@code handed}, open already: the connector is told at once, the read timeout set. */
        void bind(RunContext.GatewayConnection handed, RunContext.Connector connector, Timeout read)
                throws IOException {
            connector.opened();   // open already: its request goes at once, the series' next connection may open
            connected = true;
            tcp = handed.tcp();
            tls = handed.tls();
            if (tls != null) {
                connection.bind(tls, tcp);
            } else {
                connection.bind(tcp);   // plain HTTP: the connect check's connection
            }
            connection.setSocketTimeout(read);
        }

        /**
         * Connects to {@code address} through {@code connector} and, for https, handshakes offering {@code versions}
         * (none: the context's without the weak ones) with SNI and session resumption by {@code endpoint}'s name.
         */
        void connect(HttpHost endpoint, InetSocketAddress address, RunContext.Connector connector, SSLContext ssl,
                     List<String> versions, int connectMillis, int handshakeMillis, int readMillis)
                throws IOException {
            Socket socket = ctx.register(new Socket());
            tcp = socket;
            try {
                socket.setSoTimeout(readMillis);
                socket.setTcpNoDelay(true);
                connector.connect(() -> socket.connect(address, connectMillis));
                connected = true;
                if (URIScheme.HTTPS.same(endpoint.getSchemeName())) {
                    socket.setSoTimeout(handshakeMillis);
                    tls = ctx.register((SSLSocket) ssl.getSocketFactory().createSocket(socket, endpoint.getHostName(),
                            endpoint.getPort(), false));
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setProtocols(versions.isEmpty() ? TLS.excludeWeak(tls.getEnabledProtocols())
                            : versions.toArray(new String[0]));
                    parameters.setCipherSuites(ciphers(ssl));
                    tls.setSSLParameters(parameters);
                    tls.startHandshake();
                    if (tls.getSession().getPeerCertificates().length < 1) {
                        throw new SSLPeerUnverifiedException("Peer certificate chain is empty");
                    }
                    socket.setSoTimeout(readMillis);
                    connection.bind(tls, socket);
                } else {
                    connection.bind(socket);
                }
            } catch (IOException e) {
                throw ConnectExceptionSupport.enhance(e, endpoint);
            }
        }

        /** Closes the connection at once: RST, no TLS close_notify. */
        void close() {
            connection.close(CloseMode.IMMEDIATE);
            for (Socket s : new Socket[] {tls, tcp}) {
                if (s != null) {
                    ctx.unregister(s);
                    try {
                        s.close();   // closed already unless the connection never got bound
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        }
    }

    /** {@link #ciphers}' answers, by the provider and protocol of the context. */
    private static final Map<String, String[]> CIPHERS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The cipher suites a connection made in {@code ssl} offers: those a client socket of the context enables without
     * the ones httpclient5 counts as weak ({@link TlsCiphers#excludeWeak}), exactly what httpclient5 itself enables on
     * each connection, worked out once per provider and protocol (their defaults are fixed for the JVM's life)
     * instead of with httpclient5's regular expressions on every connection of a series (9% of an exchange's CPU
     * samples over TLS).
     */
    static String[] ciphers(SSLContext ssl) {
        return CIPHERS.computeIfAbsent(ssl.getProvider().getName() + "/" + ssl.getProtocol(),
                k -> TlsCiphers.excludeWeak(enabledCipherSuites(ssl))).clone();
    }

    /** What a client socket of {@code ssl} enables, as httpclient5 reads it off each connection's socket. */
    static String[] enabledCipherSuites(SSLContext ssl) {
        try (SSLSocket unconnected = (SSLSocket) ssl.getSocketFactory().createSocket()) {
            return unconnected.getEnabledCipherSuites();
        } catch (IOException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** Whether {@link #prepareAside} has started. */
    private static final AtomicBoolean PREPARING = new AtomicBoolean();
    /** The response {@link #prepare} reads. */
    private static final byte[] PREPARED_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * Prepares, once per JVM and on a thread of its own, what every exchange needs ({@link #prepare}): loads,
     * initialises and runs once the code of httpcore5 that an exchange runs. In a fresh JVM that is time the run's
     * first exchanges would otherwise spend before their first request; made beside the DNS, connect and TLS phases,
     * on the other core, it costs them next to nothing. No connection is made.
     */
    public static void prepareAside() {
        if (!PREPARING.getAndSet(true)) {
            Thread t = new Thread(HttpExchange::prepare, "gateway-check-http-prepare");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Makes a request as {@link #get} does and sends it over a connection to no network (its bytes are dropped), then
     * reads a response head and body from memory, through the same httpcore5 code. Returns whether the response was
     * read, so that what a real exchange runs was run.
     */
    static boolean prepare() {
        Http1Config h1 = h1Config(GatewayProfile.GENERIC).build();
        DefaultBHttpClientConnection conn = new DefaultBHttpClientConnection(h1, null, null, null, null, null,
                new DefaultHttpResponseParserFactory(h1));
        try {
            ClassicHttpRequest get = new BasicClassicHttpRequest(Method.GET, URI.create("https://localhost:443/"));
            get.setHeader("Accept", "*/*");
            HttpCoreContext context = HttpCoreContext.create();
            HttpHost endpoint = endpoint(get);
            TARGET_HOST.process(get, null, context);
            conn.bind(new MemorySocket(PREPARED_RESPONSE));
            ClassicHttpResponse response = EXECUTOR.execute(get, conn, SWITCHING_PROTOCOLS, context);
            byte[] body = response.getEntity().getContent().readAllBytes();
            ConnectExceptionSupport.enhance(new SocketTimeoutException("prepared"), endpoint);
            return response.getCode() == HttpStatus.SC_OK && body.length == 2;
        } catch (IOException | HttpException | RuntimeException e) {
            LOG.debug("preparing httpcore5 failed: {}", e.toString());
            return false;
        } finally {
            conn.close(CloseMode.GRACEFUL);
        }
    }

    /** An unconnected socket whose input is {@code input} and whose output goes nowhere. */
    private static final class MemorySocket extends Socket {
        private final InputStream in;

        MemorySocket(byte[] input) {
            this.in = new ByteArrayInputStream(input);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public java.io.OutputStream getOutputStream() {
            return java.io.OutputStream.nullOutputStream();
        }
    }

    /**
     * The TLS context of the gateway's HTTP connections: it accepts any chain (certificates are judged by the TLS
     * check), and presents the plan's client certificate when there is one, as an mTLS gateway would. Without one, it
     * is the context of the gateway's handshake once that succeeded ({@link RunContext#gatewaySession()}), so that the
     * connections resume its session, else one shared by the JVM.
     */
    public static SSLContext forGateway(RunContext ctx) {
        ClientCertificate cc = ctx.plan().clientCertificate();
        if (cc == null) {
            // the gateway's handshake's context once it succeeded: connections to its host and port resume its session
            SSLContext session = ctx.gatewaySession();
            return session != null ? session : trustAll();
        }
        // one per run, so that its connections resume one session as the others do
        return ctx.gatewayContext(() -> withClientCertificate(cc));
    }

    private static SSLContext withClientCertificate(ClientCertificate cc) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(cc.keyStore(), cc.password());
            SSLContext sc = SSLContext.getInstance("TLS");
            sc.init(kmf.getKeyManagers(), new TrustManager[] {TRUST_ALL}, null);
            return sc;
        } catch (java.security.GeneralSecurityException e) {
            LOG.debug("client certificate unusable, connecting without it: {}", e.toString());
            return trustAll();
        }
    }

    /** An SSLContext that accepts any chain: certificates are judged by the TLS check, not here. Shared. */
    static SSLContext trustAll() {
        return TrustAllHolder.CONTEXT;
    }

    private static final class TrustAllHolder {
        static final SSLContext CONTEXT = newTrustAll();
    }

    private static SSLContext newTrustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }
}
