package dev.gatewaycheck.core.probe;

import dev.gatewaycheck.spi.Snippets;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.RequestCheck;
import dev.gatewaycheck.core.Text;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The gateway's health probe, as that gateway sends it: the profile's default probe or the plan's custom one
 * (protocol, Host, path, port, timeout, accepted statuses, body match). Sends a short series of probes on new
 * connections (at most {@value #MAX_SERIES}, back to back instead of the gateway's real interval, so a
 * check stays fast) and reports:
 * <ul>
 * <li>every probe failed: PROBE_STATUS_MISMATCH, PROBE_BODY_MISMATCH or PROBE_TIMEOUT, or PROBE_HOST_NOT_SERVED
 *     when the same path answers for the site's Host but not for the probe's (Azure's default probe sends
 *     {@code Host: 127.0.0.1});</li>
 * <li>some failed: PROBE_INTERMITTENT_FAILURE with the failure rate, an ERROR when the failures were consecutive
 *     for the unhealthy threshold (the gateway would mark the backend down).</li>
 * </ul>
 * The configuration itself is validated by {@link #validate(RunContext)} without the network
 * (PROBE_MISCONFIGURED, rules in {@link ProbeRules}).
 *
 * <pre>{@code
 * // run by DefaultCheckEngine for GatewayCheck.probe(): validate first (no network), then per target
 * ProbeCheck.validate(ctx);
 * Outcome outcome = ProbeCheck.run(ctx, target);
 * }</pre>
 */
public final class ProbeCheck {
    /** The most probes of one series. */
    public static final int MAX_SERIES = 8;
    /**
     * The pause between two probes of a series: none. Each probe is a new connection, and an intermittent failure
     * is a property of connections (one in three fails), not of wall-clock time, so the series needs several
     * connections back to back, not pauses between them.
     */
    public static final Duration SPACING = Duration.ZERO;

    /** A probe is not started with less of the run's deadline left than this. */
    private static final Duration MIN_PROBE_TIME = Duration.ofMillis(50);

    private enum Result { PASS, STATUS, BODY, TIMEOUT, TRANSPORT }

    private record Attempt(Result outcome, HttpObservation obs, Cause transport) {
        String describe() {
            switch (outcome) {
                case PASS:
                    return Integer.toString(obs.status());
                case STATUS:
                    return obs.status() + "!";
                case BODY:
                    return obs.status() + " body!";
                case TIMEOUT:
                    return "timeout";
                default:
                    return transport == null ? "failed" : transport.id();
            }
        }
    }

    private ProbeCheck() {
    }

    /**
     * Checks the probe configuration against the gateway's rules without the network; reports one
     * PROBE_MISCONFIGURED finding listing every broken rule. Returns the violations.
     */
    public static List<ProbeRules.Violation> validate(RunContext ctx) {
        ProbeSpec spec = ctx.plan().effectiveProbe();
        if (spec == null) {
            return List.of();
        }
        List<ProbeRules.Violation> violations = ProbeRules.check(spec, ctx.profile(), ctx.plan().isTls());
        if (violations.isEmpty()) {
            return violations;
        }
        Evidence.Builder ev = Evidence.builder()
                .put("probe", spec)
                .put("probeSource", ctx.plan().probe() == null ? "default probe of " + ctx.profile().name()
                        : "custom probe")
                .put("rules", violations.stream().map(v -> v.rule().name()).collect(Collectors.joining(", ")));
        for (int i = 0; i < violations.size(); i++) {
            ev.put("violation[" + i + "]", violations.get(i));
        }
        ev.put("checkedWithoutNetwork", true);
        String what = violations.stream().map(v -> v.field() + " " + v.value() + " (allowed: " + v.allowed() + ")")
                .collect(Collectors.joining("; "));
        ctx.observe(Observation.of(Cause.PROBE_MISCONFIGURED, ctx.plan().backend().toString(), ctx.profile().name()
                + " rejects or mis-runs this probe: " + what, ev.build()));
        return violations;
    }

    /** Runs the probe series against {@code target}. */
    public static Outcome run(RunContext ctx, Target target) {
        ProbeSpec spec = ctx.plan().effectiveProbe();
        if (spec == null) {
            return Outcome.skipped(ctx.profile().name() + " has no active health probe (passive health only); "
                    + "give one with probe(ProbeSpec)");
        }
        boolean tls = spec.protocol() == null ? target.tls() : spec.protocol().equals("https");
        int port = spec.port() == 0 ? target.address().getPort() : spec.port();
        String host = spec.host() == null ? target.host() : spec.host();
        String path = spec.path().startsWith("/") ? spec.path() : "/" + spec.path();
        Target probe = new Target(new InetSocketAddress(target.address().getAddress(), port), tls, host, path);

        int n = seriesLength(spec);
        List<Attempt> attempts = new ArrayList<>(n);
        long start = System.nanoTime();
        // the series' connections are consecutive at the backend: other phases connect before or after it
        boolean series = ctx.enterSeries();
        try {
            probeSeries(ctx, spec, probe, n, attempts);
        } finally {
            ctx.exitSeries(series);
        }
        if (attempts.isEmpty()) {
            return Outcome.inconclusive("the run's deadline ended before the first probe was answered");
        }
        Duration window = Duration.ofNanos(System.nanoTime() - start);
        long failed = attempts.stream().filter(a -> a.outcome() != Result.PASS).count();
        if (failed == 0) {
            return Outcome.RAN;
        }
        Evidence.Builder base = Evidence.builder()
                .put("path", path).put("hostSent", host).put("protocol", tls ? "https" : "http").put("port", port)
                .put("accepted", ranges(spec)).put("probeTimeoutSeconds", spec.timeout())
                .put("probesSent", attempts.size()).put("probesFailed", failed)
                .put("outcomes", attempts.stream().map(Attempt::describe).collect(Collectors.joining(",")))
                .put("probeSource", ctx.plan().probe() == null ? "default probe of " + ctx.profile().name()
                        : "custom probe");
        if (failed == attempts.size()) {
            allFailed(ctx, spec, target, probe, attempts.get(0), base);
        } else {
            intermittent(ctx, spec, probe, attempts, failed, window, base);
        }
        return Outcome.RAN;
    }

    /** Sends the series back to back, one new connection per probe; stops at a timeout or the deadline. */
    private static void probeSeries(RunContext ctx, ProbeSpec spec, Target probe, int n, List<Attempt> attempts) {
        for (int i = 0; i < n; i++) {
            if (i > 0 && (ctx.cutShort() || !ctx.deadline().allows(MIN_PROBE_TIME))) {
                break;
            }
            // a probe needs the status; the body only when it must match
            HttpObservation obs = HttpExchange.get(ctx, probe, spec.timeout(), java.util.Map.of(),
                    spec.bodyContains() != null);
            Attempt a = judge(ctx, spec, probe, obs);
            if (a == null) {
                break;
            }
            attempts.add(a);
            if (a.outcome() == Result.TIMEOUT) {
                break;
            }
        }
    }

    static int seriesLength(ProbeSpec spec) {
        return Math.min(MAX_SERIES, Math.max(4, spec.unhealthyThreshold() * 2));
    }

    private static Attempt judge(RunContext ctx, ProbeSpec spec, Target probe, HttpObservation obs) {
        if (obs.cutShort()) {
            return null;   // the run's deadline or an interrupt ended it: says nothing about the backend
        }
        if (!obs.hasResponse()) {
            Throwable f = obs.failure();
            Optional<Cause> c = TransportRules.cause(FailureClassifier.classify(f, probe.tls()));
            if (c.orElse(null) == Cause.RESPONSE_TIMEOUT) {
                if (obs.total().compareTo(spec.timeout()) < 0) {
                    return null;   // the wait was capped by the run's deadline, not the probe's timeout
                }
                return new Attempt(Result.TIMEOUT, obs, null);
            }
            if ((c.isEmpty() && ctx.cutShort()) || (c.orElse(null) == Cause.TLS_HANDSHAKE_TIMEOUT
                    && obs.total().compareTo(ctx.profile().tlsHandshakeTimeout()) < 0)) {
                return null;   // likewise: the run's deadline ended the handshake, not the gateway's timeout
            }
            if (c.isEmpty()) {
                // no cause names it: the phase is ERRORED with the failure, no RST is claimed
                throw RequestCheck.unclassified(probe, f);
            }
            return new Attempt(Result.TRANSPORT, obs, c.get());
        }
        if (!spec.accepts(obs.status())) {
            return new Attempt(Result.STATUS, obs, null);
        }
        if (spec.bodyContains() != null && !obs.body().contains(spec.bodyContains())) {
            return new Attempt(Result.BODY, obs, null);
        }
        return new Attempt(Result.PASS, obs, null);
    }

    private static void allFailed(RunContext ctx, ProbeSpec spec, Target site, Target probe, Attempt first,
                                  Evidence.Builder base) {
        String label = probe.label();
        HttpObservation obs = first.obs();
        switch (first.outcome()) {
            case STATUS: {
                Optional<String> plainToTls = dev.gatewaycheck.core.http.PlainToTls.detect(ctx, probe,
                        obs);
                if (plainToTls.isPresent()) {
                    // the probe's plain HTTP hit a TLS port: the port, not the status, is what is wrong
                    ctx.observe(Observation.of(Cause.PROTOCOL_PORT_MISMATCH, label, "The health probe sends plain HTTP, but port "
                            + probe.address().getPort() + " speaks TLS: it answered " + obs.status() + " '"
                            + plainToTls.get() + "' (a TLS handshake on it succeeds)", base.put("status", obs.status())
                            .put("gatewayProtocol", "http")
                            .put("portSpeaks", "https").put("page", plainToTls.get()).build()));
                    return;
                }
                if (!probe.host().equalsIgnoreCase(site.host())) {
                    HttpObservation asSite = HttpExchange.get(ctx, probe.withHost(site.host()), spec.timeout());
                    if (asSite.hasResponse() && spec.accepts(asSite.status())) {
                        ctx.observe(Observation.of(Cause.PROBE_HOST_NOT_SERVED, label, "The backend answers " + asSite.status()
                                + " on " + probe.path() + " for Host " + site.host() + " but " + obs.status()
                                + " for the probe's Host " + probe.host() + ": add a default site that answers any "
                                + "Host (or " + probe.host() + "), or set the probe's host name to " + site.host(),
                                base.put("status", obs.status()).put("siteHost", site.host())
                                        .put("siteStatus", asSite.status())
                                        .put("server", obs.header("Server").orElse(null)).build()));
                        return;
                    }
                    base.put("siteHost", site.host()).put("siteStatus", asSite.hasResponse() ? asSite.status()
                            : "no response");
                }
                ctx.observe(Observation.of(Cause.PROBE_STATUS_MISMATCH, label, "The health probe GET " + probe.path() + " with Host "
                        + probe.host() + " got " + obs.status() + " " + obs.reason() + "; " + ctx.profile().name()
                        + " accepts " + ranges(spec) + " (Expected:" + ranges(spec) + " Received:" + obs.status() + ")",
                        base.put("status", obs.status()).put("server", obs.header("Server").orElse(null))
                                .put("location", obs.header("Location").orElse(null)).build()));
                return;
            }
            case BODY:
                ctx.observe(Observation.of(Cause.PROBE_BODY_MISMATCH, label, "The health probe's response to GET " + probe.path()
                        + " does not contain '" + spec.bodyContains() + "'", base.put("status", obs.status())
                        .put("expectedBodyContains", spec.bodyContains()).put("bodyStart", Text.snippet(obs.body()))
                        .put("bodyBytes", obs.body().length()).build()));
                return;
            case TIMEOUT:
                ctx.observe(Observation.of(Cause.PROBE_TIMEOUT, label, "The health probe GET " + probe.path() + " with Host "
                        + probe.host() + " got no response within its " + Text.duration(spec.timeout())
                        + " timeout", base.put("elapsedSeconds", obs.total()).build()));
                return;
            default: {
                Throwable f = obs.failure();
                if (!probe.host().equalsIgnoreCase(site.host())) {
                    // a default vhost that drops or resets unknown Hosts (nginx 'return 444'): the site still works
                    HttpObservation asSite = HttpExchange.get(ctx, probe.withHost(site.host()), spec.timeout());
                    if (asSite.hasResponse() && spec.accepts(asSite.status())) {
                        ctx.observe(Observation.of(Cause.PROBE_HOST_NOT_SERVED, label, "The backend answers " + asSite.status()
                                + " on " + probe.path() + " for Host " + site.host() + " but drops the probe's Host "
                                + probe.host() + " (" + first.transport().id() + "): add a default site that answers "
                                + "any Host (or " + probe.host() + "), or set the probe's host name to " + site.host(),
                                base.put("probeOutcome", first.transport().id()).put("siteHost", site.host())
                                        .put("siteStatus", asSite.status()).build()));
                        return;
                    }
                }
                ctx.observe(Observation.of(first.transport(), label, "The health probe GET " + probe.path() + " failed: "
                        + first.transport().title(), base.put("exception", f == null ? null : f.getClass().getName())
                        .put("exceptionMessage", f == null ? null : String.valueOf(f.getMessage())).build()));
            }
        }
    }

    private static void intermittent(RunContext ctx, ProbeSpec spec, Target probe, List<Attempt> attempts,
                                     long failed, Duration window, Evidence.Builder base) {
        int maxRun = 0;
        int run = 0;
        for (Attempt a : attempts) {
            run = a.outcome() == Result.PASS ? 0 : run + 1;
            maxRun = Math.max(maxRun, run);
        }
        boolean marksDown = maxRun >= spec.unhealthyThreshold();
        double rate = (double) failed / attempts.size();
        Attempt firstFailure = attempts.stream().filter(a -> a.outcome() != Result.PASS).findFirst().orElseThrow();
        String msg = String.format(Locale.ROOT, "%d of %d health probes failed (%.0f%%) within %s; %d in a row at "
                        + "most, the gateway marks the backend down after %d", failed, attempts.size(), rate * 100,
                Text.seconds(window), maxRun, spec.unhealthyThreshold())
                + (marksDown ? ": it would mark this backend unhealthy" : ": it flaps towards unhealthy");
        ctx.observe(Observation.of(Cause.PROBE_INTERMITTENT_FAILURE, probe.label(), msg, base
                .put("failureRate", java.math.BigDecimal.valueOf(rate).setScale(2, java.math.RoundingMode.HALF_UP))
                .put("maxConsecutiveFailures", maxRun).put("unhealthyThreshold", spec.unhealthyThreshold())
                .put("windowSeconds", window).put("spacingSeconds", SPACING)
                .put("firstFailure", firstFailure.describe())
                .put("note", "probes sent back to back on new connections instead of every "
                        + Text.duration(spec.interval()))
                .build()).withIf(marksDown, Qualifier.MARKS_MEMBER_DOWN));
    }

    private static String ranges(ProbeSpec spec) {
        return spec.accepted().stream().map(StatusRange::toString).collect(Collectors.joining(","));
    }


}
