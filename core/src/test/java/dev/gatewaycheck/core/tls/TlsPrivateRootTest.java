package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A leaf signed directly by a private root, served alone (servers normally do not send the root): nothing says its
 * issuer is an intermediate, so the finding is an untrusted CA whose remedy covers both readings, not an incomplete
 * chain telling to serve an intermediate that may not exist.
 */
class TlsPrivateRootTest {
    static final Held PRIVATE_ROOT = TestCertificates.ca("Gateway Check Private Root").build();
    static final Held DIRECT_LEAF = TestCertificates.leaf(HOST, PRIVATE_ROOT).build();

    private static void untrustedNotIncomplete(Report r) {
        Finding f = Expect.finding(r, Cause.TLS_CERT_UNTRUSTED_CA);
        assertFalse(r.has(Cause.TLS_CHAIN_INCOMPLETE), r::toString);
        assertEquals("CN=Gateway Check Private Root", Expect.evidence(f, "missingIssuer"));
        assertEquals("unknown", Expect.evidence(f, "issuerIsIntermediate"));
        assertEquals("1", Expect.evidence(f, "chainLength"));
        assertTrue(f.remedy().contains("private root") && f.remedy().contains("trusting(...)"), f::toString);
        assertTrue(f.remedy().contains("if it is an intermediate, serve it"), f::toString);
        Pki.hasChainEvidence(f);
    }

    @Test
    void privateRootLeafAloneOnRealNginxIsUntrustedCaNotChainIncomplete() throws Exception {
        try (Nginx nginx = Nginx.serving(DIRECT_LEAF)) {
            untrustedNotIncomplete(GatewayCheck.forBackend(nginx.url()).withHost(HOST).tls()
                    .timeout(Duration.ofSeconds(15)).run());
        }
    }

    @Test
    void privateRootLeafAloneInJvmIsUntrustedCaAndPassesOnceTheRootIsTrusted() {
        try (FaultServer s = Pki.serve(DIRECT_LEAF, DIRECT_LEAF.certificate())) {
            untrustedNotIncomplete(Pki.check(s).run());
            Pki.noTlsFinding(Pki.check(s).trusting(PRIVATE_ROOT.certificate()).run());
        }
    }

    @Test
    void leafWithoutItsIntermediateUnderGivenRootsStaysChainIncompleteNamingBothRemedies() {
        try (FaultServer s = Pki.serve(Pki.LEAF, Pki.LEAF.certificate())) {
            Report r = Pki.check(s).trusting(Pki.ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CHAIN_INCOMPLETE);
            assertTrue(f.remedy().startsWith("Serve the full chain"), f::toString);
            assertTrue(f.remedy().contains("is itself a root"), f::toString);
            assertFalse(r.has(Cause.TLS_CERT_UNTRUSTED_CA), r::toString);
        }
    }
}
