package dev.gatewaycheck.core;

import java.time.Duration;

/** One overall deadline threaded through the phases of a run. Thread-safe (immutable). */
public final class Deadline {
    /** The shortest time {@link #cap(Duration)} gives: a zero socket timeout would mean "wait forever". */
    private static final Duration FLOOR = Duration.ofMillis(1);

    private final long endNanos;
    /** When the deadline was set, for {@link #elapsed()}. */
    private final long startNanos = System.nanoTime();

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** A deadline {@code timeout} from now. */
    public static Deadline in(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    /** Time left; zero or negative when expired. */
    public Duration remaining() {
        return Duration.ofNanos(endNanos - System.nanoTime());
    }

    /** Whether the deadline has passed. */
    public boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** {@code wanted} or the time left, whichever is shorter, at least one millisecond. */
    public Duration cap(Duration wanted) {
        long left = endNanos - System.nanoTime();
        long n = Math.min(wanted.toNanos(), left);
        return Duration.ofNanos(Math.max(n, FLOOR.toNanos()));
    }

    /** {@link #cap(Duration)} as whole milliseconds for socket timeouts, at least 1. */
    public int capMillis(Duration wanted) {
        long ms = cap(wanted).toMillis();
        return (int) Math.max(FLOOR.toMillis(), Math.min(Integer.MAX_VALUE, ms));
    }

    /** Whether {@code wanted} fits in the time left. */
    public boolean allows(Duration wanted) {
        return remaining().compareTo(wanted) >= 0;
    }

    /** The time since the deadline was set: how long the run it bounds has taken. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
