package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.util.Objects;

/**
 * One diagnosed reason why the gateway would answer 502 (or a warning that it will). Findings are data: the
 * library never throws or logs them as errors.
 *
 * <pre>{@code
 * for (Finding f : report.findings()) {
 *     System.out.println(f.cause() + " " + f.severity() + ": " + f.message());
 *     System.out.println("  fix: " + f.remedy());
 * }
 * }</pre>
 *
 * @param cause         the documented cause (its {@link Cause#id()} is the stable id)
 * @param severity      how bad it is for the gateway it was judged against
 * @param backend       the backend address the finding is about, e.g. {@code https://127.0.0.1:8443}
 * @param message       what was observed, in one sentence
 * @param evidence      the facts behind it
 * @param remedy        what fixes it
 * @param gatewayStatus the HTTP status the judging gateway answers for it (e.g. 502, 504, 522), or 0 when it
 *                      answers none (INFO) or the profile does not document one
 * @since 0.1
 */
public record Finding(Cause cause, Severity severity, String backend, String message, Evidence evidence,
                      String remedy, int gatewayStatus) {

    /** Validates the finding. */
    public Finding {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(remedy, "remedy");
        if (gatewayStatus != 0 && (gatewayStatus < 100 || gatewayStatus > 999)) {
            throw new IllegalArgumentException("gatewayStatus must be 0 or 100-999, got " + gatewayStatus);
        }
    }

    /** {@code CAUSE (SEVERITY): message}. */
    @Override
    public String toString() {
        return cause + " (" + severity + "): " + Snippets.printable(message);
    }
}
