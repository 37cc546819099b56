package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * httpclient5 wraps a TLS handshake that times out in a ConnectTimeoutException ("... failed: Read timed out"): with
 * the TCP connect done, that is TLS_HANDSHAKE_TIMEOUT, not CONNECT_TIMEOUT with a firewall remedy.
 */
class HandshakeTimeoutInRequestTest {

    private static ConnectTimeoutException wrapped(String inner) {
        ConnectTimeoutException e = new ConnectTimeoutException("Connect to https://127.0.0.1:18443 [/127.0.0.1] "
                + "failed: " + inner);
        e.initCause(new SocketTimeoutException(inner));
        return e;
    }

    private static Optional<Cause> cause(Throwable failure, boolean tls) {
        return TransportRules.cause(FailureClassifier.classify(failure, tls));
    }

    @Test
    void classifierLooksAtTheSocketTimeoutInsideTheConnectWrapper() {
        assertEquals(Optional.of(Cause.TLS_HANDSHAKE_TIMEOUT), cause(wrapped("Read timed out"), true));
        assertEquals(Optional.of(Cause.CONNECT_TIMEOUT), cause(wrapped("Connect timed out"), true));
        assertEquals(Optional.of(Cause.CONNECT_TIMEOUT), cause(wrapped("Read timed out"), false));
        assertEquals(Optional.of(Cause.TLS_HANDSHAKE_TIMEOUT), cause(
                new ConnectTimeoutException("Connect to https://127.0.0.1:18443 failed: Read timed out"), true));
        assertEquals(Optional.of(Cause.CONNECT_TIMEOUT), cause(new ConnectException("Connection timed out"), true));
        assertEquals(Optional.of(Cause.RESPONSE_TIMEOUT), cause(new SocketTimeoutException("Read timed out"), true));
        assertEquals(Optional.empty(), cause(new IOException("odd"), true));
    }

    @Test
    void tlsBackendThatAcceptsTcpAndNeverAnswersTheHandshakeIsHandshakeTimeoutNotConnectTimeout() {
        TestCertificates.Held root = TestCertificates.ca("Handshake Timeout Root").build();
        GatewayProfile quick = GatewayProfile.GENERIC.toBuilder().id("quick").requestTimeout(Duration.ofSeconds(1))
                .tlsHandshakeTimeout(Duration.ofMillis(500)).build();
        // a plain socket: TCP is accepted, the ClientHello is never answered
        try (FaultServer s = FaultServer.plain(c -> c.hold(Duration.ofSeconds(20)))) {
            Report r = GatewayCheck.forBackend("https://127.0.0.1:" + s.port() + "/").withHost("www.example.test")
                    .trusting(root.certificate()).against(quick)
                    .probe(ProbeSpec.builder().timeout(Duration.ofSeconds(1)).build())
                    .timeout(Duration.ofSeconds(8)).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_HANDSHAKE_TIMEOUT);
            assertEquals("https://127.0.0.1:" + s.port(), f.backend());
            assertTrue(f.message().contains("TLS handshake"), f::toString);
            assertEquals("0.5", Expect.evidence(f, "gatewayTlsHandshakeTimeoutSeconds"));
            assertFalse(r.has(Cause.CONNECT_TIMEOUT), r::toString);
            assertEquals(PhaseResult.Status.PASSED, r.phase(Phase.CONNECT).orElseThrow().status(), r::toString);
            assertEquals(PhaseResult.Status.FOUND_PROBLEMS, r.phase(Phase.REQUEST).orElseThrow().status(),
                    r::toString);
        }
    }
}
