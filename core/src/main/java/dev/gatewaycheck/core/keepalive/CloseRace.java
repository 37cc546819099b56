package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Exchange;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Failure;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Race;
import dev.gatewaycheck.core.judge.IdleCloseSeen.RaceAttempt;
import dev.gatewaycheck.core.Text;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reproduces the keep-alive race the way a gateway meets it: new connections, one request on each, then idle
 * without reading (so the backend's FIN goes unseen, as in a connection pool) until the measured close instant,
 * and a request sent exactly then, plus two more {@link #OFFSETS_MILLIS} later (a busy gateway notices a FIN late;
 * and the backend's own timer jitters). A RST, an empty reply or a truncated response is what the gateway turns
 * into a 502. The connections idle side by side, so the race costs the idle time once.
 */
final class CloseRace {
    private static final Logger LOG = LoggerFactory.getLogger(CloseRace.class);

    /** When the racing requests are sent, after the measured close instant: exactly then, and a little later. */
    static final long[] OFFSETS_MILLIS = {0, 10, 50};
    /** How long to wait for the answer to a racing request at most. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    /** Time for connects, first requests and bookkeeping on loopback or a LAN, besides the idle wait. */
    private static final Duration SETUP = Duration.ofSeconds(1);

    private CloseRace() {
    }

    /**
     * Runs the race with the measured idle close and returns each racing request's outcome, in the order they were
     * sent. Never throws; a race that cannot run says why.
     */
    static Race reproduce(RunContext ctx, Target target, Duration closeAfter, Duration reserve) {
        Duration answerWait = ctx.profile().requestTimeout().compareTo(ANSWER_WAIT) < 0
                ? ctx.profile().requestTimeout() : ANSWER_WAIT;
        Duration needed = closeAfter.plus(SETUP).plus(reserve);
        if (!ctx.deadline().allows(needed)) {
            return notRun("only " + Text.seconds(ctx.deadline().remaining())
                    + " left before the run's deadline, the race needs about " + Text.seconds(needed));
        }
        List<KeepAliveConnection> open = new ArrayList<>();
        try {
            List<long[]> sends = new ArrayList<>();
            for (int i = 0; i < OFFSETS_MILLIS.length; i++) {
                KeepAliveConnection c;
                try {
                    c = KeepAliveConnection.open(ctx, target);
                } catch (IOException e) {
                    return notRun("could not open a new connection: " + e);
                }
                open.add(c);
                Exchange first = c.exchange(ctx.profile().requestTimeout());
                if (first.failed() || !first.reusable()) {
                    return notRun("the first response on a new connection was not kept alive ("
                            + (first.failed() ? first.failure() : "Connection: " + first.connectionHeader()) + ")");
                }
                sends.add(new long[] {first.endNanos() + closeAfter.toNanos()
                        + Duration.ofMillis(OFFSETS_MILLIS[i]).toNanos(), i});
            }
            sends.sort((a, b) -> Long.compare(a[0], b[0]));
            // send every racing request at its instant first, then read the answers: a slow answer must not
            // delay the next request past its instant
            Duration[] idle = new Duration[open.size()];
            Failure[] sendFailure = new Failure[open.size()];
            for (long[] send : sends) {
                KeepAliveConnection c = open.get((int) send[1]);
                if (!c.idleUntil(send[0])) {
                    return notRun("the run's deadline came while idling");
                }
                idle[(int) send[1]] = Duration.ofNanos(System.nanoTime() - c.lastResponseEnd());
                sendFailure[(int) send[1]] = c.send();
            }
            List<RaceAttempt> attempts = new ArrayList<>();
            for (long[] send : sends) {
                int i = (int) send[1];
                Exchange racing = sendFailure[i] != null ? null : open.get(i).receive(answerWait);
                RaceAttempt a = new RaceAttempt(sendFailure[i] != null ? sendFailure[i] : racing.failure(),
                        racing == null ? 0 : racing.status(), idle[i]);
                LOG.debug("race against {}: {}", target.label(), a);
                attempts.add(a);
            }
            return new Race(null, List.copyOf(attempts));
        } finally {
            for (KeepAliveConnection c : open) {
                c.close();
            }
        }
    }

    private static Race notRun(String why) {
        return new Race(why, List.of());
    }
}
