package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.core.Text;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.NotImplementedException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.TruncatedChunkException;

/**
 * Maps what the JDK and httpclient5 throw to a {@link Cause}: by exception type along the cause chain first, by
 * message text only where the type is shared (isolated here and pinned by tests). Pure: no I/O.
 */
public final class FailureClassifier {

    /**
     * JSSE's own words (lower case) when the bytes a port answered a ClientHello with are not TLS records: random
     * bytes, another protocol, a broken record layer. A received alert never contains these.
     */
    static final java.util.List<String> NOT_TLS = java.util.List.of("bad input record size", "record size",
            "unexpected handshake message", "unsupported record version", "unknown handshake type",
            "insufficient buffer remaining", "handshake message sequence violation", "invalid handshake message",
            "illegal server handshake message", "unexpected message", "record overflow", "incorrect length",
            "invalid record", "not a handshake record", "unsupported handshake message", "bad record mac");

    private FailureClassifier() {
    }

    /** The cause of {@code failure} during an HTTP exchange, if it names one; the target's scheme unknown. */
    public static Optional<Cause> classify(Throwable failure) {
        return classify(failure, false);
    }

    /**
     * The cause of {@code failure} during an HTTP exchange with a {@code tls} (https) or plain target, if it names
     * one. httpclient5 wraps whatever times out while it opens a connection, TLS handshake included, in a
     * {@link ConnectTimeoutException}: its {@link SocketTimeoutException} cause is looked at first, and a read that
     * timed out (the TCP connect had succeeded) on a TLS target is TLS_HANDSHAKE_TIMEOUT, not CONNECT_TIMEOUT.
     */
    public static Optional<Cause> classify(Throwable failure, boolean tls) {
        if (tls && handshakeReadTimeout(failure)) {
            return Optional.of(Cause.TLS_HANDSHAKE_TIMEOUT);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<Cause> c = classifyOne(t);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** A connect-phase wrapper whose timeout was a read ("Read timed out"), not the TCP connect's. */
    private static boolean handshakeReadTimeout(Throwable failure) {
        boolean connectPhase = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            connectPhase |= t instanceof ConnectTimeoutException;
            if (connectPhase && t instanceof SocketTimeoutException && !(t instanceof ConnectTimeoutException)) {
                String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
                return m.contains("read timed out") || !m.contains("connect");
            }
        }
        if (connectPhase) {
            String m = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
            return m.contains("read timed out");
        }
        return false;
    }

    private static Optional<Cause> classifyOne(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof UnknownHostException) {
            return Optional.of(Cause.BACKEND_DNS_RESOLUTION_FAILURE);
        }
        if (t instanceof ConnectTimeoutException) {
            return Optional.of(Cause.CONNECT_TIMEOUT);
        }
        if (t instanceof NoRouteToHostException) {
            return Optional.of(Cause.HOST_UNREACHABLE);
        }
        if (t instanceof ConnectException) {
            return Optional.of(m.contains("timed out") ? Cause.CONNECT_TIMEOUT : Cause.CONNECTION_REFUSED);
        }
        if (t instanceof MessageConstraintException) {
            return Optional.of(Cause.RESPONSE_HEADER_TOO_LARGE);
        }
        if (t instanceof NoHttpResponseException) {
            return Optional.of(Cause.BACKEND_CLOSED_WITHOUT_RESPONSE);
        }
        if (t instanceof MalformedChunkCodingException || t instanceof TruncatedChunkException) {
            return Optional.of(Cause.INVALID_CHUNKED_ENCODING);
        }
        if (t instanceof ConnectionClosedException) {
            if (m.contains("chunk")) {
                return Optional.of(Cause.INVALID_CHUNKED_ENCODING);
            }
            return Optional.of(Cause.BACKEND_CLOSED_MID_RESPONSE);
        }
        if (t instanceof NotImplementedException) {
            // "Unsupported transfer encoding"
            return Optional.of(Cause.CONFLICTING_FRAMING_HEADERS);
        }
        if (t instanceof ProtocolException || t instanceof ParseException) {
            if (m.contains("content length") || m.contains("content-length") || m.contains("transfer encoding")
                    || m.contains("transfer-encoding")) {
                return Optional.of(Cause.CONFLICTING_FRAMING_HEADERS);
            }
            if (m.contains("chunk")) {
                return Optional.of(Cause.INVALID_CHUNKED_ENCODING);
            }
            if (m.contains("header")) {
                return Optional.of(Cause.INVALID_RESPONSE_HEADER);
            }
            return Optional.of(Cause.MALFORMED_STATUS_LINE);
        }
        if (t instanceof SSLHandshakeException) {
            return Optional.of(handshake(m));
        }
        if (t instanceof SSLException) {
            if (m.contains("unrecognized ssl message") || m.contains("plaintext")) {
                return Optional.of(Cause.PROTOCOL_PORT_MISMATCH);
            }
            return Optional.of(handshake(m));
        }
        if (t instanceof SocketTimeoutException) {
            return Optional.of(m.contains("connect") ? Cause.CONNECT_TIMEOUT : Cause.RESPONSE_TIMEOUT);
        }
        if (t instanceof SocketException) {
            if (Text.isReset(m)) {
                return Optional.of(Cause.BACKEND_RESET_CONNECTION);
            }
            return Optional.empty();
        }
        if (t instanceof InterruptedIOException) {
            return Optional.of(Cause.RESPONSE_TIMEOUT);
        }
        return Optional.empty();
    }

    /**
     * The cause named by a TLS handshake failure message (JSSE alert descriptions). A connection the backend closed
     * (FIN: "Remote host terminated the handshake") or reset (RST) during the handshake is
     * BACKEND_CLOSED_WITHOUT_RESPONSE or BACKEND_RESET_CONNECTION, not a cipher mismatch: only a
     * {@code handshake_failure} or {@code insufficient_security} alert names one here (the TLS check also names one
     * when its reference handshake succeeds with a suite the gateway does not offer). Another alert keeps the
     * earlier reading, TLS_NO_SHARED_CIPHER.
     */
    public static Cause handshake(String lowerMessage) {
        if (lowerMessage.contains("connection reset") || lowerMessage.contains("reset by peer")) {
            return Cause.BACKEND_RESET_CONNECTION;
        }
        if (lowerMessage.contains("terminated the handshake") || lowerMessage.contains("peer shut down")
                || lowerMessage.contains("remote host closed")) {
            return Cause.BACKEND_CLOSED_WITHOUT_RESPONSE;
        }
        if (lowerMessage.contains("protocol_version") || lowerMessage.contains("no appropriate protocol")
                || lowerMessage.contains("protocol is disabled")) {
            return Cause.TLS_PROTOCOL_VERSION_MISMATCH;
        }
        if (lowerMessage.contains("certificate_required") || lowerMessage.contains("bad_certificate")) {
            return Cause.BACKEND_REQUIRES_CLIENT_CERT;
        }
        if (lowerMessage.contains("unrecognized_name")) {
            return Cause.TLS_SNI_REQUIRED_NOT_SENT;
        }
        if (lowerMessage.contains("unrecognized ssl message") || lowerMessage.contains("plaintext")) {
            return Cause.PROTOCOL_PORT_MISMATCH;
        }
        if (lowerMessage.contains("timed out")) {
            return Cause.TLS_HANDSHAKE_TIMEOUT;
        }
        if (!lowerMessage.contains("alert") && NOT_TLS.stream().anyMatch(lowerMessage::contains)) {
            // JSSE could not parse what the port sent: no cipher was ever negotiated, the port does not speak TLS
            return Cause.PROTOCOL_PORT_MISMATCH;
        }
        // handshake_failure, insufficient_security, and (the earlier reading) any other alert
        return Cause.TLS_NO_SHARED_CIPHER;
    }
}
