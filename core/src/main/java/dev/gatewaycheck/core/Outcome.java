package dev.gatewaycheck.core;

import dev.gatewaycheck.PhaseResult;
import java.util.Objects;

/**
 * How a check's phase ended, as the check sees it: it ran (the findings say whether it found problems), it was
 * skipped because of a fact about the backend or the plan, or it was inconclusive because the run's own deadline
 * ended it before the gateway's verdict could be seen. The run's deadline is never evidence against the backend.
 *
 * <pre>{@code
 * return observation.hasResponse() ? Outcome.RAN : Outcome.inconclusive("the run's deadline ended the wait");
 * }</pre>
 *
 * @param status {@link PhaseResult.Status#PASSED} for "ran", else SKIPPED or INCONCLUSIVE
 * @param reason why it was skipped or inconclusive; empty when it ran
 */
public record Outcome(PhaseResult.Status status, String reason) {

    /** The check ran; its findings tell whether it found problems. */
    public static final Outcome RAN = new Outcome(PhaseResult.Status.PASSED, "");

    /** Validates the outcome. */
    public Outcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    /** Could not run because of {@code reason}. */
    public static Outcome skipped(String reason) {
        return new Outcome(PhaseResult.Status.SKIPPED, reason);
    }

    /** Ran, but the run's deadline ended it before the gateway's verdict: {@code reason} says how far it got. */
    public static Outcome inconclusive(String reason) {
        return new Outcome(PhaseResult.Status.INCONCLUSIVE, reason);
    }

    /** Whether the check ran to its end. */
    public boolean ran() {
        return status == PhaseResult.Status.PASSED;
    }
}
