package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.judge.DnsSeen.Lookup;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A name lookup and a TCP connect, judged: one row per rule, no socket. A row names the cause (null: no
 * observation), a phrase of the message, and one evidence key with its value.
 */
class ConnectRulesTest {
    private static final GatewayProfile FAST = GatewayProfile.GENERIC.toBuilder()
            .connectTimeout(Duration.ofSeconds(1)).build();
    private static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8443);

    private static ConnectSeen connect(Kind kind, String exception, String message) {
        return new ConnectSeen("https://127.0.0.1:8443", ADDRESS, Duration.ofMillis(1500),
                kind == null ? null : new TransportFailure(kind, exception, message));
    }

    private static DnsSeen dns(Lookup lookup, String error) {
        return new DnsSeen("https://api.example.test:443", "api.example.test", "static map", lookup, error,
                Duration.ofMillis(20), Duration.ofSeconds(5), "does not resolve (api.example.test)");
    }

    /** {@code observations, cause, message phrase, evidence key, evidence value}. */
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(ConnectRules.of(connect(null, null, null), FAST), null, null, null, null),
                Arguments.of(ConnectRules.of(connect(Kind.CONNECT_TIMED_OUT, "java.net.SocketTimeoutException",
                        "Connect timed out"), FAST), Cause.CONNECT_TIMEOUT,
                        "No answer to the TCP handshake within 1.500s (likely NETWORK_PATH_BLOCKED",
                        "gatewayConnectTimeoutSeconds", "1"),
                Arguments.of(ConnectRules.of(connect(Kind.UNREACHABLE, "java.net.NoRouteToHostException",
                        "No route to host"), FAST), Cause.HOST_UNREACHABLE, "No route to 127.0.0.1 (No route to host)",
                        "exception", "java.net.NoRouteToHostException"),
                Arguments.of(ConnectRules.of(connect(Kind.REFUSED, "java.net.ConnectException", "Connection refused"),
                        FAST), Cause.CONNECTION_REFUSED, "Port 8443 refused the connection (TCP RST) after 1.500s",
                        "port", "8443"),
                Arguments.of(ConnectRules.of(connect(Kind.UNRECOGNIZED, "java.net.SocketException", "Odd"), FAST),
                        Cause.CONNECTION_REFUSED, "The connection failed: java.net.SocketException: Odd",
                        "exceptionMessage", "Odd"),
                Arguments.of(ConnectRules.of(connect(Kind.UNRECOGNIZED, "java.net.SocketException", null), FAST),
                        Cause.CONNECTION_REFUSED, "The connection failed: java.net.SocketException",
                        "address", "127.0.0.1"),
                Arguments.of(ConnectRules.of(dns(Lookup.RESOLVED, null)), null, null, null, null),
                Arguments.of(ConnectRules.of(dns(Lookup.TIMED_OUT, null)), Cause.BACKEND_DNS_RESOLUTION_FAILURE,
                        "The lookup of api.example.test did not answer within 5s", "error", "timeout"),
                Arguments.of(ConnectRules.of(dns(Lookup.UNKNOWN_HOST, "api.example.test: Name or service not known")),
                        Cause.BACKEND_DNS_RESOLUTION_FAILURE, "The name api.example.test does not resolve "
                                + "(api.example.test: Name or service not known)",
                        "systemResolverAnswer", "does not resolve (api.example.test)"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void namesTheCauseWithItsEvidence(List<Observation> seen, Cause cause, String phrase, String key,
                                      String value) {
        if (cause == null) {
            assertEquals(List.of(), seen);
            return;
        }
        assertEquals(1, seen.size(), seen::toString);
        Observation o = seen.get(0);
        assertEquals(cause, o.cause());
        assertTrue(o.message().contains(phrase), o::message);
        assertEquals(value, o.evidence().get(key).orElse(null), o.evidence()::toString);
    }
}
