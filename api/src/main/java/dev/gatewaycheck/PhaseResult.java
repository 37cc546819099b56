package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.util.Objects;

/**
 * What happened to one {@link Phase} of a run.
 *
 * <pre>{@code
 * report.phases().forEach(p -> System.out.println(p.phase() + " " + p.status() + " " + p.reason()));
 * }</pre>
 *
 * @param phase   the phase
 * @param status  whether it passed, found problems, was skipped or failed internally
 * @param elapsed how long it took
 * @param reason  why it was skipped, inconclusive or errored; empty otherwise
 * @since 0.1
 */
public record PhaseResult(Phase phase, Status status, Duration elapsed, String reason) {

    /** How a phase ended. */
    public enum Status {
        /** Ran and found nothing. */
        PASSED,
        /** Ran and produced findings. */
        FOUND_PROBLEMS,
        /** Could not run; {@link PhaseResult#reason()} says why. */
        SKIPPED,
        /**
         * Ran, but the run's deadline ended it before the gateway's verdict could be seen (e.g. a keep-alive watch
         * shorter than the gateway's idle timeout); {@link PhaseResult#reason()} says how far it got. The run is
         * then incomplete, never healthy.
         */
        INCONCLUSIVE,
        /** Failed inside the library (a bug); {@link PhaseResult#reason()} names the exception. */
        ERRORED
    }

    /** Validates the result. */
    public PhaseResult {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return phase + " " + status + (reason.isEmpty() ? "" : " (" + Snippets.printable(reason) + ")");
    }
}
