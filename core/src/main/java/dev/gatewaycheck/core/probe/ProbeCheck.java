package dev.gatewaycheck.core.probe;

import dev.gatewaycheck.spi.Snippets;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.RequestCheck;
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
 * connections (at most {@value #MAX_SERIES}, {@link #SPACING} apart, instead of the gateway's real interval, so a
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
 * String skipped = ProbeCheck.run(ctx, target);   // null when it ran
 * }</pre>
 */
public final class ProbeCheck {
    /** The most probes of one series. */
    public static final int MAX_SERIES = 8;
    /** The pause between two probes of a series. */
    public static final Duration SPACING = Duration.ofMillis(20);

    private enum Outcome { PASS, STATUS, BODY, TIMEOUT, TRANSPORT }

    private record Attempt(Outcome outcome, HttpObservation obs, Cause transport) {
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
        ctx.report(Cause.PROBE_MISCONFIGURED, ctx.plan().backend().toString(), ctx.profile().name()
                + " rejects or mis-runs this probe: " + what, ev.build());
        return violations;
    }

    /** Runs the probe series against {@code target}; returns a skip reason, or null when it ran. */
    public static String run(RunContext ctx, Target target) {
        ProbeSpec spec = ctx.plan().effectiveProbe();
        if (spec == null) {
            return ctx.profile().name() + " has no active health probe (passive health only); "
                    + "give one with probe(ProbeSpec)";
        }
        boolean tls = spec.protocol() == null ? target.tls() : spec.protocol().equals("https");
        int port = spec.port() == 0 ? target.address().getPort() : spec.port();
        String host = spec.host() == null ? target.host() : spec.host();
        String path = spec.path().startsWith("/") ? spec.path() : "/" + spec.path();
        Target probe = new Target(new InetSocketAddress(target.address().getAddress(), port), tls, host, path);

        int n = seriesLength(spec);
        List<Attempt> attempts = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                if (ctx.cutShort() || !ctx.deadline().allows(SPACING.plusMillis(50))) {
                    break;
                }
                try {
                    Thread.sleep(SPACING.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            // a probe needs the status; the body only when it must match
            HttpObservation obs = HttpExchange.get(ctx, probe, spec.timeout(), java.util.Map.of(),
                    spec.bodyContains() != null);
            Attempt a = judge(ctx, spec, probe, obs);
            if (a == null) {
                break;
            }
            attempts.add(a);
            if (a.outcome() == Outcome.TIMEOUT) {
                break;
            }
        }
        if (attempts.isEmpty()) {
            return "the deadline ended before the first probe was answered";
        }
        Duration window = Duration.ofNanos(System.nanoTime() - start);
        long failed = attempts.stream().filter(a -> a.outcome() != Outcome.PASS).count();
        if (failed == 0) {
            return null;
        }
        Evidence.Builder base = Evidence.builder()
                .put("path", path).put("hostSent", host).put("protocol", tls ? "https" : "http").put("port", port)
                .put("accepted", ranges(spec)).put("probeTimeout", ProbeRules.secs(spec.timeout()))
                .put("probesSent", attempts.size()).put("probesFailed", failed)
                .put("outcomes", attempts.stream().map(Attempt::describe).collect(Collectors.joining(",")))
                .put("probeSource", ctx.plan().probe() == null ? "default probe of " + ctx.profile().name()
                        : "custom probe");
        if (failed == attempts.size()) {
            allFailed(ctx, spec, target, probe, attempts.get(0), base);
        } else {
            intermittent(ctx, spec, probe, attempts, failed, window, base);
        }
        return null;
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
            Optional<Cause> c = FailureClassifier.classify(f, probe.tls());
            if (c.orElse(null) == Cause.RESPONSE_TIMEOUT) {
                if (ctx.cutShort() && obs.total().compareTo(spec.timeout()) < 0) {
                    return null;
                }
                return new Attempt(Outcome.TIMEOUT, obs, null);
            }
            if (ctx.cutShort() && (c.isEmpty() || (c.get() == Cause.TLS_HANDSHAKE_TIMEOUT
                    && obs.total().compareTo(ctx.profile().tlsHandshakeTimeout()) < 0))) {
                return null;
            }
            if (c.isEmpty()) {
                // no cause names it: the phase is ERRORED with the failure, no RST is claimed
                throw RequestCheck.unclassified(probe, f);
            }
            return new Attempt(Outcome.TRANSPORT, obs, c.get());
        }
        if (!spec.accepts(obs.status())) {
            return new Attempt(Outcome.STATUS, obs, null);
        }
        if (spec.bodyContains() != null && !obs.body().contains(spec.bodyContains())) {
            return new Attempt(Outcome.BODY, obs, null);
        }
        return new Attempt(Outcome.PASS, obs, null);
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
                    ctx.report(Cause.PROTOCOL_PORT_MISMATCH, label, "The health probe sends plain HTTP, but port "
                            + probe.address().getPort() + " speaks TLS: it answered " + obs.status() + " '"
                            + plainToTls.get() + "' (a TLS handshake on it succeeds)", base.put("status", obs.status())
                            .put("gatewayProtocol", "http")
                            .put("portSpeaks", "https").put("page", plainToTls.get()).build());
                    return;
                }
                if (!probe.host().equalsIgnoreCase(site.host())) {
                    HttpObservation asSite = HttpExchange.get(ctx, probe.withHost(site.host()), spec.timeout());
                    if (asSite.hasResponse() && spec.accepts(asSite.status())) {
                        ctx.report(Cause.PROBE_HOST_NOT_SERVED, label, "The backend answers " + asSite.status()
                                + " on " + probe.path() + " for Host " + site.host() + " but " + obs.status()
                                + " for the probe's Host " + probe.host() + ": add a default site that answers any "
                                + "Host (or " + probe.host() + "), or set the probe's host name to " + site.host(),
                                base.put("status", obs.status()).put("siteHost", site.host())
                                        .put("siteStatus", asSite.status())
                                        .put("server", obs.header("Server").orElse(null)).build());
                        return;
                    }
                    base.put("siteHost", site.host()).put("siteStatus", asSite.hasResponse() ? asSite.status()
                            : "no response");
                }
                ctx.report(Cause.PROBE_STATUS_MISMATCH, label, "The health probe GET " + probe.path() + " with Host "
                        + probe.host() + " got " + obs.status() + " " + obs.reason() + "; " + ctx.profile().name()
                        + " accepts " + ranges(spec) + " (Expected:" + ranges(spec) + " Received:" + obs.status() + ")",
                        base.put("status", obs.status()).put("server", obs.header("Server").orElse(null))
                                .put("location", obs.header("Location").orElse(null)).build());
                return;
            }
            case BODY:
                ctx.report(Cause.PROBE_BODY_MISMATCH, label, "The health probe's response to GET " + probe.path()
                        + " does not contain '" + spec.bodyContains() + "'", base.put("status", obs.status())
                        .put("expectedBodyContains", spec.bodyContains()).put("bodyStart", Snippets.snippet(obs.body(), 120))
                        .put("bodyBytes", obs.body().length()).build());
                return;
            case TIMEOUT:
                ctx.report(Cause.PROBE_TIMEOUT, label, "The health probe GET " + probe.path() + " with Host "
                        + probe.host() + " got no response within its " + ProbeRules.secs(spec.timeout())
                        + " timeout", base.put("elapsed", secs(obs.total())).build());
                return;
            default: {
                Throwable f = obs.failure();
                if (!probe.host().equalsIgnoreCase(site.host())) {
                    // a default vhost that drops or resets unknown Hosts (nginx 'return 444'): the site still works
                    HttpObservation asSite = HttpExchange.get(ctx, probe.withHost(site.host()), spec.timeout());
                    if (asSite.hasResponse() && spec.accepts(asSite.status())) {
                        ctx.report(Cause.PROBE_HOST_NOT_SERVED, label, "The backend answers " + asSite.status()
                                + " on " + probe.path() + " for Host " + site.host() + " but drops the probe's Host "
                                + probe.host() + " (" + first.transport().id() + "): add a default site that answers "
                                + "any Host (or " + probe.host() + "), or set the probe's host name to " + site.host(),
                                base.put("probeOutcome", first.transport().id()).put("siteHost", site.host())
                                        .put("siteStatus", asSite.status()).build());
                        return;
                    }
                }
                ctx.report(first.transport(), label, "The health probe GET " + probe.path() + " failed: "
                        + first.transport().title(), base.put("exception", f == null ? null : f.getClass().getName())
                        .put("exceptionMessage", f == null ? null : String.valueOf(f.getMessage())).build());
            }
        }
    }

    private static void intermittent(RunContext ctx, ProbeSpec spec, Target probe, List<Attempt> attempts,
                                     long failed, Duration window, Evidence.Builder base) {
        int maxRun = 0;
        int run = 0;
        for (Attempt a : attempts) {
            run = a.outcome() == Outcome.PASS ? 0 : run + 1;
            maxRun = Math.max(maxRun, run);
        }
        boolean marksDown = maxRun >= spec.unhealthyThreshold();
        Severity severity = marksDown ? Severity.ERROR : ctx.profile().severityOf(Cause.PROBE_INTERMITTENT_FAILURE);
        double rate = (double) failed / attempts.size();
        Attempt firstFailure = attempts.stream().filter(a -> a.outcome() != Outcome.PASS).findFirst().orElseThrow();
        String msg = String.format(Locale.ROOT, "%d of %d health probes failed (%.0f%%) within %s; %d in a row at "
                        + "most, the gateway marks the backend down after %d", failed, attempts.size(), rate * 100,
                secs(window), maxRun, spec.unhealthyThreshold())
                + (marksDown ? ": it would mark this backend unhealthy" : ": it flaps towards unhealthy");
        ctx.report(Cause.PROBE_INTERMITTENT_FAILURE, severity, probe.label(), msg, base
                .put("failureRate", String.format(Locale.ROOT, "%.2f", rate))
                .put("maxConsecutiveFailures", maxRun).put("unhealthyThreshold", spec.unhealthyThreshold())
                .put("window", secs(window)).put("spacing", SPACING.toMillis() + "ms")
                .put("firstFailure", firstFailure.describe())
                .put("note", "probes sent " + SPACING.toMillis() + "ms apart instead of every "
                        + ProbeRules.secs(spec.interval()))
                .build());
    }

    private static String ranges(ProbeSpec spec) {
        return spec.accepted().stream().map(StatusRange::toString).collect(Collectors.joining(","));
    }


    private static String secs(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
}
