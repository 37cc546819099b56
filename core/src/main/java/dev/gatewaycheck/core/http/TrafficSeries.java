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

    /** The forwarded request (its body read) and the series it leads. */
    record Sent(ExchangeSeen first, SeriesSeen series) {
    }

    /**
     * Sends the forwarded request (its body read) and the rest of the series after it (heads only), each on a new
     * connection (the forwarded request on the gateway's handshaken one when the TLS phase left it open,
     * {@link RunContext#forwardsOnGatewayConnection}, as a gateway sends it), consecutive at the backend
     * ({@link RunContext#series}; over TLS three at once, their handshakes overlapping). The series is empty when the
     * forwarded request says nothing about the backend (the run's deadline ended it, or no cause names its failure) or
     * was a timeout (too slow to repeat); it stops at the first timeout.
     * Once one request is answered, no request starts that would end after a quarter of the time then left.
     */
    static Sent send(RunContext ctx, Target target, Duration wait, Duration requestTimeout) {
        return HttpExchange.pinnedSeries(ctx, target, () -> sendOnce(ctx, target, wait, requestTimeout));
    }

    private static Sent sendOnce(RunContext ctx, Target target, Duration wait, Duration requestTimeout) {
        long[] end = new long[1];
        Duration[] typical = new Duration[1];
        List<ExchangeSeen> sent = ctx.series(REQUESTS, HttpExchange.parallelism(target),
                i -> i == 0 || !ctx.cutShort() && startsInTime(end, typical),
                (i, connector) -> {
                    // the forwarded request on the gateway's handshaken connection, when the TLS phase left it open
                    RunContext.GatewayConnection handed = i == 0 ? ctx.takeGatewayConnection(target) : null;
                    ExchangeSeen x;
                    try {
                        x = seen(target, HttpExchange.get(ctx, target, wait, Map.of(), i == 0, connector, handed));
                    } finally {
                        if (handed != null) {
                            ctx.closeGatewayConnection(handed);   // also when the exchange never began
                        }
                    }
                    answered(ctx, x.exchange(), end, typical);
                    return x;
                },
                x -> ExchangeRules.attempt(x, requestTimeout) == Attempt.NOTHING
                        || ExchangeRules.attempt(x, requestTimeout) == Attempt.TIMED_OUT);
        List<ExchangeSeen> out = new ArrayList<>();
        for (ExchangeSeen x : sent) {
            Attempt a = ExchangeRules.attempt(x, requestTimeout);
            if (a == Attempt.NOTHING || (out.isEmpty() && a == Attempt.TIMED_OUT)) {
                break;
            }
            out.add(x);
        }
        return new Sent(sent.get(0), new SeriesSeen(out, SPACING));
    }

    /** The first answer sets the series' time budget: a share of the time then left, and the typical time. */
    private static synchronized void answered(RunContext ctx, HttpObservation x, long[] end, Duration[] typical) {
        if (typical[0] == null) {
            typical[0] = x.total();
            end[0] = System.nanoTime() + ctx.deadline().remaining().dividedBy(SHARE_OF_TIME_LEFT).toNanos();
        }
    }

    private static synchronized boolean startsInTime(long[] end, Duration[] typical) {
        return typical[0] == null || end[0] - System.nanoTime() >= typical[0].plus(SPACING).toNanos();
    }

    /** {@code x} with what its failure showed on the wire. */
    static ExchangeSeen seen(Target target, HttpObservation x) {
        return new ExchangeSeen(target, x, x.failure() == null ? null : FailureClassifier.classify(x.failure(),
                target.tls()));
    }
}
