package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a check saw the backend do, named by the behaviour ({@link Cause}) it shows, with the facts: not yet a
 * finding. Whether it is a 502 cause for a gateway, how severe, and which status that gateway answers is decided
 * by the {@link Judge} alone. Qualifiers carry what the check saw that changes the verdict (a value near the
 * gateway's limit, no health probe in front of the backend...).
 *
 * <pre>{@code
 * ctx.observe(Observation.of(Cause.CONNECTION_REFUSED, label, "Port 8443 refused the connection", evidence));
 * }</pre>
 *
 * @param cause          the behaviour seen
 * @param backend        the address it was seen at, e.g. {@code https://127.0.0.1:8443}
 * @param message        what was seen, in one sentence
 * @param evidence       the facts behind it
 * @param remedy         the fix when what was seen names a specific one, else null (the cause's)
 * @param answeredStatus the status the backend (or front door) itself answered: the one a gateway passes on, or,
 *                       with {@link Qualifier#AFTER_HEAD}, the one already relayed with the head; 0 when none
 * @param qualifiers     what changes the verdict
 */
public record Observation(Cause cause, String backend, String message, Evidence evidence, String remedy,
                          int answeredStatus, Set<Qualifier> qualifiers) {

    /** What the check saw that changes the verdict. */
    public enum Qualifier {
        /** Close to the gateway's limit but not past it (within its margin): a warning at most. */
        NEAR_LIMIT,
        /** No health probe takes the backend out of rotation: the gateway passes its answer on. */
        NO_HEALTH_PROBE,
        /** The failures were consecutive for the probe's unhealthy threshold: the gateway marks the member down. */
        MARKS_MEMBER_DOWN,
        /** What the gateway speaks cannot be tested from this JVM: a warning, not a verdict. */
        UNTESTABLE_HERE,
        /**
         * Seen after a complete response head: a gateway that streams the head has already relayed the backend's
         * status, so the client gets the broken body, not a 5xx of the gateway's.
         */
        AFTER_HEAD
    }

    /** Validates the observation and copies the qualifiers. */
    public Observation {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(evidence, "evidence");
        qualifiers = qualifiers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(qualifiers));
    }

    /** An observation with the cause's remedy and no qualifier. */
    public static Observation of(Cause cause, String backend, String message, Evidence evidence) {
        return new Observation(cause, backend, message, evidence, null, 0, Set.of());
    }

    /** The same observation with one more qualifier. */
    public Observation with(Qualifier q) {
        EnumSet<Qualifier> s = qualifiers.isEmpty() ? EnumSet.noneOf(Qualifier.class) : EnumSet.copyOf(qualifiers);
        s.add(q);
        return new Observation(cause, backend, message, evidence, remedy, answeredStatus, s);
    }

    /** The same observation when {@code q} holds. */
    public Observation withIf(boolean holds, Qualifier q) {
        return holds ? with(q) : this;
    }

    /** The same observation with a specific remedy (null: the cause's). */
    public Observation remedy(String specific) {
        return new Observation(cause, backend, message, evidence, specific, answeredStatus, qualifiers);
    }

    /** The same observation, noting the status the backend itself answered (which a gateway passes on). */
    public Observation answered(int status) {
        return new Observation(cause, backend, message, evidence, remedy, status, qualifiers);
    }

    /** The same observation, seen after a complete response head with {@code headStatus}. */
    public Observation afterHead(int headStatus) {
        return answered(headStatus).with(Qualifier.AFTER_HEAD);
    }

    /** Whether {@code q} holds. */
    public boolean has(Qualifier q) {
        return qualifiers.contains(q);
    }
}
