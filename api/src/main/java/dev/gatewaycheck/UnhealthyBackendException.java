package dev.gatewaycheck;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by {@link GatewayCheck#awaitHealthy(Duration)} when no report was healthy before the wait ended. An
 * {@link AssertionError}, so test runners count it as a failed test, not as an error in the test. Its message says
 * what the backend was still doing, the number of attempts and the time waited, then the last report with every
 * finding, so a failing test says why and not merely "timed out":
 *
 * <pre>{@code
 * Backend http://127.0.0.1:8080 still answering 503 after 5s (10 attempts, waited 5.1s):
 * Report http://127.0.0.1:8080 (Host www.example.com) against generic gateway (conservative): UNHEALTHY, ...
 * }</pre>
 *
 * <pre>{@code
 * try {
 *     GatewayCheck.forBackend(url).awaitHealthy(Duration.ofSeconds(60));
 * } catch (UnhealthyBackendException e) {
 *     e.report().findings().forEach(System.err::println);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class UnhealthyBackendException extends AssertionError {
    private static final long serialVersionUID = 2L;
    private final transient Report report;
    private final int attempts;
    private final Duration waited;

    /**
     * The last report of a wait that ended unhealthy.
     *
     * @param report   the last report
     * @param attempts how many checks ran
     * @param waited   how long the wait took
     * @param atMost   how long it was allowed to take
     */
    public UnhealthyBackendException(Report report, int attempts, Duration waited, Duration atMost) {
        super(message(Objects.requireNonNull(report, "report"), attempts, Objects.requireNonNull(waited, "waited"),
                Objects.requireNonNull(atMost, "atMost")));
        this.report = report;
        this.attempts = attempts;
        this.waited = waited;
    }

    private static String message(Report report, int attempts, Duration waited, Duration atMost) {
        String what = report.findings().stream()
                .filter(f -> f.severity() == Severity.ERROR)
                .map(f -> f.evidence().get("status"))
                .flatMap(java.util.Optional::stream)
                .findFirst()
                .map(status -> "still answering " + status)
                .orElse("still unhealthy");
        return "Backend " + report.backend() + " " + what + " after " + human(atMost) + " (" + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ", waited " + human(waited) + "):\n" + report;
    }

    /** The last report before the wait ended. */
    public Report report() {
        return report;
    }

    /** How many checks ran before the wait ended. */
    public int attempts() {
        return attempts;
    }

    /** How long the wait took. */
    public Duration waited() {
        return waited;
    }

    /** A duration as people write it: {@code 5s}, {@code 1.5s}, {@code 250ms}, {@code 2m}, {@code 1m30s}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms >= 60_000 && ms % 1000 == 0) {
            return ms / 60_000 + "m" + (ms % 60_000) / 1000 + "s";
        }
        BigDecimal s = BigDecimal.valueOf(ms, 3).setScale(ms < 10_000 ? 1 : 0, RoundingMode.HALF_UP).stripTrailingZeros();
        return s.toPlainString() + "s";
    }
}
