package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.ExchangeRules;
import dev.gatewaycheck.core.judge.ExchangeRules.Attempt;
import dev.gatewaycheck.core.judge.ExchangeSeen;
import dev.gatewaycheck.core.judge.SeriesSeen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The forwarded request sent several times on new connections, as a gateway's traffic arrives, so that a backend
 * failing a share of its connections (a steady third reset, say) is judged by that share and not only by one lucky
 * request. An observation: the attempts; {@link ExchangeRules#share} judges it. The extra requests read the response
 * head only, stop at the first timeout, and use at most a quarter of the time left.
 */
final class TrafficSeries {
    /** Requests in a series, the forwarded request included. */
    static final int REQUESTS = 6;
    /** The pause between two requests: none (each is a new connection; the series needs connections, not time). */
    static final Duration SPACING = Duration.ZERO;
    /** The series uses at most this fraction (1/n) of the run's time left, leaving the rest to the other phases. */
    private static final int SHARE_OF_TIME_LEFT = 4;

    private TrafficSeries() {
    }

    /**
     * Sends the rest of the series after {@code first}; an empty series when {@code first} says nothing about the
     * backend (the run's deadline ended it, or no cause names its failure) or was a timeout (too slow to repeat).
     */
    static SeriesSeen after(RunContext ctx, ExchangeSeen first, Duration wait, Duration requestTimeout) {
        List<ExchangeSeen> out = new ArrayList<>();
        Attempt a = ExchangeRules.attempt(first, requestTimeout);
        if (a == Attempt.NOTHING || a == Attempt.TIMED_OUT) {
            return new SeriesSeen(out, SPACING);
        }
        out.add(first);
        Duration budget = ctx.deadline().remaining().dividedBy(SHARE_OF_TIME_LEFT);
        long end = System.nanoTime() + budget.toNanos();
        Duration typical = first.exchange().total();
        // back to back, consecutive at the backend: a share of failing connections is a property of connections,
        // not of wall-clock time, and no other phase's connection lands inside the series
        boolean series = ctx.enterSeries();
        try {
            rest(ctx, first.target(), wait, requestTimeout, out, end, typical);
        } finally {
            ctx.exitSeries(series);
        }
        return new SeriesSeen(out, SPACING);
    }

    /** {@code x} with what its failure showed on the wire. */
    static ExchangeSeen seen(Target target, HttpObservation x) {
        return new ExchangeSeen(target, x, x.failure() == null ? null : FailureClassifier.classify(x.failure(),
                target.tls()));
    }

    private static void rest(RunContext ctx, Target target, Duration wait, Duration requestTimeout,
                             List<ExchangeSeen> out, long end, Duration typical) {
        for (int i = 1; i < REQUESTS; i++) {
            if (ctx.cutShort() || end - System.nanoTime() < typical.plus(SPACING).toNanos()) {
                break;
            }
            ExchangeSeen next = seen(target, HttpExchange.get(ctx, target, wait, Map.of(), false));
            Attempt counted = ExchangeRules.attempt(next, requestTimeout);
            if (counted == Attempt.NOTHING) {
                break;
            }
            out.add(next);
            if (counted == Attempt.TIMED_OUT) {
                break;
            }
        }
    }
}
