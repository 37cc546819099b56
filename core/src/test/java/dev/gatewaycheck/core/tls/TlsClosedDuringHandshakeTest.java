package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A backend that closes (FIN) or resets (RST) the connection on receipt of the ClientHello did not reject a cipher:
 * the TLS check says the connection ended during the handshake, with the reference handshake's evidence.
 */
class TlsClosedDuringHandshakeTest {

    private static Report check(FaultServer s) {
        return GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).withHost(HOST).tls()
                .timeout(Duration.ofSeconds(15)).run();
    }

    @Test
    void finInAnswerToTheClientHelloIsClosedWithoutResponseNotNoSharedCipher() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.socket().getInputStream().read(new byte[512]);
            c.close();
        })) {
            Report r = check(s);
            Finding f = Expect.finding(r, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE);
            assertTrue(f.message().contains("during the TLS handshake, in answer to the ClientHello"), f::toString);
            assertTrue(f.message().contains("also when offered every version and suite"), f::toString);
            assertTrue(Expect.evidence(f, "backendAccepted").startsWith("(no handshake succeeded"), f::toString);
            assertEquals("0", Expect.evidence(f, "chainLength"));
            assertFalse(r.has(Cause.TLS_NO_SHARED_CIPHER), r::toString);
        }
    }

    @Test
    void rstInAnswerToTheClientHelloIsResetConnectionNotNoSharedCipher() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.socket().getInputStream().read(new byte[512]);
            c.reset();
        })) {
            Report r = check(s);
            Finding f = Expect.finding(r, Cause.BACKEND_RESET_CONNECTION);
            assertTrue(f.message().contains("reset (RST) the connection during the TLS handshake"), f::toString);
            assertFalse(r.has(Cause.TLS_NO_SHARED_CIPHER), r::toString);
        }
    }

    private static Cause handshake(String lowerMessage) {
        return TransportRules.cause(FailureClassifier.handshake(lowerMessage)).orElseThrow();
    }

    @Test
    void onlyACipherAlertOrAnEndedConnectionIsReadFromTheMessage() {
        assertEquals(Cause.TLS_NO_SHARED_CIPHER, handshake("received fatal alert: handshake_failure"));
        assertEquals(Cause.TLS_NO_SHARED_CIPHER, handshake("received fatal alert: insufficient_security"));
        assertEquals(Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, handshake("remote host terminated the handshake"));
        assertEquals(Cause.BACKEND_RESET_CONNECTION, handshake("connection reset"));
    }
}
