package dev.gatewaycheck.core;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.spi.CheckPlan;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every check of one run shares: the plan, the deadline, the socket watchdog, the timings and the findings.
 * Checks observe the wire and call {@link #report} with a cause; the profile judges severity and status here, in
 * one place.
 */
public final class RunContext {
    private final CheckPlan plan;
    private final Deadline deadline;
    private final Watchdog watchdog;
    private final List<Finding> findings = new ArrayList<>();
    private int observed;
    private volatile String tlsFailure;
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
     * Adds a finding about {@code target}; its severity and gateway status come from the profile, its remedy from
     * the cause.
     */
    public Finding report(Cause cause, String backend, String message, Evidence evidence) {
        return report(cause, backend, message, evidence, cause.remedy());
    }

    /** Adds a finding with a specific remedy. */
    public Finding report(Cause cause, String backend, String message, Evidence evidence, String remedy) {
        return add(new Finding(cause, profile().severityOf(cause), backend, message, evidence, remedy,
                profile().statusFor(cause)));
    }

    /**
     * Adds a finding with a severity the check decided (a WARNING before the limit is reached); the gateway
     * status is the profile's unless the severity is INFO.
     */
    public Finding report(Cause cause, Severity severity, String backend, String message, Evidence evidence) {
        int status = severity == Severity.INFO ? 0 : profile().statusFor(cause);
        return add(new Finding(cause, severity, backend, message, evidence, cause.remedy(), status));
    }

    /** Adds a finding whose severity and gateway status the check decided (0: the gateway answers none). */
    public Finding report(Cause cause, Severity severity, String backend, String message, Evidence evidence,
                          int gatewayStatus) {
        return add(new Finding(cause, severity, backend, message, evidence, cause.remedy(), gatewayStatus));
    }

    /**
     * Adds a finding about what the backend did after a complete response head with {@code backendStatus}: for a
     * gateway that {@linkplain dev.gatewaycheck.GatewayProfile#streamsResponseHead() streams the head} the client
     * already has that status, so the finding keeps its severity but carries no gateway status and says so; for
     * any other gateway it is judged as usual.
     */
    public Finding reportAfterHead(Cause cause, Severity severity, String backend, String message,
                                   Evidence evidence, int backendStatus) {
        if (!profile().streamsResponseHead() || severity == Severity.INFO) {
            return report(cause, severity, backend, message, evidence);
        }
        return report(cause, severity, backend, message + "; " + profile().name() + " has already passed the "
                + "backend's status " + backendStatus + " on to the client, which gets this body as it comes, not a 5xx",
                evidence, 0);
    }

    /**
     * Adds a finding built elsewhere (already judged). A second finding with the same cause about the same backend
     * is dropped (two phases seeing one failure); the first, with its evidence, stays.
     */
    public Finding add(Finding finding) {
        synchronized (findings) {
            observed++;
            for (Finding f : findings) {
                if (f.cause() == finding.cause() && f.backend().equals(finding.backend())) {
                    return f;
                }
            }
            findings.add(finding);
        }
        return finding;
    }

    /** Marks the TLS handshake as impossible, so that HTTP phases are skipped with this reason. */
    public void tlsFailed(String reason) {
        tlsFailure = reason;
    }

    /** Why the TLS handshake failed, or null. */
    public String tlsFailure() {
        return tlsFailure;
    }

    /** The findings so far. */
    public List<Finding> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    /** How many findings so far. */
    public int findingCount() {
        synchronized (findings) {
            return findings.size();
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
