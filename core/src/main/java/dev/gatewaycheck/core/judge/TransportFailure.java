package dev.gatewaycheck.core.judge;

/**
 * What happened on the wire when an exchange failed, read from what the JDK or httpclient5 threw: a fact, no cause
 * ({@link TransportRules} names that).
 *
 * <pre>{@code
 * TransportFailure f = FailureClassifier.classify(exception, target.tls());   // f.kind() == Kind.RESET
 * }</pre>
 *
 * @param kind      what happened
 * @param exception the class name of the failure thrown, null when none was
 * @param message   its message, null when it had none
 */
public record TransportFailure(Kind kind, String exception, String message) {

    /** What happened on the wire. */
    public enum Kind {
        /** The host name did not resolve. */
        UNKNOWN_HOST,
        /** The TCP connect (SYN) got no answer within the connect timeout. */
        CONNECT_TIMED_OUT,
        /** TCP connected; the TLS handshake got no answer in time. */
        HANDSHAKE_TIMED_OUT,
        /** Connected; a read of the response timed out (or the wait was interrupted). */
        READ_TIMED_OUT,
        /** No route to the host. */
        UNREACHABLE,
        /** The port refused the connect (RST to the SYN). */
        REFUSED,
        /** The peer reset (RST) the connection, or a write went into a reset connection. */
        RESET,
        /** The peer closed (FIN) the connection before any response byte, or during the TLS handshake. */
        CLOSED_BEFORE_RESPONSE,
        /** The peer closed (FIN) the connection after the head, before the body's end. */
        CLOSED_MID_RESPONSE,
        /** The response head exceeded the client's size limit. */
        HEAD_TOO_LARGE,
        /** The chunked body was malformed or truncated. */
        BAD_CHUNK,
        /** Content-Length and Transfer-Encoding conflict, or a transfer coding is unsupported. */
        FRAMING_CONFLICT,
        /** A header line did not parse. */
        BAD_HEADER,
        /** The status line (or another part of the head) did not parse. */
        BAD_STATUS_LINE,
        /** The port answered the ClientHello with plaintext or other bytes that are not TLS. */
        NOT_TLS,
        /** TLS: a protocol_version alert, or no protocol version both sides enable. */
        TLS_VERSION_REFUSED,
        /** TLS: a certificate_required or bad_certificate alert (a client certificate is wanted). */
        TLS_CLIENT_CERT_WANTED,
        /** TLS: an unrecognized_name alert. */
        TLS_NAME_UNRECOGNIZED,
        /** TLS: handshake_failure, insufficient_security or another alert. */
        TLS_HANDSHAKE_REFUSED,
        /** Nothing the failure shows says what happened on the wire. */
        UNRECOGNIZED
    }

    /** The failure as {@link Throwable#toString()} writes it: {@code class: message}, or the class alone. */
    public String thrown() {
        return message == null ? exception : exception + ": " + message;
    }

    /** A failure of {@code kind} with no exception behind it (a TLS alert's text, for one). */
    public static TransportFailure of(Kind kind) {
        return new TransportFailure(kind, null, null);
    }
}
