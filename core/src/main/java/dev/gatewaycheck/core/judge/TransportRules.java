package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import java.util.Optional;

/**
 * The cause a failure on the wire names ({@link TransportFailure}); pure, no I/O.
 *
 * <pre>{@code
 * Optional<Cause> c = TransportRules.cause(FailureClassifier.classify(exception, target.tls()));
 * }</pre>
 */
public final class TransportRules {

    private TransportRules() {
    }

    /** The cause {@code failure} names, empty when it names none. */
    public static Optional<Cause> cause(TransportFailure failure) {
        return cause(failure.kind());
    }

    /** The cause a failure of {@code kind} names, empty when it names none. */
    public static Optional<Cause> cause(TransportFailure.Kind kind) {
        return Optional.ofNullable(switch (kind) {
            case UNKNOWN_HOST -> Cause.BACKEND_DNS_RESOLUTION_FAILURE;
            case CONNECT_TIMED_OUT -> Cause.CONNECT_TIMEOUT;
            case HANDSHAKE_TIMED_OUT -> Cause.TLS_HANDSHAKE_TIMEOUT;
            case READ_TIMED_OUT -> Cause.RESPONSE_TIMEOUT;
            case UNREACHABLE -> Cause.HOST_UNREACHABLE;
            case REFUSED -> Cause.CONNECTION_REFUSED;
            case RESET -> Cause.BACKEND_RESET_CONNECTION;
            case CLOSED_BEFORE_RESPONSE -> Cause.BACKEND_CLOSED_WITHOUT_RESPONSE;
            case CLOSED_MID_RESPONSE -> Cause.BACKEND_CLOSED_MID_RESPONSE;
            case HEAD_TOO_LARGE -> Cause.RESPONSE_HEADER_TOO_LARGE;
            case BAD_CHUNK -> Cause.INVALID_CHUNKED_ENCODING;
            case FRAMING_CONFLICT -> Cause.CONFLICTING_FRAMING_HEADERS;
            case BAD_HEADER -> Cause.INVALID_RESPONSE_HEADER;
            case BAD_STATUS_LINE -> Cause.MALFORMED_STATUS_LINE;
            case NOT_TLS -> Cause.PROTOCOL_PORT_MISMATCH;
            case TLS_VERSION_REFUSED -> Cause.TLS_PROTOCOL_VERSION_MISMATCH;
            case TLS_CLIENT_CERT_WANTED -> Cause.BACKEND_REQUIRES_CLIENT_CERT;
            case TLS_NAME_UNRECOGNIZED -> Cause.TLS_SNI_REQUIRED_NOT_SENT;
            // the earlier reading: any other alert is a cipher mismatch
            case TLS_HANDSHAKE_REFUSED -> Cause.TLS_NO_SHARED_CIPHER;
            case UNRECOGNIZED -> null;
        });
    }
}
