package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import dev.gatewaycheck.ClientCertificate;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Text;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.ssl.TlsCiphers;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 exchange through httpclient5, configured to observe rather than to hide: no retries, no redirects,
 * no decompression, a strict response parser, bounded header lines and count, TCP_NODELAY, the gateway's connect
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
        boolean[] connected = new boolean[1];
        CloseableHttpClient client = client(h1Config(ctx.profile()).build(), target.address().getAddress(), connector,
                handed, connected, forGateway(ctx), versions,
                Timeout.of(ctx.deadline().cap(ctx.profile().connectTimeout())),
                Timeout.of(ctx.deadline().cap(ctx.profile().tlsHandshakeTimeout())),
                Timeout.of(ctx.deadline().cap(readTimeout)), sent);
        int status = 0;
        String reason = "";
        String version = "";
        List<HttpObservation.Header> headers = new ArrayList<>();
        String body = "";
        boolean truncated = false;
        Throwable failure = null;
        long lastByte = 0;
        boolean discarded = false;
        ctx.register(client);
        try {
            String authority = target.hostHeader();
            String uri = (target.tls() ? "https://" : "http://") + authority + ":" + target.address().getPort()
                    + target.path();
            HttpGet get = new HttpGet(uri);
            get.setHeader("User-Agent", "gateway-check/0.1");
            get.setHeader("Accept", "*/*");
            get.setHeader("Connection", "keep-alive");
            extraHeaders.forEach(get::setHeader);
            HttpClientContext context = HttpClientContext.create();
            try (CloseableHttpResponse response = client.execute(get, context)) {
                status = response.getCode();
                reason = response.getReasonPhrase() == null ? "" : response.getReasonPhrase();
                version = String.valueOf(response.getVersion());
                for (org.apache.hc.core5.http.Header h : response.getHeaders()) {
                    headers.add(new HttpObservation.Header(h.getName(), h.getValue() == null ? "" : h.getValue()));
                }
                lastByte = System.nanoTime();
                HttpEntity entity = response.getEntity();
                if (entity != null && !readBody) {
                    discarded = true;
                    get.cancel();   // the status is all that was asked: close instead of draining the body
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
                        if (truncated || failure != null) {
                            // abort the connection: closing the stream would otherwise drain the rest of the body
                            get.cancel();
                        }
                        try {
                            in.close();
                        } catch (IOException ignored) {
                            // the connection was aborted or is broken: nothing more to read
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (failure == null && !(discarded && status > 0)) {
                failure = e;
            }
            LOG.debug("exchange with {} failed: {}", target.label(), e.toString());
        } finally {
            ctx.unregister(client);
            try {
                client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
            } catch (RuntimeException ignored) {
                // best effort
            }
            if (handed != null) {
                ctx.closeGatewayConnection(handed);   // closed with the client if it was bound, forgotten either way
            }
        }
        long end = System.nanoTime();
        // checked at once: a failure while the run's deadline or an interrupt closed the sockets is the run's own
        boolean cutShort = failure != null && ctx.cutShort();
        // a handed connection's handshake was the TLS phase's: a failure here is never a refused version
        refused[0] = unpinAfter(ctx, versions, handed == null && connected[0] && sent[0] == 0, failure);
        Duration firstByte = sent[1] > 0 ? Duration.ofNanos(sent[1] - sent[0]) : null;
        return new HttpObservation(status, reason, version, List.copyOf(headers), body, truncated, firstByte,
                Duration.ofNanos(end - start), failure, lastByte == 0 ? null : Duration.ofNanos(end - lastByte),
                cutShort);
    }

    /**
     * httpclient5's client for one exchange: a pool whose one connection is opened through {@code connector} to
     * {@code address} whatever the name (noting in {@code connected} when it is), or is {@code handed} when not
     * null, TLS offering {@code versions} (empty: the JVM's) and trusting every chain, a strict response parser, and
     * an executor that notes in {@code sent} when the request was sent and when the response head arrived.
     */
    private static CloseableHttpClient client(Http1Config h1, InetAddress address, RunContext.Connector connector,
                                              RunContext.GatewayConnection handed, boolean[] connected,
                                              SSLContext ssl, List<String> versions, Timeout connect,
                                              Timeout handshake, Timeout read, long[] sent) {
        ManagedHttpClientConnectionFactory connFactory = ManagedHttpClientConnectionFactory.builder()
                .http1Config(h1).responseParserFactory(new DefaultHttpResponseParserFactory(h1)).build();
        DnsResolver pinned = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return new InetAddress[] {address};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        PoolingHttpClientConnectionManager cm = new OrderedConnections(connector, handed, connected)
                .setConnectionFactory(connFactory)
                .setDnsResolver(pinned)
                .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl)
                        .setTlsVersions(versions.isEmpty() ? null : versions.toArray(new String[0]))
                        .setCiphers(ciphers(ssl))
                        .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                        .setHostnameVerifier(NoopHostnameVerifier.INSTANCE).buildClassic())
                .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true)
                        .setSoTimeout(read).build())
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setHandshakeTimeout(handshake)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read).build())
                .build();
        HttpRequestExecutor timingExecutor = new HttpRequestExecutor() {
            @Override
            public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection conn,
                                               HttpResponseInformationCallback informationCallback,
                                               HttpContext context) throws IOException, HttpException {
                sent[0] = System.nanoTime();
                ClassicHttpResponse r = super.execute(request, conn, informationCallback, context);
                sent[1] = System.nanoTime();
                return r;
            }
        };
        return HttpClients.custom()
                .setConnectionManager(cm)
                .setRequestExecutor(timingExecutor)
                .disableAutomaticRetries().disableRedirectHandling().disableContentCompression()
                .disableCookieManagement().disableAuthCaching().disableDefaultUserAgent()
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read)
                        .setConnectionRequestTimeout(Timeout.ofSeconds(1)).build())
                .build();
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
    /** The response head parsed by {@link #prepare}. */
    private static final byte[] PREPARED_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * Prepares, once per JVM and on a thread of its own, what every exchange needs ({@link #prepare}): loads,
     * initialises and runs once the code of httpclient5 that an exchange runs before it connects. In a fresh JVM that
     * is 80 to 100 ms the run's first exchanges would otherwise spend before their first connection; made beside the
     * DNS, connect and TLS phases, on the other core, it costs them next to nothing. No connection is made.
     */
    public static void prepareAside() {
        if (!PREPARING.getAndSet(true)) {
            Thread t = new Thread(HttpExchange::prepare, "gateway-check-http-prepare");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Builds a client as {@link #get} does and sends a GET through its exec chain, pool and connection operator up to
     * the connector, which refuses (no connection is made); parses a response head. Returns whether the request
     * reached the connector, so that what a real exchange runs first was run.
     */
    static boolean prepare() {
        Http1Config h1 = h1Config(GatewayProfile.GENERIC).build();
        Timeout second = Timeout.ofSeconds(1);
        boolean[] reached = new boolean[1];
        try (CloseableHttpClient client = client(h1, InetAddress.getLoopbackAddress(), c -> {
            reached[0] = true;
            throw new IOException("prepared, never connected");
        }, null, new boolean[1], trustAll(), List.of(), second, second, second, new long[2])) {
            HttpGet get = new HttpGet("https://localhost:443/");
            get.setHeader("Accept", "*/*");
            try {
                client.execute(get, HttpClientContext.create(), response -> null);
            } catch (IOException expected) {
                // the connector refused, as it was made to
            }
            new DefaultHttpResponseParserFactory(h1).create(h1).parse(
                    new SessionInputBufferImpl(PREPARED_RESPONSE.length), new ByteArrayInputStream(PREPARED_RESPONSE));
        } catch (IOException | HttpException | RuntimeException e) {
            LOG.debug("preparing httpclient5 failed: {}", e.toString());
        }
        return reached[0];
    }

    /**
     * httpclient5's connection manager whose TCP connections are opened through a {@link RunContext.Connector}, or
     * whose one connection is {@code handed} (the gateway's handshaken one, or the connect check's) when not null.
     */
    private static final class OrderedConnections extends PoolingHttpClientConnectionManagerBuilder {
        private final RunContext.Connector connector;
        private final RunContext.GatewayConnection handed;
        private final boolean[] connected;

        OrderedConnections(RunContext.Connector connector, RunContext.GatewayConnection handed, boolean[] connected) {
            this.connector = connector;
            this.handed = handed;
            this.connected = connected;
        }

        @Override
        protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                                                                        TlsSocketStrategy tls) {
            Lookup<TlsSocketStrategy> strategies = RegistryBuilder.<TlsSocketStrategy>create()
                    .register(URIScheme.HTTPS.id, tls).build();
            if (handed == null) {
                return new DefaultHttpClientConnectionOperator(proxy -> new OrderedSocket(connector, connected), ports,
                        dns, strategies);
            }
            return new HandedConnection(handed, connector, connected, ports, dns, strategies);
        }
    }

    /**
     * A connection operator whose first connection is {@code handed}, already open (and handshaken over TLS): bound as
     * it is (httpclient5 then sets its timeouts), the connector told at once. A second connection would be an error.
     */
    private static final class HandedConnection extends DefaultHttpClientConnectionOperator {
        private final java.util.concurrent.atomic.AtomicReference<RunContext.GatewayConnection> handed;
        private final RunContext.Connector connector;
        private final boolean[] connected;

        HandedConnection(RunContext.GatewayConnection handed, RunContext.Connector connector, boolean[] connected,
                         SchemePortResolver ports, DnsResolver dns, Lookup<TlsSocketStrategy> strategies) {
            super(proxy -> new Socket(), ports, dns, strategies);
            this.handed = new java.util.concurrent.atomic.AtomicReference<>(handed);
            this.connector = connector;
            this.connected = connected;
        }

        @Override
        public void connect(ManagedHttpClientConnection conn, HttpHost endpointHost, NamedEndpoint endpointName,
                            java.nio.file.Path unixDomainSocket, InetSocketAddress localAddress, Timeout connectTimeout,
                            SocketConfig socketConfig, Object attachment, HttpContext context) throws IOException {
            RunContext.GatewayConnection c = handed.getAndSet(null);
            if (c == null) {
                throw new IllegalStateException("the gateway's handshaken connection was used already");
            }
            connector.opened();   // open already: its request goes at once, the series' next connection may open
            connected[0] = true;
            if (c.tls() != null) {
                conn.bind(c.tls(), c.tcp());
            } else {
                conn.bind(c.tcp());   // plain HTTP: the connect check's connection
            }
        }
    }

    /** A TCP socket that connects through a {@link RunContext.Connector}, and says when it is connected. */
    private static final class OrderedSocket extends Socket {
        private final RunContext.Connector connector;
        private final boolean[] connected;

        OrderedSocket(RunContext.Connector connector, boolean[] connected) {
            this.connector = connector;
            this.connected = connected;
        }

        @Override
        public void connect(java.net.SocketAddress endpoint, int timeout) throws IOException {
            connector.connect(() -> super.connect(endpoint, timeout));
            connected[0] = true;
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
