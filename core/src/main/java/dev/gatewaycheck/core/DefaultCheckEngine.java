package dev.gatewaycheck.core;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.core.connect.ConnectCheck;
import dev.gatewaycheck.core.dns.DnsCheck;
import dev.gatewaycheck.core.http.RequestCheck;
import dev.gatewaycheck.core.tls.TlsCheck;
import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: resolves, connects, then runs the selected checks in dependency order (TLS, the forwarded request,
 * the health probe, keep-alive) under one deadline. A phase that cannot run is recorded as skipped with the
 * reason; a bug inside one phase is recorded as errored and the others still run.
 */
public final class DefaultCheckEngine implements CheckEngine {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultCheckEngine.class);
    /** How long past the run's deadline the engine waits for a phase running beside the others. */
    private static final long ASIDE_MARGIN_MILLIS = 200;

    /** A check that runs against one reachable target and says how its phase ended. */
    @FunctionalInterface
    public interface PhaseCheck {
        /** Runs; {@link Outcome#RAN}, or why it was skipped or inconclusive. */
        Outcome run(RunContext ctx, Target target);
    }

    /** Used by {@link java.util.ServiceLoader}. */
    public DefaultCheckEngine() {
    }

    @Override
    public Report run(CheckPlan plan) {
        TlsCheck.requireRevocationSupport(plan.checkRevocation() && plan.has(Check.TLS));
        Instant startedAt = plan.clock().instant();
        long start = System.nanoTime();
        Deadline deadline = Deadline.in(plan.timeout());
        RunContext ctx = new RunContext(plan, deadline, new Watchdog(deadline, Thread.currentThread()));
        List<PhaseResult> phases = new ArrayList<>();
        try {
            if (plan.has(Check.PROBE)) {
                dev.gatewaycheck.core.probe.ProbeCheck.validate(ctx);   // configuration only, no network
            }
            runPhases(ctx, phases);
        } finally {
            ctx.closeAll();
        }
        // a phase the deadline left inconclusive (a keep-alive watch shorter than the gateway's idle timeout, a
        // request wait shorter than its request timeout) makes the run incomplete, never healthy
        boolean complete = !ctx.cutShort()
                && phases.stream().noneMatch(p -> p.status() == PhaseResult.Status.INCONCLUSIVE);
        Timings timings = ctx.timings(Duration.ofNanos(System.nanoTime() - start));
        return new Report(plan.backend().toString(), plan.host(), plan.profile().name(), plan.profile().id(),
                startedAt, timings, plan.checks(), phases, ctx.findings(), complete);
    }

    /** Checks every member of the pool concurrently; see {@link dev.gatewaycheck.core.pool.PoolRunner}. */
    @Override
    public dev.gatewaycheck.PoolReport runPool(dev.gatewaycheck.spi.PoolPlan plan) {
        return dev.gatewaycheck.core.pool.PoolRunner.run(this, plan);
    }

    /** Requests the front door and checks the hops behind it; see {@link dev.gatewaycheck.core.frontend.FrontDoor}. */
    @Override
    public dev.gatewaycheck.FrontendReport runFrontend(dev.gatewaycheck.spi.FrontendPlan plan) {
        return dev.gatewaycheck.core.frontend.FrontDoor.run(this, plan);
    }

    private void runPhases(RunContext ctx, List<PhaseResult> phases) {
        CheckPlan plan = ctx.plan();
        if (plan.has(Check.PROBE)) {
            // the first exchange's httpclient5 classes load beside DNS, connect and TLS (once per JVM)
            dev.gatewaycheck.core.http.HttpExchange.prepareAside();
        }
        long t0 = System.nanoTime();
        int before = ctx.observedCount();
        List<InetAddress> addresses = DnsCheck.resolve(ctx, plan.backendHost());
        phases.add(result(Phase.DNS, t0, before, ctx));
        List<Phase> rest = new ArrayList<>(List.of(Phase.CONNECT));
        if (plan.has(Check.TLS)) {
            rest.add(Phase.TLS);
        }
        if (plan.has(Check.PROBE)) {
            rest.add(Phase.REQUEST);
            rest.add(Phase.PROBE);
        }
        if (plan.has(Check.KEEP_ALIVE)) {
            rest.add(Phase.KEEP_ALIVE);
        }
        if (addresses.isEmpty()) {
            skipAll(phases, rest, ctx.cutShort() ? "deadline reached" : "the name did not resolve");
            return;
        }
        rest.remove(Phase.CONNECT);
        t0 = System.nanoTime();
        before = ctx.observedCount();
        List<InetSocketAddress> reachable = ConnectCheck.connectAll(ctx, addresses, plan.port());
        phases.add(result(Phase.CONNECT, t0, before, ctx));
        if (reachable.isEmpty()) {
            skipAll(phases, rest, ctx.cutShort() ? "deadline reached" : "no address accepted a connection");
            return;
        }
        Target target = new Target(reachable.get(0), plan.isTls(), plan.host(), plan.path());
        if (!target.tls()) {
            // over plain HTTP the forwarded request goes on the connect check's connection, when it was left open
            java.net.Socket kept = ctx.takeKeptConnection(target.address());
            if (kept != null) {
                ctx.handGatewayConnection(new RunContext.GatewayConnection(target, null, kept), false);
            }
        }
        runBesideEachOther(ctx, phases, rest, target);
    }

    /**
     * The phases after connect, overlapped where that changes no verdict:
     * <ul>
     * <li>the keep-alive watch (the longest phase: up to the gateway's idle timeout) runs beside all the others
     *     instead of after them, so a full check takes the watch's time, not the sum; it opens its connection
     *     before the others open theirs;</li>
     * <li>over TLS, the forwarded request with its traffic series and the probe series run beside each other and
     *     beside the rest of the TLS phase once the gateway's handshake succeeded (after a failed one, the TLS phase
     *     ends first and both are skipped); their connections offer the version that handshake negotiated when it
     *     is TLS 1.2 or older ({@link RunContext#httpTlsVersions}); each series' connections are consecutive at the
     *     backend (one connection in three failing must show in it: {@link RunContext#series}), so while one series
     *     opens its connections, every other connection of the run waits;</li>
     * <li>over plain HTTP, whose connections cost next to nothing, the forwarded request and the probe series run
     *     one after the other.</li>
     * </ul>
     * A phase running beside others keeps its findings apart; they join the report in phase order (TLS, request,
     * probe, keep-alive), deduplicated as if the phases had run one after the other, and a failed TLS handshake
     * still turns every later phase into "skipped" whatever it saw meanwhile.
     */
    private void runBesideEachOther(RunContext ctx, List<PhaseResult> phases, List<Phase> rest, Target target) {
        Future<Aside> watch = null;
        if (rest.size() > 1 && rest.remove(Phase.KEEP_ALIVE)) {
            watch = aside(ctx, Phase.KEEP_ALIVE, target);
            try {
                ctx.awaitKeepAliveOpened(ctx.deadline().cap(ctx.profile().connectTimeout().plus(
                        ctx.profile().tlsHandshakeTimeout())), watch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (target.tls() && rest.contains(Phase.TLS) && rest.contains(Phase.PROBE)) {
            rest.remove(Phase.TLS);
            rest.remove(Phase.PROBE);
            Future<Aside> tls = aside(ctx, Phase.TLS, target);
            try {
                // the series start once the gateway's handshake succeeded; after a failed one they are skipped
                ctx.awaitTlsHandshaken(ctx.deadline().remaining(), tls);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Future<Aside> probe = aside(ctx, Phase.PROBE, target);
            RunContext.Buffer requestFindings = ctx.buffer();
            PhaseResult request;
            try {
                request = runPhase(ctx, Phase.REQUEST, target);   // the forwarded request and its series
            } finally {
                ctx.unbuffer();
            }
            phases.add(join(ctx, Phase.TLS, tls, false));
            phases.add(merge(ctx, Phase.REQUEST, new Aside(request, requestFindings)));
            phases.add(join(ctx, Phase.PROBE, probe, true));
        } else {
            for (Phase phase : rest) {
                phases.add(runPhase(ctx, phase, target));
            }
        }
        if (watch != null) {
            phases.add(join(ctx, Phase.KEEP_ALIVE, watch, true));
        }
    }

    /** Starts {@code phase} on a thread of its own, its findings kept apart. */
    private Future<Aside> aside(RunContext ctx, Phase phase, Target target) {
        return RunContext.HELPERS.submit(() -> {
            RunContext.Buffer buffer = ctx.buffer();
            try {
                return new Aside(runPhase(ctx, phase, target), buffer);
            } finally {
                ctx.unbuffer();
                ctx.keepAliveOpened();
            }
        });
    }

    /** Waits for a phase started with {@link #aside} (at most the deadline and a margin) and merges it. */
    private PhaseResult join(RunContext ctx, Phase phase, Future<Aside> running, boolean skippedAfterTlsFailure) {
        Aside done;
        try {
            done = running.get(Math.max(1, ctx.deadline().remaining().toMillis()) + ASIDE_MARGIN_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            done = new Aside(new PhaseResult(phase, PhaseResult.Status.INCONCLUSIVE, Duration.ZERO,
                    "the run's deadline ended this phase"), null);
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            done = new Aside(new PhaseResult(phase, PhaseResult.Status.INCONCLUSIVE, Duration.ZERO,
                    "the run was interrupted"), null);
        } catch (ExecutionException e) {
            LOG.warn("gateway-check phase {} failed inside the library", phase, e.getCause());
            done = new Aside(new PhaseResult(phase, PhaseResult.Status.ERRORED, Duration.ZERO,
                    String.valueOf(e.getCause())), null);
        }
        return skippedAfterTlsFailure ? merge(ctx, phase, done) : mergeAlways(ctx, done);
    }

    /** Merges a phase that depends on the TLS handshake: skipped, its findings dropped, when the handshake failed. */
    private static PhaseResult merge(RunContext ctx, Phase phase, Aside done) {
        if (ctx.tlsFailure() != null) {
            // what it saw of a failed handshake is the TLS phase's finding, not its own
            return new PhaseResult(phase, PhaseResult.Status.SKIPPED, Duration.ZERO,
                    "the TLS handshake failed (" + ctx.tlsFailure().id() + ")");
        }
        return mergeAlways(ctx, done);
    }

    private static PhaseResult mergeAlways(RunContext ctx, Aside done) {
        if (done.buffer() != null) {
            for (Finding f : done.buffer().findings) {
                ctx.merge(f);
            }
        }
        return done.result();
    }

    /** A phase's result and the findings it kept apart (null when it never ran). */
    private record Aside(PhaseResult result, RunContext.Buffer buffer) {
    }

    private PhaseResult runPhase(RunContext ctx, Phase phase, Target target) {
        if (ctx.cutShort()) {
            return new PhaseResult(phase, PhaseResult.Status.SKIPPED, Duration.ZERO, "deadline reached");
        }
        if (phase == Phase.TLS && !target.tls()) {
            return new PhaseResult(phase, PhaseResult.Status.SKIPPED, Duration.ZERO, "the backend is plain http");
        }
        if (phase != Phase.TLS && ctx.tlsFailure() != null) {
            return new PhaseResult(phase, PhaseResult.Status.SKIPPED, Duration.ZERO,
                    "the TLS handshake failed (" + ctx.tlsFailure().id() + ")");
        }
        PhaseCheck check = checkFor(phase);
        long t0 = System.nanoTime();
        int before = ctx.observedCount();
        try {
            Outcome outcome = check.run(ctx, target);
            if (!outcome.ran()) {
                return new PhaseResult(phase, outcome.status(), Duration.ofNanos(System.nanoTime() - t0),
                        outcome.reason());
            }
            return result(phase, t0, before, ctx);
        } catch (RuntimeException e) {
            LOG.warn("gateway-check phase {} failed inside the library", phase, e);
            return new PhaseResult(phase, PhaseResult.Status.ERRORED, Duration.ofNanos(System.nanoTime() - t0),
                    e.toString());
        }
    }

    static PhaseCheck checkFor(Phase phase) {
        switch (phase) {
            case TLS:
                return TlsCheck::run;
            case REQUEST:
                return (ctx, target) -> RequestCheck.inconclusive(ctx, RequestCheck.run(ctx, target));
            case PROBE:
                return dev.gatewaycheck.core.probe.ProbeCheck::run;
            case KEEP_ALIVE:
                return dev.gatewaycheck.core.keepalive.IdleCloseCheck::run;
            default:
                throw new IllegalArgumentException("not a target phase: " + phase);
        }
    }

    private static PhaseResult result(Phase phase, long t0, int before, RunContext ctx) {
        boolean found = ctx.observedCount() > before;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        if (!found && ctx.cutShort()) {
            // nothing found, but the deadline (or an interrupt) may have ended the phase before it could
            return new PhaseResult(phase, PhaseResult.Status.INCONCLUSIVE, elapsed,
                    "the run's deadline ended this phase");
        }
        return new PhaseResult(phase, found ? PhaseResult.Status.FOUND_PROBLEMS : PhaseResult.Status.PASSED,
                elapsed, "");
    }

    private static void skipAll(List<PhaseResult> phases, List<Phase> rest, String reason) {
        for (Phase p : rest) {
            phases.add(new PhaseResult(p, PhaseResult.Status.SKIPPED, Duration.ZERO, reason));
        }
    }
}
