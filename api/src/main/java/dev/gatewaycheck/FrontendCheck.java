package dev.gatewaycheck;

import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.FrontendPlan;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which hop answered the error? Requests a front door's public URL (CDN or load balancer), identifies the product
 * that produced an error answer from its fingerprint ({@code X-Cache: Error from cloudfront}, {@code Server:
 * awselb/2.0}, {@code Microsoft-Azure-Application-Gateway}, {@code Server: cloudflare} with 52x, nginx's default
 * error page...), then checks each backend directly with the front door's Host and SNI (the "hosts file" trick)
 * and says which hop is at fault. Start with {@link GatewayCheck#forFrontend(String)}.
 *
 * <pre>{@code
 * FrontendReport r = GatewayCheck.forFrontend("https://www.contoso.com/")
 *         .withBackends(URI.create("https://alb-123.elb.amazonaws.com"))   // the hop behind the CDN
 *         .run();
 * r.product();      // "AWS CloudFront"
 * r.faultyHop();    // BACKEND: the ALB fails the same request directly
 * }</pre>
 *
 * <p>Immutable and thread-safe: every method returns a new instance.
 *
 * @since 0.1
 */
public final class FrontendCheck {
    private final URI url;
    private final List<URI> backends;
    private final GatewayProfile profile;
    private final Duration timeout;
    private final NameResolver resolver;
    private final List<java.security.cert.X509Certificate> trusted;
    private final CheckEngine engine;
    private final java.time.Clock clock;

    private FrontendCheck(URI url, List<URI> backends, GatewayProfile profile, Duration timeout,
                          NameResolver resolver, List<java.security.cert.X509Certificate> trusted,
                          CheckEngine engine, java.time.Clock clock) {
        this.clock = clock;
        this.url = url;
        this.backends = backends;
        this.profile = profile;
        this.timeout = timeout;
        this.resolver = resolver;
        this.trusted = trusted;
        this.engine = engine;
    }

    static FrontendCheck of(String url) {
        Objects.requireNonNull(url, "url");
        URI u;
        try {
            u = GatewayCheck.forBackend(url).plan().backend();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url must be the front door's absolute http(s) URL, e.g. "
                    + "https://www.contoso.com/, got '" + url + "'", e);
        }
        return new FrontendCheck(u, List.of(), null, null, NameResolver.system(), List.of(), null,
                java.time.Clock.systemUTC());
    }

    /** The backends behind the front door, checked directly with its Host and SNI. Adds to those given. */
    public FrontendCheck withBackends(URI... backends) {
        Objects.requireNonNull(backends, "backends");
        List<URI> all = new ArrayList<>(this.backends);
        for (int i = 0; i < backends.length; i++) {
            all.add(GatewayCheck.validateBackend(Objects.requireNonNull(backends[i], "backends[" + i + "]")));
        }
        return new FrontendCheck(url, List.copyOf(all), profile, timeout, resolver, trusted, engine, clock);
    }

    /** The backends behind the front door as strings, e.g. {@code "https://10.0.0.4"}. Adds to those given. */
    public FrontendCheck withBackends(String... backends) {
        Objects.requireNonNull(backends, "backends");
        URI[] uris = new URI[backends.length];
        for (int i = 0; i < backends.length; i++) {
            uris[i] = GatewayCheck.forBackend(Objects.requireNonNull(backends[i], "backends[" + i + "]")).plan()
                    .backend();
        }
        return withBackends(uris);
    }

    /** The front door's profile. Default: the profile of the product identified in its answer, else generic. */
    public FrontendCheck against(GatewayProfile profile) {
        Objects.requireNonNull(profile, "profile");
        return new FrontendCheck(url, backends, profile, timeout, resolver, trusted, engine, clock);
    }

    /**
     * One deadline for the front door and every backend. Default: {@link #defaultTimeout(GatewayProfile)} of the
     * profile given with {@link #against(GatewayProfile)} (else the generic one): the front door's wait plus what
     * the backend checks need.
     */
    public FrontendCheck timeout(Duration timeout) {
        GatewayProfile.requireTimeout(timeout, "timeout");
        return new FrontendCheck(url, backends, profile, timeout, resolver, trusted, engine, clock);
    }

    /** Resolves the front door's and the backends' names with this resolver. Default: the system's. */
    public FrontendCheck resolvingWith(NameResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        return new FrontendCheck(url, backends, profile, timeout, resolver, trusted, engine, clock);
    }

    /**
     * The front door's trusted roots for its backends (a private CA), as {@link GatewayCheck#trusting(
     * java.security.cert.X509Certificate...)}: the backends are checked trusting them. Adds to those given.
     */
    public FrontendCheck trusting(java.security.cert.X509Certificate... certificates) {
        List<java.security.cert.X509Certificate> all = new ArrayList<>(trusted);
        all.addAll(GatewayCheck.forBackend(url).trusting(certificates).plan().trusted());
        return new FrontendCheck(url, backends, profile, timeout, resolver, List.copyOf(all), engine, clock);
    }

    /** The front door's trusted roots for its backends, from a PEM or DER file. Adds to those given. */
    public FrontendCheck trusting(java.nio.file.Path pemFile) {
        return trusting(GatewayCheck.forBackend(url).trusting(pemFile).plan().trusted()
                .toArray(new java.security.cert.X509Certificate[0]));
    }

    /**
     * Judges every backend's certificate dates, and starts the report, by this clock, as
     * {@link GatewayCheck#withClock(java.time.Clock)}. Default: the system UTC clock.
     *
     * <pre>{@code
     * FrontendReport r = GatewayCheck.forFrontend("https://www.contoso.com/")
     *         .withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(30)))
     *         .withBackends(URI.create("https://alb-123.elb.amazonaws.com"))
     *         .run();   // whether the backend's certificate will have expired in 30 days
     * }</pre>
     */
    public FrontendCheck withClock(java.time.Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new FrontendCheck(url, backends, profile, timeout, resolver, trusted, engine, clock);
    }

    /** Uses this engine instead of the one found by {@link java.util.ServiceLoader}; for tests. */
    FrontendCheck usingEngine(CheckEngine engine) {
        return new FrontendCheck(url, backends, profile, timeout, resolver, trusted, Objects.requireNonNull(engine),
                clock);
    }

    /**
     * The default deadline of a front-door check judged against {@code profile} ({@code null}: the generic one): the
     * front door's own wait for its backend (the profile's request timeout, after which it answers 504) plus 5 s,
     * plus what each backend's direct check needs to reach the same verdict
     * ({@link GatewayCheck#defaultTimeout(GatewayProfile, java.util.Set)} for TLS and the probe). 55 s for the
     * generic profile.
     */
    public static Duration defaultTimeout(GatewayProfile profile) {
        GatewayProfile p = profile == null ? GatewayProfile.GENERIC : profile;
        return GatewayCheck.atMostLongest(p.requestTimeout().plus(GatewayCheck.REQUEST_TIMEOUT_MARGIN)
                .plus(GatewayCheck.defaultTimeout(p, java.util.EnumSet.of(Check.TLS, Check.PROBE))));
    }

    /** The deadline {@link #run()} will use: the one set with {@link #timeout(Duration)}, or the default. */
    public Duration effectiveTimeout() {
        return timeout != null ? timeout : defaultTimeout(profile);
    }

    /** The plan this check runs, as engines see it. */
    public FrontendPlan plan() {
        Duration timeout = effectiveTimeout();
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path = path + "?" + url.getRawQuery();
        }
        List<CheckPlan> plans = new ArrayList<>();
        for (URI b : backends) {
            GatewayCheck c = GatewayCheck.forBackend(b).withHost(host).withPath(path).timeout(timeout)
                    .resolvingWith(resolver).checks(Check.TLS, Check.PROBE)
                    .against(profile == null ? GatewayProfile.GENERIC : profile).withClock(clock);
            if (!trusted.isEmpty()) {
                c = c.trusting(trusted.toArray(new java.security.cert.X509Certificate[0]));
            }
            plans.add(c.plan());
        }
        return new FrontendPlan(url, plans, profile, timeout, resolver, clock);
    }

    /**
     * Requests the front door, identifies who answered, checks the backends directly and names the faulty hop.
     * Never throws for anything the network does.
     *
     * @throws IllegalStateException when no engine ({@code gateway-check-core}) is on the class path
     */
    public FrontendReport run() {
        CheckEngine e = engine != null ? engine : Engines.get();
        return e.runFrontend(plan());
    }

    @Override
    public String toString() {
        return "FrontendCheck[url=" + url + ", backends=" + backends + (profile == null ? "" : ", profile="
                + profile.id()) + ", timeout=" + (timeout == null ? "default " : "") + effectiveTimeout() + "]";
    }
}
