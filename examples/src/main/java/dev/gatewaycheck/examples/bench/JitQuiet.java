package dev.gatewaycheck.examples.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Whether the JIT has finished compiling what a benchmark's rounds run, so that "warm" means warm: over the last
 * {@link #WINDOW} of rounds it compiled for less than {@link #QUIET_SHARE} of the time (JMX's total compilation
 * time, summed over the compiler threads). On two cores the JIT of a check of a few milliseconds kept a core busy
 * for 45 to 130 s (69% of a core still at 20 s); timed before it is quiet, the rounds measure the compiler as much
 * as the code.
 *
 * <pre>{@code
 * JitQuiet jit = new JitQuiet();
 * while (!jit.quiet() && jit.elapsed().compareTo(max) < 0) { round(); }
 * }</pre>
 */
final class JitQuiet {
    /** The window the JIT's share is measured over. */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Quiet: the JIT compiled for less than this share of the window. */
    static final double QUIET_SHARE = 0.03;

    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final long start = System.nanoTime();
    private long windowStart = start;
    private long compiledAtWindowStart = compiledMillis();
    private double lastShare = 1;

    /** Whether the last whole window was quiet (false before the first window ends). Call between rounds. */
    boolean quiet() {
        long now = System.nanoTime();
        if (now - windowStart >= WINDOW.toNanos()) {
            long compiled = compiledMillis();
            lastShare = (compiled - compiledAtWindowStart) / ((now - windowStart) / 1e6);
            windowStart = now;
            compiledAtWindowStart = compiled;
        }
        return lastShare < QUIET_SHARE;
    }

    /** The JIT's share of the last whole window (1 before the first ends). */
    double lastShare() {
        return lastShare;
    }

    /** Since this was made. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** The JIT's total compilation time so far, in milliseconds (0 when the JVM does not say). */
    long compiledMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
