package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.keepalive.KeepAliveConnection.Exchange;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reproduces the keep-alive race the way a gateway meets it: a new connection, one request, then idle without
 * reading (so the backend's FIN goes unseen, as in a connection pool) until the measured close instant, and a
 * request sent exactly then. A RST, an empty reply or a truncated response is what the gateway turns into a 502.
 */
final class CloseRace {
    private static final Logger LOG = LoggerFactory.getLogger(CloseRace.class);

    /** How long to wait for the answer to the racing request at most. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    /** Time for connect, first request and bookkeeping on loopback or a LAN, besides the idle wait. */
    private static final Duration SETUP = Duration.ofSeconds(1);

    private CloseRace() {
    }

    /**
     * Runs the race with the measured idle close and returns {@code raceReproduced} and {@code raceResult}
     * (e.g. {@code RST after 2.000s idle}). Never throws; a race that cannot run says why in {@code raceResult}.
     */
    static Evidence reproduce(RunContext ctx, Target target, Duration closeAfter, Duration reserve) {
        Duration answerWait = ctx.profile().requestTimeout().compareTo(ANSWER_WAIT) < 0
                ? ctx.profile().requestTimeout() : ANSWER_WAIT;
        Duration needed = closeAfter.plus(SETUP).plus(reserve);
        if (!ctx.deadline().allows(needed)) {
            return notRun("only " + ServerSettings.seconds(ctx.deadline().remaining())
                    + " left before the run's deadline, the race needs about " + ServerSettings.seconds(needed));
        }
        KeepAliveConnection c;
        try {
            c = KeepAliveConnection.open(ctx, target);
        } catch (IOException e) {
            return notRun("could not open a new connection: " + e);
        }
        try {
            Exchange first = c.exchange(ctx.profile().requestTimeout());
            if (first.failed() || !first.reusable()) {
                return notRun("the first response on the new connection was not kept alive ("
                        + (first.failed() ? first.failure() : "Connection: " + first.connectionHeader()) + ")");
            }
            if (!c.idleUntil(first.endNanos() + closeAfter.toNanos())) {
                return notRun("the run's deadline came while idling");
            }
            Duration idle = Duration.ofNanos(System.nanoTime() - first.endNanos());
            Exchange racing = c.exchange(answerWait);
            String after = " after " + ServerSettings.precise(idle) + " idle";
            LOG.debug("race against {} after {}: {}", target.label(), idle, racing);
            if (racing.failed() && racing.failure().isClosedConnection()) {
                return Evidence.builder().put("raceReproduced", true).put("raceResult", racing.failure() + after)
                        .build();
            }
            if (racing.failed()) {
                return Evidence.builder().put("raceReproduced", false)
                        .put("raceResult", racing.failure() + after).build();
            }
            return Evidence.builder().put("raceReproduced", false)
                    .put("raceResult", "HTTP " + racing.status() + after + " (the backend still answered)").build();
        } finally {
            c.close();
        }
    }

    private static Evidence notRun(String why) {
        return Evidence.builder().put("raceReproduced", false).put("raceResult", "not run: " + why).build();
    }
}
