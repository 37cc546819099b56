package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.NotImplementedException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the JDK and httpclient5 throw, read as a wire fact ({@link FailureClassifier}) and the cause it names
 * ({@link TransportRules}): one row per rule, constructed exceptions, no socket.
 */
class TransportRulesTest {

    private static Throwable wrapped(Throwable outer, Throwable inner) {
        outer.initCause(inner);
        return outer;
    }

    /** {@code failure, tls target, kind, cause (null: none)}. */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(new UnknownHostException("nowhere.test"), false, Kind.UNKNOWN_HOST,
                        Cause.BACKEND_DNS_RESOLUTION_FAILURE),
                Arguments.of(new ConnectTimeoutException("Connect to http://10.0.0.1:80 failed: Connect timed out"),
                        false, Kind.CONNECT_TIMED_OUT, Cause.CONNECT_TIMEOUT),
                Arguments.of(new ConnectException("Connection timed out"), true, Kind.CONNECT_TIMED_OUT,
                        Cause.CONNECT_TIMEOUT),
                Arguments.of(new SocketTimeoutException("Connect timed out"), false, Kind.CONNECT_TIMED_OUT,
                        Cause.CONNECT_TIMEOUT),
                Arguments.of(wrapped(new ConnectTimeoutException("Connect to https://h:443 failed: Read timed out"),
                        new SocketTimeoutException("Read timed out")), true, Kind.HANDSHAKE_TIMED_OUT,
                        Cause.TLS_HANDSHAKE_TIMEOUT),
                Arguments.of(wrapped(new ConnectTimeoutException("Connect to http://h:80 failed: Read timed out"),
                        new SocketTimeoutException("Read timed out")), false, Kind.CONNECT_TIMED_OUT,
                        Cause.CONNECT_TIMEOUT),
                Arguments.of(new SSLHandshakeException("Read timed out"), true, Kind.HANDSHAKE_TIMED_OUT,
                        Cause.TLS_HANDSHAKE_TIMEOUT),
                Arguments.of(new SocketTimeoutException("Read timed out"), true, Kind.READ_TIMED_OUT,
                        Cause.RESPONSE_TIMEOUT),
                Arguments.of(new InterruptedIOException("interrupted"), false, Kind.READ_TIMED_OUT,
                        Cause.RESPONSE_TIMEOUT),
                Arguments.of(new NoRouteToHostException("No route to host"), false, Kind.UNREACHABLE,
                        Cause.HOST_UNREACHABLE),
                Arguments.of(new ConnectException("Connection refused"), false, Kind.REFUSED,
                        Cause.CONNECTION_REFUSED),
                Arguments.of(new SocketException("Connection reset"), false, Kind.RESET,
                        Cause.BACKEND_RESET_CONNECTION),
                Arguments.of(new SocketException("Broken pipe"), false, Kind.RESET, Cause.BACKEND_RESET_CONNECTION),
                Arguments.of(new SSLHandshakeException("Connection reset by peer"), true, Kind.RESET,
                        Cause.BACKEND_RESET_CONNECTION),
                Arguments.of(new NoHttpResponseException("127.0.0.1:80 failed to respond"), false,
                        Kind.CLOSED_BEFORE_RESPONSE, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE),
                Arguments.of(new SSLHandshakeException("Remote host terminated the handshake"), true,
                        Kind.CLOSED_BEFORE_RESPONSE, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE),
                Arguments.of(new ConnectionClosedException("Premature end of Content-Length delimited message body"),
                        false, Kind.CLOSED_MID_RESPONSE, Cause.BACKEND_CLOSED_MID_RESPONSE),
                Arguments.of(new MessageConstraintException("Maximum line length limit exceeded"), false,
                        Kind.HEAD_TOO_LARGE, Cause.RESPONSE_HEADER_TOO_LARGE),
                Arguments.of(new MalformedChunkCodingException("Bad chunk header: zz"), false, Kind.BAD_CHUNK,
                        Cause.INVALID_CHUNKED_ENCODING),
                Arguments.of(new TruncatedChunkException("Truncated chunk"), false, Kind.BAD_CHUNK,
                        Cause.INVALID_CHUNKED_ENCODING),
                Arguments.of(new ConnectionClosedException("Premature end of chunk coded message body"), false,
                        Kind.BAD_CHUNK, Cause.INVALID_CHUNKED_ENCODING),
                Arguments.of(new ProtocolException("Invalid chunk size"), false, Kind.BAD_CHUNK,
                        Cause.INVALID_CHUNKED_ENCODING),
                Arguments.of(new NotImplementedException("Unsupported transfer encoding: gzip"), false,
                        Kind.FRAMING_CONFLICT, Cause.CONFLICTING_FRAMING_HEADERS),
                Arguments.of(new ProtocolException("Invalid content length: 1, 2"), false, Kind.FRAMING_CONFLICT,
                        Cause.CONFLICTING_FRAMING_HEADERS),
                Arguments.of(new ProtocolException("Invalid header: no colon"), false, Kind.BAD_HEADER,
                        Cause.INVALID_RESPONSE_HEADER),
                Arguments.of(new ProtocolException("Invalid response line: HTTP/1.1 abc"), false,
                        Kind.BAD_STATUS_LINE, Cause.MALFORMED_STATUS_LINE),
                Arguments.of(new SSLException("Unrecognized SSL message, plaintext connection?"), true, Kind.NOT_TLS,
                        Cause.PROTOCOL_PORT_MISMATCH),
                Arguments.of(new SSLHandshakeException("Unsupported record version Unknown-72.84"), true,
                        Kind.NOT_TLS, Cause.PROTOCOL_PORT_MISMATCH),
                Arguments.of(new SSLHandshakeException("Received fatal alert: protocol_version"), true,
                        Kind.TLS_VERSION_REFUSED, Cause.TLS_PROTOCOL_VERSION_MISMATCH),
                Arguments.of(new SSLHandshakeException("No appropriate protocol (protocol is disabled or cipher "
                        + "suites are inappropriate)"), true, Kind.TLS_VERSION_REFUSED,
                        Cause.TLS_PROTOCOL_VERSION_MISMATCH),
                Arguments.of(new SSLHandshakeException("Received fatal alert: certificate_required"), true,
                        Kind.TLS_CLIENT_CERT_WANTED, Cause.BACKEND_REQUIRES_CLIENT_CERT),
                Arguments.of(new SSLHandshakeException("Received fatal alert: bad_certificate"), true,
                        Kind.TLS_CLIENT_CERT_WANTED, Cause.BACKEND_REQUIRES_CLIENT_CERT),
                Arguments.of(new SSLHandshakeException("Received fatal alert: unrecognized_name"), true,
                        Kind.TLS_NAME_UNRECOGNIZED, Cause.TLS_SNI_REQUIRED_NOT_SENT),
                Arguments.of(new SSLHandshakeException("Received fatal alert: handshake_failure"), true,
                        Kind.TLS_HANDSHAKE_REFUSED, Cause.TLS_NO_SHARED_CIPHER),
                Arguments.of(new SSLException("Received fatal alert: insufficient_security"), true,
                        Kind.TLS_HANDSHAKE_REFUSED, Cause.TLS_NO_SHARED_CIPHER),
                Arguments.of(wrapped(new IOException("outer"), new SocketException("Connection reset")), false,
                        Kind.RESET, Cause.BACKEND_RESET_CONNECTION),
                Arguments.of(new SocketException("Socket closed"), false, Kind.UNRECOGNIZED, null),
                Arguments.of(new IOException("odd"), true, Kind.UNRECOGNIZED, null));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void readsTheWireFactAndNamesItsCause(Throwable failure, boolean tls, Kind kind, Cause cause) {
        TransportFailure seen = FailureClassifier.classify(failure, tls);
        assertEquals(kind, seen.kind(), failure::toString);
        assertEquals(failure.getClass().getName(), seen.exception());
        assertEquals(failure.getMessage(), seen.message());
        assertEquals(Optional.ofNullable(cause), TransportRules.cause(seen), failure::toString);
    }

    @Test
    void noFailureIsUnrecognizedAndNamesNoCause() {
        TransportFailure seen = FailureClassifier.classify(null, true);
        assertEquals(TransportFailure.of(Kind.UNRECOGNIZED), seen);
        assertEquals(Optional.empty(), TransportRules.cause(seen));
    }

    @Test
    void everyKindHasARow() {
        Set<Kind> covered = rows().map(a -> (Kind) a.get()[2]).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(Kind.class)));
        assertEquals(EnumSet.allOf(Kind.class), covered);
    }
}
