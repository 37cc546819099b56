package example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import org.junit.jupiter.api.Test;

/** README's application-code recipe against an HTTPS loopback backend: TLS, the request and the probe, no Bouncy Castle. */
class ApplicationCodeTest {

    @Test
    void applicationCodeChecksAnHttpsBackendWithTheGatewaysRoots() throws Exception {
        HttpsServer backend = Backends.https();
        try {
            Report report = BackendCheck.check(Backends.url(backend));
            assertTrue(report.isHealthy(), report::toString);
            assertTrue(report.checks().contains(Check.TLS), report::toString);
            assertFalse(report.phases().isEmpty(), report::toString);
            assertTrue(report.timings().tlsOrNull() != null, "the TLS phase ran: " + report);
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void thisProjectHasNoBouncyCastleAndRevocationSaysWhatToAdd() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bouncycastle.cert.ocsp.OCSPReqBuilder"),
                "README's dependencies bring no Bouncy Castle: the checks above ran without it");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GatewayCheck.forBackend("https://127.0.0.1:1").tls().checkingRevocation().run());
        assertTrue(e.getMessage().contains("org.bouncycastle:bcpkix-jdk18on"), e.getMessage());
    }
}
