package dev.gatewaycheck.core;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
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
        synchronized (findings) {
            observed++;
            return Judge.keep(findings, finding);
        }
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
        synchronized (findings) {
            return observed;
        }
    }

    /** Records name-resolution time (first call wins). */
    public void dnsTime(Duration d) {
        if (dns == null) {
            dns = d;
        }
    }

    /** Records connect time (first call wins). */
    public void connectTime(Duration d) {
        if (connect == null) {
            connect = d;
        }
    }

    /** Records handshake time (first call wins). */
    public void tlsTime(Duration d) {
        if (tls == null) {
            tls = d;
        }
    }

    /** Records time to first byte (first call wins). */
    public void firstByteTime(Duration d) {
        if (firstByte == null) {
            firstByte = d;
        }
    }

    Duration dns() {
        return dns;
    }

    Duration connect() {
        return connect;
    }

    Duration tls() {
        return tls;
    }

    Duration firstByte() {
        return firstByte;
    }
}
