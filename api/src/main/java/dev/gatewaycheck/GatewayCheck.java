package dev.gatewaycheck;

import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Connects to a backend the way a gateway would and reports why that gateway would answer 502.
 *
 * <pre>{@code
 * Report r = GatewayCheck.forBackend("https://10.0.0.4:443")   // where the gateway connects
 *         .withHost("www.contoso.com")                          // Host header, SNI and certificate name
 *         .against(GatewayProfile.AZURE_APP_GATEWAY_V2)         // whose limits judge the findings
 *         .probe().keepAlive().tls()                            // which checks; none named = all
 *         .timeout(Duration.ofSeconds(30))                      // one overall deadline
 *         .run();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe: every method returns a new instance and leaves this one unchanged,
 * so a configured check can be kept in a field and run again, from several threads. Nothing touches the network
 * until {@link #run()}, {@link #runAsync()} or {@link #awaitHealthy(Duration)}. Bad arguments fail at the call that
 * takes them ({@link NullPointerException} or {@link IllegalArgumentException} naming the argument); anything the
 * network or the backend does is a {@link Finding}, never an exception.
 *
 * @since 0.1
 */
public final class GatewayCheck {

    /** Default overall deadline of {@link #run()} when the keep-alive check is not selected. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Added to the profile's idle timeout for the default deadline when the keep-alive check is selected: proving
     * that the backend keeps an idle connection at least as long as the gateway takes that long.
     */
    public static final Duration KEEP_ALIVE_MARGIN = Duration.ofSeconds(15);

    /**
     * Added to the profile's request timeout for the default deadline when the probe check is selected: a backend
     * that never answers must be seen to outlast the gateway's wait.
     */
    static final Duration REQUEST_TIMEOUT_MARGIN = Duration.ofSeconds(5);

    /** Everything but the two defaults below; its checks and timeout are replaced by {@link #plan()}. */
    private final CheckPlan plan;
    /** The checks named so far; none means all. */
    private final Set<Check> chosen;
    /** The deadline set with {@link #timeout(Duration)}, or null for {@link #defaultTimeout}. */
    private final Duration timeout;
    private final CheckEngine engine;

    private GatewayCheck(CheckPlan plan, Set<Check> chosen, Duration timeout, CheckEngine engine) {
        this.plan = plan;
        this.chosen = chosen;
        this.timeout = timeout;
        this.engine = engine;
    }

    /**
     * Starts a check of the backend at {@code backend}, e.g. {@code "https://10.0.0.4:443"} or
     * {@code "http://127.0.0.1:8080/health"}. The path (default {@code /}) is the request the gateway forwards.
     *
     * @throws NullPointerException     when {@code backend} is null
     * @throws IllegalArgumentException when it is not an absolute http(s) URI with a host and a port 1-65535
     */
    public static GatewayCheck forBackend(String backend) {
        Objects.requireNonNull(backend, "backend");
        if (backend.isBlank()) {
            throw new IllegalArgumentException("backend must be an absolute http(s) URI such as "
                    + "https://10.0.0.4:443, got an empty string");
        }
        URI uri;
        try {
            uri = new URI(backend.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("backend must be an absolute http(s) URI such as https://10.0.0.4:443, "
                    + "got '" + backend + "' (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        return forBackend(uri);
    }

    /**
     * Starts a check of the backend at {@code backend}.
     *
     * @throws NullPointerException     when {@code backend} is null
     * @throws IllegalArgumentException when it is not an absolute http(s) URI with a host and a port 1-65535
     */
    public static GatewayCheck forBackend(URI backend) {
        URI uri = validateBackend(asciiHost(Objects.requireNonNull(backend, "backend")));
        String p = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            p = p + "?" + uri.getRawQuery();
        }
        p = percentEncoded(p);
        String h = uri.getHost();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);   // a fully qualified name: Host and SNI carry it without the dot
        }
        return new GatewayCheck(new CheckPlan(uri, h, p, GatewayProfile.GENERIC, Set.of(), DEFAULT_TIMEOUT, List.of(),
                null, null, KeepAliveCheck.measure(), NameResolver.system(), Clock.systemUTC(), false, null), Set.of(),
                null, null);
    }

    /**
     * Starts a check of a backend pool: each element is a backend as {@link #forBackend(String)} takes it, a
     * {@code String} or a {@link URI}; a member given by name is checked on every address it resolves to. An empty
     * collection is allowed: the report then says the pool is empty ({@link Cause#EMPTY_BACKEND_POOL}).
     *
     * <pre>{@code
     * PoolReport pool = GatewayCheck.forPool(List.of("http://10.0.0.4", "http://10.0.0.5")).run();
     * }</pre>
     *
     * @throws NullPointerException     when {@code members} or an element is null
     * @throws IllegalArgumentException when an element is not a String or URI, or not a valid backend
     */
    public static PoolCheck forPool(java.util.Collection<?> members) {
        return PoolCheck.of(members);
    }

    /**
     * Starts a check of a front door (CDN or load balancer) by its public URL, e.g.
     * {@code https://www.contoso.com/}: which product answered an error, and with
     * {@link FrontendCheck#withBackends(URI...)} which hop behind it fails.
     *
     * <pre>{@code
     * FrontendReport r = GatewayCheck.forFrontend("https://www.contoso.com/").withBackends(alb).run();
     * }</pre>
     *
     * @throws NullPointerException     when {@code url} is null
     * @throws IllegalArgumentException when it is not an absolute http(s) URL
     */
    public static FrontendCheck forFrontend(String url) {
        return FrontendCheck.of(url);
    }

    /**
     * The URI with an internationalised host name in its ASCII form ({@code https://bücher.example} becomes
     * {@code https://xn--bcher-kva.example}), as DNS, Host and SNI carry it; other URIs as they are.
     */
    static URI asciiHost(URI uri) {
        String auth = uri.getRawAuthority();
        if (uri.getHost() != null || auth == null || auth.chars().allMatch(c -> c < 0x80) || auth.indexOf('@') >= 0
                || auth.indexOf('[') >= 0) {
            return uri;
        }
        int colon = auth.lastIndexOf(':');
        String name = colon >= 0 ? auth.substring(0, colon) : auth;
        String port = colon >= 0 ? auth.substring(colon) : "";
        try {
            String ascii = java.net.IDN.toASCII(name, java.net.IDN.ALLOW_UNASSIGNED);
            return new URI(uri.getScheme() + "://" + ascii + port + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } catch (IllegalArgumentException | URISyntaxException e) {
            throw new IllegalArgumentException("backend must name a valid host, got '" + uri + "': '" + name
                    + "' is no valid internationalised name (" + e.getMessage() + ")");
        }
    }

    static URI validateBackend(URI uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("backend must be an absolute http(s) URI such as https://10.0.0.4:443, "
                    + "got '" + uri + "' (no scheme)");
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new IllegalArgumentException("backend scheme must be http or https, got '" + scheme + "' in '" + uri
                    + "' (write http://host:port)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("backend must name a host, e.g. https://10.0.0.4:443, got '" + uri + "'");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535 || port < -1) {
            throw new IllegalArgumentException("backend port must be 1-65535, got " + port + " in '" + uri + "'");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("backend must not carry user info (user:password@), got '" + uri + "'");
        }
        return uri;
    }

    private GatewayCheck with(CheckPlan newPlan) {
        return new GatewayCheck(newPlan, chosen, timeout, engine);
    }

    private GatewayCheck withChecks(Set<Check> newChecks) {
        return new GatewayCheck(plan, newChecks, timeout, engine);
    }

    private GatewayCheck plus(Check check) {
        EnumSet<Check> s = chosen.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(chosen);
        s.add(check);
        return withChecks(Collections.unmodifiableSet(s));
    }

    /**
     * The name the gateway claims: the {@code Host} header, the TLS SNI and the name the certificate must match,
     * as a reverse proxy sends it. The backend URI stays where to connect. Default: the backend URI's host.
     * Returns a new instance; this one is unchanged.
     *
     * <p>{@code host} is a DNS name, an IPv4 address or an IPv6 address (bare or in brackets), <em>without</em> a
     * port: a gateway's host name override carries none, and SNI and the certificate name never do. A
     * {@code name:port} is refused with a message saying to put the port in the backend URI, which is where the
     * gateway connects.
     *
     * @throws IllegalArgumentException naming {@code host} when it is empty, carries a port, or is not a DNS name or
     *                                  IP address
     */
    public GatewayCheck withHost(String host) {
        Objects.requireNonNull(host, "host");
        String h = HostSyntax.require(host, "host");
        return with(plan.withHost(h));
    }

    /**
     * The request path (and query) the gateway forwards, e.g. {@code /api/health}. Default: the backend URI's
     * path, or {@code /}. Non-ASCII characters go on the wire percent-encoded as UTF-8. Returns a new instance.
     *
     * @throws IllegalArgumentException when {@code path} does not start with {@code /}
     */
    public GatewayCheck withPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("path must start with / and contain no spaces or controls, got '"
                    + path + "'");
        }
        return with(plan.withPath(percentEncoded(path)));
    }

    /**
     * {@code path} with every non-ASCII character as its percent-encoded UTF-8 bytes ({@code /café} becomes
     * {@code /caf%C3%A9}), as browsers and gateways put it on the wire; an ASCII path as it is.
     */
    static String percentEncoded(String path) {
        if (path.chars().allMatch(c -> c < 0x80)) {
            return path;
        }
        StringBuilder b = new StringBuilder(path.length() + 16);
        for (byte x : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 0x80) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /**
     * The gateway whose limits judge the findings, e.g. {@code GatewayProfile.AZURE_APP_GATEWAY_V2}. Default:
     * {@link GatewayProfile#GENERIC}. Returns a new instance.
     */
    public GatewayCheck against(GatewayProfile profile) {
        Objects.requireNonNull(profile, "profile");
        return with(plan.withProfile(profile));
    }

    /**
     * The gateway's trusted root certificates (Azure v2 trusted root upload, a private CA) or, for an allow-list
     * gateway (Azure v1), its authentication certificates, read from a PEM or DER file holding one or more
     * certificates. Adds to the certificates already given. Returns a new instance.
     *
     * <p>The file is read at once, at most 4 MiB within 10 s: an endless or huge file ({@code /dev/zero}) or one
     * that never ends (a pipe) is refused.
     *
     * @throws IllegalArgumentException when the file cannot be read, is larger than 4 MiB, does not end within 10 s,
     *                                  or holds no certificate
     */
    public GatewayCheck trusting(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        List<X509Certificate> certs = CertificateFiles.read(pemFile, "pemFile");
        return trusting(certs.toArray(new X509Certificate[0]));
    }

    /**
     * The gateway's trusted certificates from a loaded {@link KeyStore} (every certificate entry, and the
     * certificate of every key entry). Returns a new instance.
     *
     * @throws IllegalArgumentException when the key store is not loaded or holds no certificate
     */
    public GatewayCheck trusting(KeyStore keyStore) {
        Objects.requireNonNull(keyStore, "keyStore");
        List<X509Certificate> certs = new ArrayList<>();
        try {
            for (Enumeration<String> e = keyStore.aliases(); e.hasMoreElements();) {
                Certificate c = keyStore.getCertificate(e.nextElement());
                if (c instanceof X509Certificate x) {
                    certs.add(x);
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("keyStore must be loaded before it is passed: " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("keyStore must hold at least one X.509 certificate");
        }
        return trusting(certs.toArray(new X509Certificate[0]));
    }

    /** The gateway's trusted certificates. Adds to those already given. Returns a new instance. */
    public GatewayCheck trusting(X509Certificate... certificates) {
        Objects.requireNonNull(certificates, "certificates");
        if (certificates.length == 0) {
            throw new IllegalArgumentException("certificates must name at least one certificate");
        }
        List<X509Certificate> all = new ArrayList<>(plan.trusted());
        for (int i = 0; i < certificates.length; i++) {
            all.add(Objects.requireNonNull(certificates[i], "certificates[" + i + "]"));
        }
        return with(plan.withTrusted(List.copyOf(all)));
    }

    /**
     * Presents this client certificate during the handshake, as a gateway configured for mTLS would. The key
     * store must be loaded and hold a private key entry. Returns a new instance.
     */
    public GatewayCheck withClientCertificate(KeyStore keyStore, char[] password) {
        ClientCertificate cc = new ClientCertificate(keyStore, password);
        return with(plan.withClientCertificate(cc));
    }

    /**
     * Selects the HTTP checks: the request the gateway forwards and the gateway's default health probe.
     * Returns a new instance.
     */
    public GatewayCheck probe() {
        return plus(Check.PROBE);
    }

    /** Selects the HTTP checks with a custom health probe instead of the profile's default. Returns a new instance. */
    public GatewayCheck probe(ProbeSpec spec) {
        Objects.requireNonNull(spec, "probe");
        return with(plan.withProbe(spec)).plus(Check.PROBE);
    }

    /** Selects the keep-alive check: measure the backend's idle close against the gateway's. Returns a new instance. */
    public GatewayCheck keepAlive() {
        return plus(Check.KEEP_ALIVE);
    }

    /** Selects the keep-alive check with options, e.g. {@link KeepAliveCheck#reproduceRace()}. */
    public GatewayCheck keepAlive(KeepAliveCheck options) {
        Objects.requireNonNull(options, "keepAlive");
        return with(plan.withKeepAlive(options)).plus(Check.KEEP_ALIVE);
    }

    /** Selects the TLS checks (https backends; skipped with a reason on http). Returns a new instance. */
    public GatewayCheck tls() {
        return plus(Check.TLS);
    }

    /**
     * Selects exactly these checks. None named means every check for {@link #run()} (a diagnosis) and the quick
     * {@link #READINESS_CHECKS} for {@link #awaitHealthy(Duration)}. Returns a new instance.
     */
    public GatewayCheck checks(Check... selected) {
        Objects.requireNonNull(selected, "checks");
        EnumSet<Check> s = EnumSet.noneOf(Check.class);
        for (int i = 0; i < selected.length; i++) {
            s.add(Objects.requireNonNull(selected[i], "checks[" + i + "]"));
        }
        return withChecks(Collections.unmodifiableSet(s));
    }

    /**
     * The overall deadline of {@link #run()}: it returns within it (plus a small margin) whatever the backend
     * does, marking the report incomplete if time ran out. Each network operation also has the profile's own
     * timeout. Default: {@link #defaultTimeout(GatewayProfile, Set)}: 30 s, or longer when a selected check needs it
     * to reach the gateway's verdict (the profile's request timeout + 5 s for {@code probe()}, its idle timeout +
     * 15 s for {@code keepAlive()}: 75 s for {@link GatewayProfile#GENERIC} with every check). Returns a new
     * instance.
     *
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public GatewayCheck timeout(Duration timeout) {
        GatewayProfile.requireTimeout(timeout, "timeout");
        return new GatewayCheck(plan, chosen, timeout, engine);
    }

    /** Resolves names with this resolver instead of the system's. Returns a new instance. */
    public GatewayCheck resolvingWith(NameResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        return with(plan.withResolver(resolver));
    }

    /**
     * Also checks certificate revocation (OCSP and CRL, from the certificates' own URLs). Off by default because
     * it needs network access beyond the backend. Needs Bouncy Castle ({@code org.bouncycastle:bcpkix-jdk18on}, an
     * optional dependency of {@code gateway-check-core}) on the class path: without it {@link #run()} throws an
     * {@link IllegalStateException} saying so, rather than silently not checking. Returns a new instance.
     */
    public GatewayCheck checkingRevocation() {
        return with(plan.withRevocation(true));
    }

    /**
     * Also sends the forwarded request with this body, as a gateway forwards a client's upload ({@code POST path}
     * with {@code Content-Length} and {@code Expect: 100-continue}), to see what only a request with a body shows:
     * interim and early responses ({@code UNEXPECTED_INTERIM_OR_EARLY_RESPONSE}) and a backend that does not read
     * the request ({@code REQUEST_NOT_READ_BY_BACKEND}). Runs with the {@link Check#PROBE} check, before the GET.
     * Off by default: it sends data to the backend's path. Returns a new instance.
     *
     * <pre>{@code
     * GatewayCheck.forBackend(url).withPath("/upload").withRequestBody(RequestBody.ofSize(4 << 20)).run();
     * }</pre>
     */
    public GatewayCheck withRequestBody(RequestBody body) {
        Objects.requireNonNull(body, "body");
        return with(plan.withRequestBody(body));
    }

    /** Judges certificate dates by this clock. Default: the system UTC clock. Returns a new instance. */
    public GatewayCheck withClock(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return with(plan.withClock(clock));
    }

    /** Uses this engine instead of the one found by {@link java.util.ServiceLoader}; for tests. */
    GatewayCheck usingEngine(CheckEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return new GatewayCheck(plan, chosen, timeout, engine);
    }

    /** The plan this check runs, as engines see it. */
    public CheckPlan plan() {
        return plan.withChecks(chosen).withTimeout(effectiveTimeout());
    }

    /** The deadline {@link #run()} will use: the one set with {@link #timeout(Duration)}, or the default. */
    public Duration effectiveTimeout() {
        if (timeout != null) {
            return timeout;
        }
        return defaultTimeout(plan.profile(), chosen.isEmpty() ? EnumSet.allOf(Check.class) : chosen);
    }

    /**
     * The default deadline for a profile and a set of checks: long enough to reach a verdict the gateway would
     * reach. 30 s; with {@link Check#PROBE}, at least the profile's request timeout + 5 s (a backend that never
     * answers must be seen to outlast the gateway's wait); with {@link Check#KEEP_ALIVE}, at least its idle timeout
     * + 15 s.
     */
    public static Duration defaultTimeout(GatewayProfile profile, Set<Check> checks) {
        Duration d = DEFAULT_TIMEOUT;
        if (checks.contains(Check.PROBE)) {
            d = max(d, profile.requestTimeout().plus(REQUEST_TIMEOUT_MARGIN));
        }
        if (checks.contains(Check.KEEP_ALIVE)) {
            d = max(d, profile.idleTimeout().plus(KEEP_ALIVE_MARGIN));
        }
        return atMostLongest(d);
    }

    /** {@code d}, or {@link GatewayProfile#LONGEST} when longer: a default deadline is a valid deadline. */
    static Duration atMostLongest(Duration d) {
        return d.compareTo(GatewayProfile.LONGEST) > 0 ? GatewayProfile.LONGEST : d;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Runs the selected checks within the overall deadline and returns the report. Never throws for anything the
     * network does. On interrupt, returns the partial report marked incomplete, with the interrupt flag set.
     *
     * @throws IllegalStateException when no engine ({@code gateway-check-core}) is on the class path
     */
    public Report run() {
        CheckEngine e = engine != null ? engine : Engines.get();
        return e.run(plan());
    }

    /**
     * Runs the check on a daemon thread named {@code gateway-check-N}. Cancelling the future
     * ({@code cancel(true)}) interrupts the run, which closes its sockets.
     */
    public CompletableFuture<Report> runAsync() {
        CheckEngine e = engine != null ? engine : Engines.get();
        CheckPlan plan = plan();
        Future<?>[] task = new Future<?>[1];
        CompletableFuture<Report> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                Future<?> t = task[0];
                if (t != null) {
                    t.cancel(true);
                }
                return super.cancel(mayInterruptIfRunning);
            }
        };
        task[0] = Engines.executor().submit(() -> {
            try {
                result.complete(e.run(plan));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * The checks {@link #awaitHealthy(Duration)} runs when none was named: the quick ones, {@link Check#TLS} (skipped
     * on a plain-http backend) and {@link Check#PROBE} (the forwarded request and the gateway's health probe), after
     * name resolution and connect. {@link Check#KEEP_ALIVE} runs only when named: proving an idle timeout takes as
     * long as the gateway's idle timeout, which is no readiness question.
     */
    public static final Set<Check> READINESS_CHECKS = Collections.unmodifiableSet(EnumSet.of(Check.TLS, Check.PROBE));

    /** How often {@link #awaitHealthy(Duration)} starts a check: every 500 ms (or as soon as the last one ended). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    /**
     * Waits until the backend is ready for the gateway: runs the check every {@link #DEFAULT_POLL_INTERVAL} until a
     * report is healthy, and returns that report; fails with the last report when {@code atMost} has passed. For
     * integration tests and start-up scripts.
     *
     * <pre>{@code
     * Report ready = GatewayCheck.forBackend("http://127.0.0.1:8080")
     *         .withHost("www.example.com")
     *         .awaitHealthy(Duration.ofSeconds(60));   // UnhealthyBackendException (an AssertionError) otherwise
     * }</pre>
     *
     * <p>What runs: the checks named with {@link #probe()}, {@link #tls()}, {@link #keepAlive()} or
     * {@link #checks(Check...)}; when none was named, the quick {@link #READINESS_CHECKS} (DNS, connect, TLS, the
     * forwarded request and the probe), not every check as {@link #run()} does. A backend still starting (refusing
     * connections, answering 503) is simply polled again. Each attempt gets the check's deadline
     * ({@link #timeout(Duration)} or the default), cut to the time left.
     *
     * @throws UnhealthyBackendException carrying the last report, the number of attempts and the time waited, when no
     *                                   report was healthy within {@code atMost}
     * @throws IllegalArgumentException  when {@code atMost} is not positive or longer than 7 days
     */
    public Report awaitHealthy(Duration atMost) {
        return awaitHealthy(atMost, DEFAULT_POLL_INTERVAL);
    }

    /**
     * {@link #awaitHealthy(Duration)} with a poll interval: a check starts every {@code pollInterval}, or as soon as
     * the previous one ended when it took longer.
     *
     * @throws UnhealthyBackendException carrying the last report when no report was healthy within {@code atMost}
     * @throws IllegalArgumentException  when {@code atMost} or {@code pollInterval} is not positive or longer than 7
     *                                   days
     */
    public Report awaitHealthy(Duration atMost, Duration pollInterval) {
        GatewayProfile.requireTimeout(atMost, "atMost");
        GatewayProfile.requireTimeout(pollInterval, "pollInterval");
        GatewayCheck check = chosen.isEmpty() ? withChecks(READINESS_CHECKS) : this;
        Duration perRun = check.effectiveTimeout();
        long start = System.nanoTime();
        long end = start + atMost.toNanos();
        Report last = null;
        int attempts = 0;
        while (attempts < 1_000_000) {
            long runStart = System.nanoTime();
            long left = end - runStart;
            Duration runTimeout = perRun.toNanos() < left ? perRun : Duration.ofNanos(Math.max(left, 1_000_000));
            Report r = check.timeout(runTimeout).run();
            attempts++;
            // a run cut short by the end of the wait says less than the complete one before it
            if (last == null || r.complete() || !last.complete()) {
                last = r;
            }
            if (r.isHealthy()) {
                return r;
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            long next = Math.max(runStart + pollInterval.toNanos(), System.nanoTime());
            if (end - next <= MIN_AWAIT_RUN.toNanos()) {
                break;
            }
            try {
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new UnhealthyBackendException(last, attempts, Duration.ofNanos(System.nanoTime() - start), atMost);
    }

    /** {@link #awaitHealthy(Duration)} starts no run with less time left than this. */
    private static final Duration MIN_AWAIT_RUN = Duration.ofMillis(200);

    /** One line with the configuration, e.g. for jshell. */
    @Override
    public String toString() {
        Set<Check> c = plan().checks();
        CheckPlan p = plan;
        return "GatewayCheck[backend=" + p.backend() + ", host=" + p.host() + ", path=" + p.path() + ", profile="
                + p.profile().id() + ", checks=" + EnumSet.copyOf(c) + ", timeout=" + (timeout == null ? "default " : "")
                + effectiveTimeout() + (p.trusted().isEmpty() ? "" : ", trusting=" + p.trusted().size()
                + " certificate(s)") + (p.probe() == null ? "" : ", probe=" + p.probe())
                + (p.keepAlive().raceReproduction() ? ", keepAlive=reproduceRace" : "")
                + (p.resolver() == NameResolver.system() ? "" : ", resolver=" + p.resolver()) + "]";
    }
}
