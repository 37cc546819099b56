package dev.gatewaycheck;

import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.PoolPlan;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A backend pool as the gateway sees it: every member is checked concurrently (a member given by name on every
 * address its resolver returns), then the pool is judged: empty, every member unhealthy (the gateway answers 502
 * to everyone, unless it fails open like AWS ALB), or some members unhealthy. Start with
 * {@link GatewayCheck#forPool(java.util.Collection)}.
 *
 * <pre>{@code
 * PoolReport pool = GatewayCheck.forPool(List.of("http://10.0.0.4:8080", "http://app.internal:8080"))
 *         .withHost("www.contoso.com")                       // Host and SNI the gateway sends
 *         .against(GatewayProfile.AZURE_APP_GATEWAY_V2)      // its default probe and limits
 *         .timeout(Duration.ofSeconds(30))                   // one deadline for the whole pool
 *         .run();
 * }</pre>
 *
 * <p>Immutable and thread-safe: every method returns a new instance. Members are checked on a bounded set of daemon
 * threads that end with the run. The default checks are the gateway's probe and, for https members, TLS.
 *
 * @since 0.1
 */
public final class PoolCheck {

    /** The most members checked at the same time unless {@link #parallelism(int)} says otherwise. */
    public static final int DEFAULT_PARALLELISM = 32;

    private final List<URI> members;
    private final String host;
    private final GatewayProfile profile;
    private final ProbeSpec probe;
    private final Set<Check> checks;
    private final Duration timeout;
    private final NameResolver resolver;
    private final int parallelism;
    private final CheckEngine engine;
    private final List<java.security.cert.X509Certificate> trusted;
    private final java.time.Clock clock;

    private PoolCheck(List<URI> members, String host, GatewayProfile profile, ProbeSpec probe, Set<Check> checks,
                      Duration timeout, NameResolver resolver, int parallelism, CheckEngine engine,
                      List<java.security.cert.X509Certificate> trusted, java.time.Clock clock) {
        this.trusted = trusted;
        this.clock = clock;
        this.members = members;
        this.host = host;
        this.profile = profile;
        this.probe = probe;
        this.checks = checks;
        this.timeout = timeout;
        this.resolver = resolver;
        this.parallelism = parallelism;
        this.engine = engine;
    }

    static PoolCheck of(java.util.Collection<?> members) {
        Objects.requireNonNull(members, "members");
        List<URI> uris = new ArrayList<>(members.size());
        int i = 0;
        for (Object m : members) {
            String name = "members[" + i++ + "]";
            Objects.requireNonNull(m, name);
            if (m instanceof URI u) {
                uris.add(GatewayCheck.validateBackend(u));
            } else if (m instanceof String s) {
                uris.add(URI.create(GatewayCheck.forBackend(s).plan().backend().toString()));
            } else {
                throw new IllegalArgumentException(name + " must be a String or a URI, got " + m.getClass().getName());
            }
        }
        return new PoolCheck(List.copyOf(uris), null, GatewayProfile.GENERIC, null,
                Collections.unmodifiableSet(EnumSet.of(Check.PROBE, Check.TLS)), GatewayCheck.DEFAULT_TIMEOUT,
                NameResolver.system(), DEFAULT_PARALLELISM, null, List.of(), java.time.Clock.systemUTC());
    }

    private PoolCheck copy(String h, GatewayProfile p, ProbeSpec pr, Set<Check> c, Duration t, NameResolver r,
                           int par, CheckEngine e) {
        return new PoolCheck(members, h, p, pr, c, t, r, par, e, trusted, clock);
    }

    /**
     * The gateway's trusted roots (or, for an allow-list gateway, its authentication certificates) for every
     * member, as {@link GatewayCheck#trusting(java.security.cert.X509Certificate...)}. Adds to those given.
     */
    public PoolCheck trusting(java.security.cert.X509Certificate... certificates) {
        List<java.security.cert.X509Certificate> all = new ArrayList<>(trusted);
        all.addAll(GatewayCheck.forBackend("http://127.0.0.1").trusting(certificates).plan().trusted());
        return new PoolCheck(members, host, profile, probe, checks, timeout, resolver, parallelism, engine,
                List.copyOf(all), clock);
    }

    /** The gateway's trusted certificates for every member, from a PEM or DER file. Adds to those given. */
    public PoolCheck trusting(java.nio.file.Path pemFile) {
        return trusting(GatewayCheck.forBackend("http://127.0.0.1").trusting(pemFile).plan().trusted()
                .toArray(new java.security.cert.X509Certificate[0]));
    }

    /** The Host header and SNI the gateway sends to every member. Default: each member's own host. */
    public PoolCheck withHost(String host) {
        String h = GatewayCheck.forBackend("http://127.0.0.1").withHost(host).plan().host();
        return copy(h, profile, probe, checks, timeout, resolver, parallelism, engine);
    }

    /** The gateway whose probe and limits judge the pool. Default: {@link GatewayProfile#GENERIC}. */
    public PoolCheck against(GatewayProfile profile) {
        Objects.requireNonNull(profile, "profile");
        return copy(host, profile, probe, checks, timeout, resolver, parallelism, engine);
    }

    /** Probes every member with the profile's default probe (the default). */
    public PoolCheck probe() {
        return copy(host, profile, null, plus(Check.PROBE), timeout, resolver, parallelism, engine);
    }

    /** Probes every member with this custom probe. */
    public PoolCheck probe(ProbeSpec spec) {
        Objects.requireNonNull(spec, "probe");
        return copy(host, profile, spec, plus(Check.PROBE), timeout, resolver, parallelism, engine);
    }

    /** Selects exactly these checks per member (none: all, keep-alive included). */
    public PoolCheck checks(Check... selected) {
        Objects.requireNonNull(selected, "checks");
        EnumSet<Check> s = EnumSet.noneOf(Check.class);
        for (int i = 0; i < selected.length; i++) {
            s.add(Objects.requireNonNull(selected[i], "checks[" + i + "]"));
        }
        return copy(host, profile, probe, Collections.unmodifiableSet(s), timeout, resolver, parallelism, engine);
    }

    private Set<Check> plus(Check c) {
        EnumSet<Check> s = checks.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(checks);
        s.add(c);
        return Collections.unmodifiableSet(s);
    }

    /**
     * One deadline for the whole pool: {@link #run()} returns within it plus a small margin (under 250 ms), with
     * members the deadline cut short reported as unchecked. Default: 30 s. At most 7 days.
     */
    public PoolCheck timeout(Duration timeout) {
        GatewayProfile.requireTimeout(timeout, "timeout");
        return copy(host, profile, probe, checks, timeout, resolver, parallelism, engine);
    }

    /** Resolves member names with this resolver (the gateway's DNS, a static map). Default: the system's. */
    public PoolCheck resolvingWith(NameResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        return copy(host, profile, probe, checks, timeout, resolver, parallelism, engine);
    }

    /**
     * The most member addresses checked at the same time. Default: {@value #DEFAULT_PARALLELISM}.
     *
     * @throws IllegalArgumentException unless 1-256
     */
    public PoolCheck parallelism(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be 1-256, got " + threads);
        }
        return copy(host, profile, probe, checks, timeout, resolver, threads, engine);
    }

    /**
     * Judges every member's certificate dates, and starts the pool's report, by this clock, as
     * {@link GatewayCheck#withClock(java.time.Clock)}: a fixed clock asks which members' certificates will have
     * expired on that day. Default: the system UTC clock.
     *
     * <pre>{@code
     * PoolReport inAMonth = GatewayCheck.forPool(members)
     *         .withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(30)))
     *         .run();   // members whose certificate expires within 30 days: TLS_CERT_EXPIRED
     * }</pre>
     */
    public PoolCheck withClock(java.time.Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new PoolCheck(members, host, profile, probe, checks, timeout, resolver, parallelism, engine, trusted,
                clock);
    }

    /** Uses this engine instead of the one found by {@link java.util.ServiceLoader}; for tests. */
    PoolCheck usingEngine(CheckEngine engine) {
        return copy(host, profile, probe, checks, timeout, resolver, parallelism, Objects.requireNonNull(engine));
    }

    /** The plan this check runs, as engines see it. */
    public PoolPlan plan() {
        List<CheckPlan> plans = new ArrayList<>(members.size());
        for (URI m : members) {
            GatewayCheck c = GatewayCheck.forBackend(m).against(profile).timeout(timeout).resolvingWith(resolver)
                    .checks(checks.toArray(new Check[0])).withClock(clock);
            if (host != null) {
                c = c.withHost(host);
            }
            if (probe != null) {
                c = c.probe(probe);
            }
            if (!trusted.isEmpty()) {
                c = c.trusting(trusted.toArray(new java.security.cert.X509Certificate[0]));
            }
            plans.add(c.plan());
        }
        return new PoolPlan(plans, profile, timeout, parallelism, clock);
    }

    /**
     * Checks every member concurrently within the deadline and judges the pool. Never throws for anything the
     * network does.
     *
     * @throws IllegalStateException when no engine ({@code gateway-check-core}) is on the class path
     */
    public PoolReport run() {
        CheckEngine e = engine != null ? engine : Engines.get();
        return e.runPool(plan());
    }

    /** One line with the configuration. */
    @Override
    public String toString() {
        return "PoolCheck[members=" + members + (host == null ? "" : ", host=" + host) + ", profile=" + profile.id()
                + ", checks=" + checks + ", timeout=" + timeout + ", parallelism=" + parallelism + "]";
    }
}
