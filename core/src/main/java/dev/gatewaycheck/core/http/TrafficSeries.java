package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.TransportRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The forwarded request sent several times on new connections, as a gateway's traffic arrives, so that a backend
 * failing a share of its connections (a steady third reset, say) is judged by that share and not only by one lucky
 * request. An observation: which attempts failed and with what cause; {@link RequestCheck} judges it. The extra
 * requests read the response head only, stop at the first timeout, and use at most a quarter of the time left.
 */
final class TrafficSeries {
    /** Requests in a series, the forwarded request included. */
    static final int REQUESTS = 6;
    /** The pause between two requests: none (each is a new connection; the series needs connections, not time). */
    static final Duration SPACING = Duration.ZERO;

    /**
     * One attempt: its cause when it failed the way a gateway turns into an error (null when it passed), and its
     * observation.
     */
    record Attempt(HttpObservation obs, Cause failure) {
        String describe() {
            if (failure == null) {
                return Integer.toString(obs.status());
            }
            return failure == Cause.BACKEND_RETURNED_GATEWAY_ERROR ? obs.status() + "!" : failure.id();
        }
    }

    private final HttpObservation first;
    private final List<Attempt> attempts;

    private TrafficSeries(HttpObservation first, List<Attempt> attempts) {
        this.first = first;
        this.attempts = List.copyOf(attempts);
    }

    /** The forwarded request: the series' first exchange, its body read. */
    HttpObservation first() {
        return first;
    }

    /**
     * Sends the forwarded request (its body read) and the rest of the series after it (heads only), each on a new
     * connection, consecutive at the backend ({@link RunContext#series}; over TLS two at once, their handshakes
     * overlapping). The series is empty when the forwarded request says nothing about the backend (the run's deadline
     * ended it, or no cause names its failure) or was a timeout (too slow to repeat). Once one request is answered,
     * no request starts that would end after a quarter of the time then left, counted from that answer.
     */
    static TrafficSeries send(RunContext ctx, Target target, Duration wait, Duration requestTimeout) {
        long[] end = new long[1];
        Duration[] typical = new Duration[1];
        List<HttpObservation> sent = ctx.series(REQUESTS, HttpExchange.parallelism(target),
                i -> i == 0 || !ctx.cutShort() && startsInTime(end, typical),
                (i, connector) -> {
                    HttpObservation obs = HttpExchange.get(ctx, target, wait, Map.of(), i == 0, connector);
                    answered(ctx, obs, end, typical);
                    return obs;
                },
                obs -> attempt(obs, target, requestTimeout).map(a -> a.failure() == Cause.RESPONSE_TIMEOUT)
                        .orElse(true));
        List<Attempt> out = new ArrayList<>();
        for (HttpObservation obs : sent) {
            Optional<Attempt> a = attempt(obs, target, requestTimeout);
            if (a.isEmpty() || (out.isEmpty() && a.get().failure() == Cause.RESPONSE_TIMEOUT)) {
                break;
            }
            out.add(a.get());
        }
        return new TrafficSeries(sent.get(0), out);
    }

    /** The first answer sets the series' time budget: a quarter of the time then left, and the typical time. */
    private static synchronized void answered(RunContext ctx, HttpObservation obs, long[] end, Duration[] typical) {
        if (typical[0] == null) {
            typical[0] = obs.total();
            end[0] = System.nanoTime() + ctx.deadline().remaining().dividedBy(4).toNanos();
        }
    }

    private static synchronized boolean startsInTime(long[] end, Duration[] typical) {
        return typical[0] == null || end[0] - System.nanoTime() >= typical[0].plus(SPACING).toNanos();
    }

    /** What one exchange counts as; empty when it says nothing about the backend. */
    private static Optional<Attempt> attempt(HttpObservation obs, Target target, Duration requestTimeout) {
        if (obs.cutShort()) {
            return Optional.empty();
        }
        if (obs.hasResponse()) {
            int s = obs.status();
            return Optional.of(new Attempt(obs, s == 502 || s == 503 || s == 504
                    ? Cause.BACKEND_RETURNED_GATEWAY_ERROR : null));
        }
        Optional<Cause> c = TransportRules.cause(FailureClassifier.classify(obs.failure(), target.tls()));
        if (c.isEmpty() || (c.get() == Cause.RESPONSE_TIMEOUT && obs.total().compareTo(requestTimeout) < 0)) {
            return Optional.empty();
        }
        return Optional.of(new Attempt(obs, c.get()));
    }

    /** The attempts, in order. */
    List<Attempt> attempts() {
        return attempts;
    }

    /** Whether some attempts passed and some failed: the gateway fails a share of the requests. */
    boolean mixed() {
        long failed = failed();
        return failed > 0 && failed < attempts.size();
    }

    /** How many attempts failed. */
    long failed() {
        return attempts.stream().filter(a -> a.failure() != null).count();
    }

    /** The most frequent failure cause (the first seen on a tie). */
    Cause mainFailure() {
        Map<Cause, Integer> counts = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            if (a.failure() != null) {
                counts.merge(a.failure(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** The first attempt that passed, or null. */
    HttpObservation firstPassed() {
        return attempts.stream().filter(a -> a.failure() == null).map(Attempt::obs).findFirst().orElse(null);
    }

    /** The first failed attempt with this cause, or null. */
    HttpObservation firstFailed(Cause cause) {
        return attempts.stream().filter(a -> a.failure() == cause).map(Attempt::obs).findFirst().orElse(null);
    }

    /** {@code 200,200,BACKEND_RESET_CONNECTION,...}. */
    String outcomes() {
        StringBuilder b = new StringBuilder();
        for (Attempt a : attempts) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(a.describe());
        }
        return b.toString();
    }
}
