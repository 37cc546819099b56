package dev.gatewaycheck;

/**
 * How bad a {@link Finding} is for the gateway it is judged against.
 *
 * <pre>{@code
 * report.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
 * }</pre>
 *
 * <p>Ordered from most to least severe, so {@code compareTo} sorts the worst first.
 *
 * @since 0.1
 */
public enum Severity {
    /** The gateway answers 502 (or its 5xx equivalent) now. */
    ERROR,
    /** The gateway will answer 502 under load, by a date, intermittently, or a different gateway would. */
    WARNING,
    /** Worth knowing; not a cause of 502 for this gateway. */
    INFO
}
