package dev.gatewaycheck.core;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes a run's sockets when its deadline passes or its thread is interrupted, so that a backend that trickles
 * bytes or never answers cannot hold {@code run()} past the deadline. One shared daemon thread, which ends by
 * itself a second after the last run.
 */
final class Watchdog implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER;
    /** How often a run's deadline and interrupt are looked at: the most a run can overshoot its deadline by. */
    private static final long TICK_MILLIS = 20;
    /** How long the shared thread stays after the last run. */
    private static final long IDLE_SECONDS = 1;

    static {
        AtomicInteger n = new AtomicInteger();
        TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gateway-check-watchdog-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        TIMER.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        TIMER.allowCoreThreadTimeOut(true);
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final Deadline deadline;
    private final Thread runner;
    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledFuture<?> task;

    Watchdog(Deadline deadline, Thread runner) {
        this.deadline = deadline;
        this.runner = runner;
        this.task = TIMER.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (deadline.expired() || runner.isInterrupted()) {
            fired.set(true);
            closeAll();
        }
    }

    /** Whether the deadline or an interrupt closed the sockets. */
    boolean fired() {
        return fired.get();
    }

    <T extends Closeable> T register(T c) {
        open.add(c);
        if (fired.get()) {
            quietly(c);
        }
        return c;
    }

    void unregister(Closeable c) {
        open.remove(c);
    }

    void closeAll() {
        // TCP sockets first: closing a TLS socket sends close_notify, which waits for a writer blocked on a full
        // send buffer; closing its TCP socket first ends that write, so the TLS close cannot hang
        for (Closeable c : open) {
            if (!(c instanceof javax.net.ssl.SSLSocket)) {
                open.remove(c);
                quietly(c);
            }
        }
        for (Closeable c : open) {
            open.remove(c);
            quietly(c);
        }
    }

    static void quietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort
        }
    }

    @Override
    public void close() {
        task.cancel(false);
        closeAll();
    }
}
