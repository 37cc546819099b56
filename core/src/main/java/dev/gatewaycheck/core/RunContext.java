package dev.gatewaycheck.core;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.core.judge.Judge;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.spi.CheckPlan;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every check of one run shares: the plan, the deadline, the socket watchdog, the timings and the findings.
 * Checks observe the wire and call {@link #observe}; the {@link Judge} decides what it means for the profile.
 */
public final class RunContext {
    private final CheckPlan plan;
    private final Deadline deadline;
    private final Watchdog watchdog;
    private final List<Finding> findings = new ArrayList<>();
    private int observed;
    private final ThreadLocal<Buffer> buffer = new ThreadLocal<>();
    private final java.util.concurrent.locks.ReentrantLock connectionOrder =
            new java.util.concurrent.locks.ReentrantLock(true);
    private final java.util.concurrent.CountDownLatch tlsConnected = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch keepAliveOpened = new java.util.concurrent.CountDownLatch(1);
    private volatile Cause tlsFailure;
    private volatile Duration dns;
    private volatile Duration connect;
    private volatile Duration tls;
    private volatile Duration firstByte;

    RunContext(CheckPlan plan, Deadline deadline, Watchdog watchdog) {
        this.plan = plan;
        this.deadline = deadline;
        this.watchdog = watchdog;
    }

    /** A context for one check outside the engine (tests, pools): own deadline, own watchdog. */
    public static RunContext standalone(CheckPlan plan) {
        Deadline d = Deadline.in(plan.timeout());
        return new RunContext(plan, d, new Watchdog(d, Thread.currentThread()));
    }

    /** The plan. */
    public CheckPlan plan() {
        return plan;
    }

    /** The profile findings are judged against. */
    public GatewayProfile profile() {
        return plan.profile();
    }

    /** The run's clock. */
    public Clock clock() {
        return plan.clock();
    }

    /** The overall deadline. */
    public Deadline deadline() {
        return deadline;
    }

    /** Whether the deadline passed or the run was interrupted (sockets were closed under the checks). */
    public boolean cutShort() {
        return watchdog.fired() || deadline.expired() || Thread.currentThread().isInterrupted();
    }

    /** Registers a socket or client to be closed when the deadline passes; returns it. */
    public <T extends Closeable> T register(T closeable) {
        return watchdog.register(closeable);
    }

    /** Forgets a closeable the check closed itself. */
    public void unregister(Closeable closeable) {
        watchdog.unregister(closeable);
    }

    /** Ends a {@link #standalone} context: stops its watchdog and closes every socket still registered. */
    public void close() {
        closeAll();
    }

    /** Closes every socket still registered (end of run). */
    void closeAll() {
        watchdog.close();
    }

    /**
     * Records what a check observed; the {@link Judge} turns it into a finding for the profile. A second finding with
     * the same cause about the same backend (two phases seeing one failure) is merged by the judge's rule.
     */
    public Finding observe(Observation observation) {
        Finding finding = Judge.finding(observation, profile());
        Buffer b = buffer.get();
        if (b != null) {
            // a phase running beside others: its findings join the run's in phase order when it ends
            b.observed++;
            return Judge.keep(b.findings, finding);
        }
        synchronized (findings) {
            observed++;
            return Judge.keep(findings, finding);
        }
    }

    /** Records every observation a judge rule named, in order (see {@link #observe(Observation)}). */
    public void observe(List<Observation> observations) {
        for (Observation o : observations) {
            observe(o);
        }
    }

    /** Joins a finding a phase running beside others kept apart, by the judge's rule for two phases' findings. */
    void merge(Finding finding) {
        synchronized (findings) {
            Judge.keep(findings, finding);
        }
    }

    /** The findings of a phase that runs beside others, kept apart until the engine merges them in phase order. */
    static final class Buffer {
        final List<Finding> findings = new ArrayList<>();
        int observed;
    }

    /**
     * From now on this thread's findings go to a buffer of their own (a phase running beside others), so that
     * findings are merged in phase order whatever the timing: the same findings, deduplicated the same way, as when
     * the phases ran one after the other.
     */
    Buffer buffer() {
        Buffer b = new Buffer();
        buffer.set(b);
        return b;
    }

    /** Ends this thread's buffer. */
    void unbuffer() {
        buffer.remove();
    }

    /**
     * Tells the engine that the keep-alive watch opened its first connection (or could not), so that the phases
     * that need consecutive connections of their own (probe series) start after it.
     */
    public void keepAliveOpened() {
        keepAliveOpened.countDown();
    }

    /** Waits until {@link #keepAliveOpened()} or {@code done} says so, at most {@code max}. */
    boolean awaitKeepAliveOpened(Duration max, java.util.concurrent.Future<?> done) throws InterruptedException {
        return await(keepAliveOpened, max, done);
    }

    /** How often a phase waiting for another phase's connection also looks whether that phase ended without one. */
    private static final Duration POLL = Duration.ofMillis(2);

    private static boolean await(java.util.concurrent.CountDownLatch latch, Duration max,
                                 java.util.concurrent.Future<?> done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && !done.isDone()) {
            if (latch.await(POLL.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
        return latch.getCount() == 0;
    }

    /** A connect that may fail. */
    @FunctionalInterface
    public interface Connect {
        /** Connects. */
        void run() throws java.io.IOException;
    }

    /**
     * Connects in the run's connection order: waits while a series ({@link #enterSeries()}) opens its consecutive
     * connections, at most until the run's deadline.
     */
    public void connecting(Connect connect) throws java.io.IOException {
        boolean locked = lockOrder();
        try {
            connect.run();
        } finally {
            if (locked) {
                connectionOrder.unlock();
            }
        }
    }

    /**
     * Starts a series of connections that must be consecutive at the backend (the probe series: one connection in
     * three failing must show in it): until {@link #exitSeries(boolean)}, other phases' {@link #connecting} waits.
     * Returns whether the series holds the order (false only when the run's deadline ended the wait).
     */
    public boolean enterSeries() {
        return lockOrder();
    }

    /** Ends a series started with {@link #enterSeries()}. */
    public void exitSeries(boolean entered) {
        if (entered) {
            connectionOrder.unlock();
        }
    }

    private boolean lockOrder() {
        try {
            return connectionOrder.tryLock(Math.max(1, deadline.remaining().toMillis()),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Tells the engine that the TLS phase opened its first connection (or could not). */
    public void tlsConnected() {
        tlsConnected.countDown();
    }

    /** Waits until {@link #tlsConnected()} or {@code done} says so, at most {@code max}. */
    boolean awaitTlsConnected(Duration max, java.util.concurrent.Future<?> done) throws InterruptedException {
        return await(tlsConnected, max, done);
    }


    /** Marks the TLS handshake as impossible for this cause, so that the HTTP phases are skipped. */
    public void tlsFailed(Cause cause) {
        tlsFailure = cause;
    }

    /** Why the TLS handshake failed, or null. */
    public Cause tlsFailure() {
        return tlsFailure;
    }

    /** The findings so far. */
    public List<Finding> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    /**
     * How many problems the checks observed so far, counting those dropped as duplicates of an earlier phase's
     * finding: tells whether a phase found problems.
     */
    public int observedCount() {
        Buffer b = buffer.get();
        if (b != null) {
            return b.observed;
        }
        synchronized (findings) {
            return observed;
        }
    }

    /** Records name-resolution time (first call wins). */
    public void dnsTime(Duration d) {
        dns = first(dns, d);
    }

    /** Records connect time (first call wins). */
    public void connectTime(Duration d) {
        connect = first(connect, d);
    }

    /** Records handshake time (first call wins). */
    public void tlsTime(Duration d) {
        tls = first(tls, d);
    }

    /** Records time to first byte (first call wins). */
    public void firstByteTime(Duration d) {
        firstByte = first(firstByte, d);
    }

    private static Duration first(Duration recorded, Duration d) {
        return recorded != null ? recorded : d;
    }

    /** The times recorded, with the run's total. */
    Timings timings(Duration total) {
        return new Timings(dns, connect, tls, firstByte, total);
    }
}
