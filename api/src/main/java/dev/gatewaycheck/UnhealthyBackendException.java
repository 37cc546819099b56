package dev.gatewaycheck;

import java.util.Objects;

/**
 * Thrown by {@link GatewayCheck#awaitHealthy(java.time.Duration)} when the backend is still unhealthy when the
 * wait ends. It carries the last {@link Report}, and its message is that report, so a failing integration test
 * says why (not merely "timed out").
 *
 * <pre>{@code
 * try {
 *     GatewayCheck.forBackend(url).probe().awaitHealthy(Duration.ofSeconds(60));
 * } catch (UnhealthyBackendException e) {
 *     e.report().findings().forEach(System.err::println);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class UnhealthyBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Report report;

    /** Wraps the last report. */
    public UnhealthyBackendException(String waited, Report report) {
        super("Backend still unhealthy after " + waited + ":\n" + Objects.requireNonNull(report, "report"));
        this.report = report;
    }

    /** The last report before the wait ended. */
    public Report report() {
        return report;
    }
}
