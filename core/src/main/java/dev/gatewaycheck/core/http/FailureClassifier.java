package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.TransportFailure;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
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
 * Reads what happened on the wire ({@link TransportFailure}) from what the JDK and httpclient5 throw: by exception
 * type along the cause chain first, by message text only where the type is shared (isolated here and pinned by
 * tests). Pure: no I/O; {@code judge.TransportRules} names the cause.
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

    /** What {@code failure} during an HTTP exchange shows happened; the target's scheme unknown. */
    public static TransportFailure classify(Throwable failure) {
        return classify(failure, false);
    }

    /**
     * What {@code failure} (null: none) during an HTTP exchange with a {@code tls} (https) or plain target shows
     * happened on the wire. httpclient5 wraps whatever times out while it opens a connection, TLS handshake
     * included, in a {@link ConnectTimeoutException}: its {@link SocketTimeoutException} cause is looked at first,
     * and a read that timed out (the TCP connect had succeeded) on a TLS target is a handshake timeout, not a
     * connect timeout.
     */
    public static TransportFailure classify(Throwable failure, boolean tls) {
        Kind kind = tls && handshakeReadTimeout(failure) ? Kind.HANDSHAKE_TIMED_OUT : Kind.UNRECOGNIZED;
        for (Throwable t = failure; t != null && kind == Kind.UNRECOGNIZED;
                t = t.getCause() == t ? null : t.getCause()) {
            kind = classifyOne(t);
        }
        return failure == null ? TransportFailure.of(kind)
                : new TransportFailure(kind, failure.getClass().getName(), failure.getMessage());
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

    private static Kind classifyOne(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof UnknownHostException) {
            return Kind.UNKNOWN_HOST;
        }
        if (t instanceof ConnectTimeoutException) {
            return Kind.CONNECT_TIMED_OUT;
        }
        if (t instanceof NoRouteToHostException) {
            return Kind.UNREACHABLE;
        }
        if (t instanceof ConnectException) {
            return m.contains("timed out") ? Kind.CONNECT_TIMED_OUT : Kind.REFUSED;
        }
        if (t instanceof MessageConstraintException) {
            return Kind.HEAD_TOO_LARGE;
        }
        if (t instanceof NoHttpResponseException) {
            return Kind.CLOSED_BEFORE_RESPONSE;
        }
        if (t instanceof MalformedChunkCodingException || t instanceof TruncatedChunkException) {
            return Kind.BAD_CHUNK;
        }
        if (t instanceof ConnectionClosedException) {
            if (m.contains("chunk")) {
                return Kind.BAD_CHUNK;
            }
            return Kind.CLOSED_MID_RESPONSE;
        }
        if (t instanceof NotImplementedException) {
            // "Unsupported transfer encoding"
            return Kind.FRAMING_CONFLICT;
        }
        if (t instanceof ProtocolException || t instanceof ParseException) {
            if (m.contains("content length") || m.contains("content-length") || m.contains("transfer encoding")
                    || m.contains("transfer-encoding")) {
                return Kind.FRAMING_CONFLICT;
            }
            if (m.contains("chunk")) {
                return Kind.BAD_CHUNK;
            }
            if (m.contains("header")) {
                return Kind.BAD_HEADER;
            }
            return Kind.BAD_STATUS_LINE;
        }
        if (t instanceof SSLHandshakeException) {
            return handshake(m);
        }
        if (t instanceof SSLException) {
            if (m.contains("unrecognized ssl message") || m.contains("plaintext")) {
                return Kind.NOT_TLS;
            }
            return handshake(m);
        }
        if (t instanceof SocketTimeoutException) {
            return m.contains("connect") ? Kind.CONNECT_TIMED_OUT : Kind.READ_TIMED_OUT;
        }
        if (t instanceof SocketException) {
            if (Text.isReset(m)) {
                return Kind.RESET;
            }
            return Kind.UNRECOGNIZED;
        }
        if (t instanceof InterruptedIOException) {
            return Kind.READ_TIMED_OUT;
        }
        return Kind.UNRECOGNIZED;
    }

    /**
     * What a TLS handshake failure message (JSSE alert descriptions, lower case) shows happened. A connection the
     * backend closed (FIN: "Remote host terminated the handshake") or reset (RST) during the handshake is read as
     * such, not as a refused handshake: only a {@code handshake_failure}, {@code insufficient_security} or another
     * alert not named here is {@link Kind#TLS_HANDSHAKE_REFUSED}.
     */
    public static Kind handshake(String lowerMessage) {
        if (lowerMessage.contains("connection reset") || lowerMessage.contains("reset by peer")) {
            return Kind.RESET;
        }
        if (lowerMessage.contains("terminated the handshake") || lowerMessage.contains("peer shut down")
                || lowerMessage.contains("remote host closed")) {
            return Kind.CLOSED_BEFORE_RESPONSE;
        }
        if (lowerMessage.contains("protocol_version") || lowerMessage.contains("no appropriate protocol")
                || lowerMessage.contains("protocol is disabled")) {
            return Kind.TLS_VERSION_REFUSED;
        }
        if (lowerMessage.contains("certificate_required") || lowerMessage.contains("bad_certificate")) {
            return Kind.TLS_CLIENT_CERT_WANTED;
        }
        if (lowerMessage.contains("unrecognized_name")) {
            return Kind.TLS_NAME_UNRECOGNIZED;
        }
        if (lowerMessage.contains("unrecognized ssl message") || lowerMessage.contains("plaintext")) {
            return Kind.NOT_TLS;
        }
        if (lowerMessage.contains("timed out")) {
            return Kind.HANDSHAKE_TIMED_OUT;
        }
        if (!lowerMessage.contains("alert") && NOT_TLS.stream().anyMatch(lowerMessage::contains)) {
            // JSSE could not parse what the port sent: no cipher was ever negotiated, the port does not speak TLS
            return Kind.NOT_TLS;
        }
        // handshake_failure, insufficient_security, and (the earlier reading) any other alert
        return Kind.TLS_HANDSHAKE_REFUSED;
    }
}
