package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.keepalive.KeepAliveConnection.CloseKind;
import dev.gatewaycheck.core.keepalive.KeepAliveConnection.Exchange;
import dev.gatewaycheck.core.keepalive.KeepAliveConnection.Failure;
import dev.gatewaycheck.core.keepalive.KeepAliveConnection.IdleEnd;
import dev.gatewaycheck.core.Text;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keep-alive check: measures how the backend ends persistent connections and judges it against the gateway's
 * idle timeout ({@link dev.gatewaycheck.GatewayProfile#idleTimeout()}).
 *
 * <ol>
 *   <li>Sends up to {@value #BURST_REQUESTS} requests back to back on one connection, reading each response
 *       whole. {@code Connection: close} (or HTTP/1.0) on the first response means keep-alive is off
 *       ({@link Cause#KEEPALIVE_DISABLED_ON_BACKEND}, judged by the profile), decided at once. A connection that
 *       fails a request after an earlier response did not announce the close is
 *       {@link Cause#KEEPALIVE_UNANNOUNCED_CLOSE}.</li>
 *   <li>Then watches the idle connection, reading nothing but what the backend sends unasked, until the backend
 *       closes it (FIN and RST told apart) or until the gateway's idle timeout plus {@link #MARGIN} has passed,
 *       whichever comes first. A close at or before the gateway's idle timeout is
 *       {@link Cause#KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY} (a close within the margin after it, a WARNING); an
 *       advertised {@code Keep-Alive: timeout=} that the backend undercuts is
 *       {@link Cause#KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED}.</li>
 *   <li>With {@link dev.gatewaycheck.KeepAliveCheck#reproduceRace()}, replays the close race on a new connection
 *       ({@link CloseRace}) and adds the outcome to the finding's evidence.</li>
 * </ol>
 *
 * <p>The verdict therefore takes at most min(backend idle timeout, gateway idle timeout) + {@link #MARGIN} plus
 * a few round trips, and is immediate when the backend announces that it closes. When the run's deadline comes
 * before the gateway's idle timeout with the connection still open, the phase is skipped as inconclusive, saying
 * which timeout would decide it.
 */
public final class IdleCloseCheck {
    private static final Logger LOG = LoggerFactory.getLogger(IdleCloseCheck.class);

    /** The most requests sent back to back on the first connection, to find an unannounced request limit. */
    public static final int BURST_REQUESTS = 10;
    /** How long past the gateway's idle timeout the connection is still watched. */
    public static final Duration MARGIN = Duration.ofMillis(500);
    /** How far an observed close may fall short of the advertised {@code Keep-Alive: timeout=} unremarked. */
    static final Duration ADVERTISED_TOLERANCE = Duration.ofMillis(500);
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
            reportDisabled(ctx, target, opening, end);
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
            reportUnannounced(ctx, target, last, served, failedAfter);
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
        Duration window = gatewayIdle.plus(MARGIN);
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
                        + "least " + Text.duration(gatewayIdle.plus(Duration.ofSeconds(15))));
            }
            return Outcome.RAN;
        }
        Duration advertised = before.advertisedTimeout();
        if (advertised != null && end.idle().plus(ADVERTISED_TOLERANCE).compareTo(advertised) < 0) {
            reportNotHonoured(ctx, target, before, end);
        }
        if (end.idle().compareTo(window) <= 0) {
            reportShorter(ctx, target, before, end, announcedLimit, served);
        }
        return Outcome.RAN;
    }

    // ---- findings ------------------------------------------------------------------------------------------

    private static Outcome firstRequestFailed(RunContext ctx, Target target, Exchange opening) {
        if (ctx.cutShort()) {
            // the run's deadline or an interrupt closed the socket: nothing about the backend
            return Outcome.inconclusive("the run's deadline ended the first request");
        }
        Cause cause;
        switch (opening.failure()) {
            case RST:
                cause = Cause.BACKEND_RESET_CONNECTION;
                break;
            case EMPTY_REPLY:
                cause = Cause.BACKEND_CLOSED_WITHOUT_RESPONSE;
                break;
            case TRUNCATED:
                cause = Cause.BACKEND_CLOSED_MID_RESPONSE;
                break;
            case TIMEOUT:
                cause = ctx.cutShort() ? null : Cause.RESPONSE_TIMEOUT;
                break;
            default:
                cause = null;
        }
        if (cause == null) {
            return ctx.cutShort() ? Outcome.inconclusive("the run's deadline ended the first request")
                    : Outcome.skipped("the first request failed (" + opening.failure() + ": " + opening.detail()
                    + "), so keep-alive could not be measured");
        }
        // the request check usually reported it already; the run keeps the first finding per cause
        ctx.observe(Observation.of(cause, target.label(), "The first request of the keep-alive check failed: " + opening.failure()
                + ".", Evidence.builder().put("phase", "KEEP_ALIVE").put("end", endOf(opening.failure()))
                .put("detail", opening.detail()).build()));
        return Outcome.RAN;
    }

    private static void reportDisabled(RunContext ctx, Target target, Exchange opening, IdleEnd end) {
        String why = opening.connectionHeader() != null
                && opening.connectionHeader().toLowerCase(java.util.Locale.ROOT).contains("close")
                ? "announces 'Connection: " + opening.connectionHeader() + "'"
                : "close-delimited".equals(opening.framing()) ? "ends the response body by closing the connection"
                : "answers " + opening.version() + " without keep-alive";
        Evidence ev = Evidence.builder()
                .put("connectionHeader", opening.connectionHeader() == null ? "none" : opening.connectionHeader())
                .put("httpVersion", opening.version())
                .put("framing", opening.framing())
                .put("closeKind", end.kind() == null ? "not closed within "
                        + Text.duration(ANNOUNCED_CLOSE_WAIT) : end.kind().name())
                .put("gatewayIdleTimeoutSeconds", ctx.profile().idleTimeout())
                .build();
        ctx.observe(Observation.of(Cause.KEEPALIVE_DISABLED_ON_BACKEND, target.label(), "The backend " + why
                + " on the first response of a connection: keep-alive is off, each gateway request opens a new "
                + "connection.", ev));
    }

    private static void reportUnannounced(RunContext ctx, Target target, Exchange last, int served,
                                          Exchange failed) {
        Evidence ev = Evidence.builder()
                .put("requestsBeforeClose", served)
                .put("failedRequest", served + 1)
                .put("failure", failed.failure().toString())
                .put("closeKind", failed.failure() == Failure.RST ? "RST" : "FIN")
                .put("lastConnectionHeader", last.connectionHeader() == null ? "none" : last.connectionHeader())
                .put("advertisedMax", last.advertisedMax())
                .build();
        String message = served == 1
                ? "The backend closes the connection after every response without announcing 'Connection: close': "
                + "a gateway that reuses it gets " + failed.failure() + "."
                : "The backend closed a kept-alive connection after " + served + " requests without announcing "
                + "'Connection: close' on the last response: request " + (served + 1) + " got "
                + failed.failure() + ", as a gateway's would.";
        ctx.observe(Observation.of(Cause.KEEPALIVE_UNANNOUNCED_CLOSE, target.label(), message, ev));
    }

    private static void reportNotHonoured(RunContext ctx, Target target, Exchange before, IdleEnd end) {
        Evidence ev = Evidence.builder()
                .put("advertisedTimeoutSeconds", before.advertisedTimeout())
                .put("observedIdleCloseSeconds", end.idle())
                .put("closeKind", end.kind().name())
                .put("keepAliveHeader", "timeout=" + before.advertisedTimeout().toSeconds()
                        + (before.advertisedMax() == null ? "" : ", max=" + before.advertisedMax()))
                .build();
        ctx.observe(Observation.of(Cause.KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED, target.label(), "The backend announces "
                + "'Keep-Alive: timeout=" + before.advertisedTimeout().toSeconds() + "' but closed the idle "
                + "connection after " + Text.seconds(end.idle()) + " (" + end.kind() + ").", ev));
    }

    private static void reportShorter(RunContext ctx, Target target, Exchange before, IdleEnd end,
                                      Integer announcedLimit, int served) {
        Duration gatewayIdle = ctx.profile().idleTimeout();
        boolean withinMargin = end.idle().compareTo(gatewayIdle) > 0;
        Evidence.Builder ev = Evidence.builder()
                .put("observedIdleCloseSeconds", end.idle())
                .put("closeKind", end.kind().name());
        if (end.kind() == CloseKind.RST) {
            ev.put("idleCloseByReset", "the backend resets (RST) idle connections instead of closing them (FIN): "
                    + "the gateway cannot tell this from a crash, and a request in flight is lost without a reply");
        }
        ev.put("advertisedTimeoutSeconds", before.advertisedTimeout())
                .put("advertisedMax", before.advertisedMax())
                .put("gatewayIdleTimeoutSeconds", gatewayIdle)
                .put("requestsOnConnection", served)
                .put("announcedRequestLimit", announcedLimit);
        if (!end.received().isEmpty()) {
            ev.put("sentWhileIdle", end.received());
        }
        ServerSettings.addTo(ev, gatewayIdle);
        if (ctx.plan().keepAlive().raceReproduction()) {
            ev.putAll(CloseRace.reproduce(ctx, target, end.idle(), RESERVE));
        }
        String message = withinMargin
                ? "The backend closes idle keep-alive connections after " + Text.seconds(end.idle()) + " ("
                + end.kind() + "), only just after the gateway's " + Text.duration(gatewayIdle)
                + ": timer jitter makes the gateway's reuse race the close."
                : "The backend closes idle keep-alive connections after " + Text.seconds(end.idle()) + " ("
                + end.kind() + "), before the gateway's " + Text.duration(gatewayIdle)
                + " idle timeout: a request the gateway sends on one at that moment fails with a 502.";
        ctx.observe(Observation.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, target.label(), message, ev.build())
                .remedy(ServerSettings.remedy(gatewayIdle)).withIf(withinMargin, Qualifier.NEAR_LIMIT));
    }

    private static String endOf(Failure f) {
        switch (f) {
            case RST:
                return "RST";
            case EMPTY_REPLY:
            case TRUNCATED:
                return "FIN";
            default:
                return "TIMEOUT";
        }
    }
}
