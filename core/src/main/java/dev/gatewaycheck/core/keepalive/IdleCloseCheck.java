package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.IdleCloseSeen.ClosedUnannounced;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Exchange;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Failure;
import dev.gatewaycheck.core.judge.IdleCloseSeen.FirstRequestFailed;
import dev.gatewaycheck.core.judge.IdleCloseSeen.IdleClosed;
import dev.gatewaycheck.core.judge.IdleCloseSeen.IdleEnd;
import dev.gatewaycheck.core.judge.IdleCloseSeen.NotKeptAlive;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Race;
import dev.gatewaycheck.core.judge.IdleRules;
import dev.gatewaycheck.core.judge.Observation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keep-alive check: measures how the backend ends persistent connections; {@link IdleRules} judges it against
 * the gateway's idle timeout ({@link dev.gatewaycheck.GatewayProfile#idleTimeout()}).
 *
 * <ol>
 *   <li>Sends up to {@value #BURST_REQUESTS} requests back to back on one connection, reading each response
 *       whole. {@code Connection: close} (or HTTP/1.0) on the first response means keep-alive is off, decided at
 *       once. A connection that fails a request after an earlier response did not announce the close is an
 *       unannounced close.</li>
 *   <li>Then watches the idle connection, reading nothing but what the backend sends unasked, until the backend
 *       closes it (FIN and RST told apart) or until the gateway's idle timeout plus {@link IdleRules#MARGIN} has
 *       passed, whichever comes first, and notes the advertised {@code Keep-Alive: timeout=}.</li>
 *   <li>With {@link dev.gatewaycheck.KeepAliveCheck#reproduceRace()}, replays the close race on a new connection
 *       ({@link CloseRace}) when the close comes before the gateway's, for the finding's evidence.</li>
 * </ol>
 *
 * <p>The verdict therefore takes at most min(backend idle timeout, gateway idle timeout) + {@link IdleRules#MARGIN}
 * plus a few round trips, and is immediate when the backend announces that it closes. When the run's deadline comes
 * before the gateway's idle timeout with the connection still open, the phase is skipped as inconclusive, saying
 * which timeout would decide it.
 */
public final class IdleCloseCheck {
    private static final Logger LOG = LoggerFactory.getLogger(IdleCloseCheck.class);

    /** The most requests sent back to back on the first connection, to find an unannounced request limit. */
    public static final int BURST_REQUESTS = 10;
    /** Time kept back from the run's deadline so that the phase ends cleanly before it. */
    static final Duration RESERVE = Duration.ofMillis(200);
    /** How long the burst may take at most. */
    private static final Duration BURST_TIME = Duration.ofSeconds(2);
    /** How long to wait for the FIN after a response that announced {@code Connection: close}. */
    private static final Duration ANNOUNCED_CLOSE_WAIT = Duration.ofMillis(250);

    private IdleCloseCheck() {
    }

    /** Runs the measurement. */
    public static Outcome run(RunContext ctx, Target target) {
        KeepAliveConnection first;
        try {
            first = KeepAliveConnection.open(ctx, target);
        } catch (IOException e) {
            return ctx.cutShort() ? Outcome.inconclusive("the run's deadline came before a connection to measure")
                    : Outcome.skipped("could not open a connection to measure: " + e);
        } finally {
            ctx.keepAliveOpened();   // the engine starts the other phases' connections after this one
        }
        try {
            return measure(ctx, target, first);
        } finally {
            first.close();
        }
    }

    private static Outcome measure(RunContext ctx, Target target, KeepAliveConnection a) {
        Duration readTimeout = ctx.profile().requestTimeout();
        Exchange opening = a.exchange(readTimeout);
        if (opening.failed()) {
            return firstRequestFailed(ctx, target, opening);
        }
        if (!opening.reusable()) {
            IdleEnd end = a.awaitClose(System.nanoTime() + ctx.deadline().cap(ANNOUNCED_CLOSE_WAIT).toNanos());
            ctx.observe(IdleRules.of(new NotKeptAlive(target.label(), opening, end.kind(), ANNOUNCED_CLOSE_WAIT),
                    ctx.profile()));
            return Outcome.RAN;
        }
        // 1. the burst: find a request limit the backend does not announce
        Exchange last = opening;
        Exchange failedAfter = null;
        long burstEnd = System.nanoTime() + BURST_TIME.toNanos();
        while (a.requests() < BURST_REQUESTS && last.reusable() && System.nanoTime() < burstEnd
                && ctx.deadline().allows(RESERVE.multipliedBy(2))) {
            Exchange next = a.exchange(readTimeout);
            if (next.failed()) {
                failedAfter = next;
                break;
            }
            last = next;
        }
        int served = failedAfter == null ? a.requests() : a.requests() - 1;
        Integer announcedLimit = failedAfter == null && !last.reusable() ? served : null;
        if (failedAfter != null && failedAfter.failure().isClosedConnection()) {
            ctx.observe(IdleRules.of(new ClosedUnannounced(target.label(), last, served, failedAfter.failure()),
                    ctx.profile()));
            if (served == 1) {
                return Outcome.RAN;
            }
        } else if (failedAfter != null) {
            LOG.debug("request {} on a kept-alive connection to {} failed: {}", served + 1, target.label(),
                    failedAfter);
        }
        // 2. the idle watch, on the burst's connection if it is still usable, else on a new one
        KeepAliveConnection watched = a;
        KeepAliveConnection fresh = null;
        Exchange before = last;
        if (failedAfter != null || !last.reusable()) {
            try {
                fresh = KeepAliveConnection.open(ctx, target);
            } catch (IOException e) {
                return ctx.cutShort() ? Outcome.inconclusive("the run's deadline came before a second connection")
                        : Outcome.skipped("could not open a second connection to measure: " + e);
            }
            before = fresh.exchange(readTimeout);
            if (before.failed() || !before.reusable()) {
                fresh.close();
                return Outcome.skipped("the second connection's first response was not kept alive ("
                        + (before.failed() ? before.failure() : "Connection: " + before.connectionHeader())
                        + "), so the idle timeout could not be measured");
            }
            watched = fresh;
        }
        try {
            return watchAndJudge(ctx, target, watched, before, announcedLimit, served);
        } finally {
            if (fresh != null) {
                fresh.close();
            }
        }
    }

    private static Outcome watchAndJudge(RunContext ctx, Target target, KeepAliveConnection c, Exchange before,
                                        Integer announcedLimit, int served) {
        Duration gatewayIdle = ctx.profile().idleTimeout();
        Duration window = gatewayIdle.plus(IdleRules.MARGIN);
        long windowEnd = before.endNanos() + window.toNanos();
        long deadlineEnd = System.nanoTime() + ctx.deadline().remaining().minus(RESERVE).toNanos();
        IdleEnd end = c.awaitClose(Math.min(windowEnd, deadlineEnd));
        LOG.debug("idle watch on {}: {}", target.label(), end);
        if (end.cutShort()) {
            return Outcome.inconclusive("the run's deadline came after " + Text.seconds(end.idle())
                    + " of idle watch");
        }
        if (end.kind() == null) {
            if (end.idle().compareTo(window) < 0) {
                return Outcome.inconclusive("the connection was still open after "
                        + Text.seconds(end.idle()) + " idle when the run's deadline came; the gateway keeps "
                        + "idle connections " + Text.duration(gatewayIdle) + ", so run with a timeout of at "
                        + "least " + Text.duration(gatewayIdle.plus(GatewayCheck.KEEP_ALIVE_MARGIN)));
            }
            return Outcome.RAN;
        }
        Race race = ctx.plan().keepAlive().raceReproduction() && IdleRules.closesBeforeGateway(end.idle(),
                ctx.profile()) ? CloseRace.reproduce(ctx, target, end.idle(), RESERVE) : null;
        ctx.observe(IdleRules.of(new IdleClosed(target.label(), before, end, served, announcedLimit, race),
                ctx.profile()));
        return Outcome.RAN;
    }

    private static Outcome firstRequestFailed(RunContext ctx, Target target, Exchange opening) {
        if (ctx.cutShort() || opening.failure() == Failure.TIMEOUT && !ctx.deadline().allows(RESERVE)) {
            // the run's deadline or an interrupt closed the socket, or capped the read that timed out (it ends a
            // moment before the deadline): nothing about the backend
            return Outcome.inconclusive("the run's deadline ended the first request");
        }
        List<Observation> seen = IdleRules.of(new FirstRequestFailed(target.label(), opening.failure(),
                opening.detail()), ctx.profile());
        if (seen.isEmpty()) {
            return ctx.cutShort() ? Outcome.inconclusive("the run's deadline ended the first request")
                    : Outcome.skipped("the first request failed (" + opening.failure() + ": " + opening.detail()
                    + "), so keep-alive could not be measured");
        }
        ctx.observe(seen);
        return Outcome.RAN;
    }
}
