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

    private final List<Attempt> attempts;

    private TrafficSeries(List<Attempt> attempts) {
        this.attempts = List.copyOf(attempts);
    }

    /**
     * Sends the rest of the series after {@code first}; an empty series when {@code first} says nothing about the
     * backend (the run's deadline ended it, or no cause names its failure) or was a timeout (too slow to repeat).
     */
    static TrafficSeries after(RunContext ctx, Target target, HttpObservation first, Duration wait,
                               Duration requestTimeout) {
        List<Attempt> out = new ArrayList<>();
        Optional<Attempt> a = attempt(first, target, requestTimeout);
        if (a.isEmpty() || a.get().failure() == Cause.RESPONSE_TIMEOUT) {
            return new TrafficSeries(out);
        }
        out.add(a.get());
        Duration budget = ctx.deadline().remaining().dividedBy(4);
        long end = System.nanoTime() + budget.toNanos();
        Duration typical = first.total();
        // back to back, consecutive at the backend: a share of failing connections is a property of connections,
        // not of wall-clock time, and no other phase's connection lands inside the series
        boolean series = ctx.enterSeries();
        try {
            rest(ctx, target, wait, requestTimeout, out, end, typical);
        } finally {
            ctx.exitSeries(series);
        }
        return new TrafficSeries(out);
    }

    private static void rest(RunContext ctx, Target target, Duration wait, Duration requestTimeout,
                             List<Attempt> out, long end, Duration typical) {
        for (int i = 1; i < REQUESTS; i++) {
            if (ctx.cutShort() || end - System.nanoTime() < typical.plus(SPACING).toNanos()) {
                break;
            }
            HttpObservation obs = HttpExchange.get(ctx, target, wait, Map.of(), false);
            Optional<Attempt> next = attempt(obs, target, requestTimeout);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            if (next.get().failure() == Cause.RESPONSE_TIMEOUT) {
                break;
            }
        }
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
