package dev.gatewaycheck;

/**
 * The steps of one run, in the order the engine takes them. Each appears in {@link Report#phases()} with its
 * {@link PhaseResult.Status}: a phase that could not run is {@code SKIPPED} with the reason.
 *
 * <pre>{@code
 * report.phase(Phase.TLS).map(PhaseResult::status);
 * }</pre>
 *
 * @since 0.1
 */
public enum Phase {
    /** Resolve the backend's name to every address. */
    DNS,
    /** Open a TCP connection to every address. */
    CONNECT,
    /** Handshake and certificate checks ({@link Check#TLS}). */
    TLS,
    /** The request the gateway forwards, with the configured Host ({@link Check#PROBE}). */
    REQUEST,
    /** The gateway's health probe ({@link Check#PROBE}). */
    PROBE,
    /** Idle-timeout measurement ({@link Check#KEEP_ALIVE}). */
    KEEP_ALIVE
}
