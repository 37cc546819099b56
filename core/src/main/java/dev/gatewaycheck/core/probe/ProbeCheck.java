package dev.gatewaycheck.core.probe;

import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.PlainToTls;
import dev.gatewaycheck.core.http.RequestCheck;
import dev.gatewaycheck.core.judge.ProbeRules;
import dev.gatewaycheck.core.judge.ProbeSeriesSeen;
import dev.gatewaycheck.core.judge.ProbeSeriesSeen.Answer;
import dev.gatewaycheck.core.judge.TransportFailure;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gateway's health probe, as that gateway sends it: the profile's default probe or the plan's custom one
 * (protocol, Host, path, port, timeout, accepted statuses, body match). Sends a short series of probes on new
 * connections (at most {@value #MAX_SERIES}, back to back instead of the gateway's real interval, so a
 * check stays fast) and observes each answer; when every probe failed, it also asks whether a plain probe's port
 * speaks TLS and what the same probe gets with the site's Host (Azure's default probe sends
 * {@code Host: 127.0.0.1}). {@link ProbeRules} names what the series shows (every probe failed: its reason; some
 * failed: intermittent failures, marking the backend down when consecutive for the unhealthy threshold).
 * The configuration itself is validated by {@link #validate(RunContext)} without the network.
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
    /** The fewest probes of one series: enough to see one connection in three fail. */
    static final int MIN_SERIES = 4;
    /** A series sends this many probes per probe of the unhealthy threshold (twice the run that marks it down). */
    static final int PROBES_PER_THRESHOLD = 2;
    /**
     * The pause between two probes of a series: none. Each probe is a new connection, and an intermittent failure
     * is a property of connections (one in three fails), not of wall-clock time, so the series needs several
     * connections back to back, not pauses between them.
     */
    public static final Duration SPACING = Duration.ZERO;

    /** A probe is not started with less of the run's deadline left than this. */
    private static final Duration MIN_PROBE_TIME = Duration.ofMillis(50);

    /** One probe: the exchange and what it shows. */
    private record Attempt(HttpObservation obs, Answer answer) {
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
        ctx.observe(ProbeRules.misconfigured(ctx.plan().backend().toString(), spec, violations,
                ctx.plan().probe() != null, ctx.profile()));
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

        long start = System.nanoTime();
        List<Attempt> attempts = probeSeries(ctx, spec, probe, seriesLength(spec));
        if (attempts.isEmpty()) {
            return Outcome.inconclusive("the run's deadline ended before the first probe was answered");
        }
        Duration window = Duration.ofNanos(System.nanoTime() - start);
        List<Answer> answers = attempts.stream().map(Attempt::answer).toList();
        String tlsPage = null;
        Answer asSite = null;
        Answer first = answers.get(0);
        if (answers.stream().allMatch(a -> ProbeRules.fails(spec, a)) && ProbeRules.askAsSite(spec, first)) {
            // every probe failed for a status or the connection: the port's protocol or the Host may be the reason
            tlsPage = first.failure() == null ? PlainToTls.detect(ctx, probe, attempts.get(0).obs()).orElse(null)
                    : null;
            if (tlsPage == null && !probe.host().equalsIgnoreCase(target.host())) {
                asSite = answer(HttpExchange.get(ctx, probe.withHost(target.host()), spec.timeout()), probe);
            }
        }
        ctx.observe(ProbeRules.of(new ProbeSeriesSeen(probe, spec, ctx.plan().probe() != null, target.host(), answers,
                window, SPACING, tlsPage, asSite), ctx.profile()));
        return Outcome.RAN;
    }

    /**
     * Sends the series back to back, one new connection per probe, consecutive at the backend (other phases connect
     * before or after it; over TLS two probes at once, their handshakes overlapping); stops at a timeout or the
     * deadline.
     */
    private static List<Attempt> probeSeries(RunContext ctx, ProbeSpec spec, Target probe, int n) {
        // a probe needs the status; the body only when it must match
        return HttpExchange.pinnedSeries(ctx, probe, () -> ctx.series(n, HttpExchange.parallelism(probe),
                i -> i == 0 || !ctx.cutShort() && ctx.deadline().allows(MIN_PROBE_TIME),
                (i, connector) -> judge(ctx, spec, probe, HttpExchange.get(ctx, probe, spec.timeout(), Map.of(),
                        spec.bodyContains() != null, connector)),
                a -> a.answer().timedOut()));
    }

    static int seriesLength(ProbeSpec spec) {
        return Math.min(MAX_SERIES, Math.max(MIN_SERIES, spec.unhealthyThreshold() * PROBES_PER_THRESHOLD));
    }

    /** The probe's answer, or null when the run's deadline, not the backend, ended it. */
    private static Attempt judge(RunContext ctx, ProbeSpec spec, Target probe, HttpObservation obs) {
        if (obs.cutShort()) {
            return null;   // the run's deadline or an interrupt ended it: says nothing about the backend
        }
        Answer a = answer(obs, probe);
        Kind kind = a.failure() == null ? null : a.failure().kind();
        if (kind == Kind.READ_TIMED_OUT && obs.total().compareTo(spec.timeout()) < 0) {
            return null;   // the wait was capped by the run's deadline, not the probe's timeout
        }
        if ((kind == Kind.UNRECOGNIZED && ctx.cutShort()) || (kind == Kind.HANDSHAKE_TIMED_OUT
                && obs.total().compareTo(ctx.profile().tlsHandshakeTimeout()) < 0)) {
            return null;   // likewise: the run's deadline ended the handshake, not the gateway's timeout
        }
        if (kind == Kind.UNRECOGNIZED) {
            // nothing names what happened: the phase is ERRORED with the failure, no RST is claimed
            throw RequestCheck.unclassified(probe, obs.failure());
        }
        return new Attempt(obs, a);
    }

    /** What {@code obs} shows of a probe to {@code probe}. */
    private static Answer answer(HttpObservation obs, Target probe) {
        TransportFailure failure = obs.hasResponse() ? null : FailureClassifier.classify(obs.failure(), probe.tls());
        return new Answer(obs.status(), obs.reason(), obs.header("Server").orElse(null),
                obs.header("Location").orElse(null), obs.body(), obs.total(), failure);
    }
}
