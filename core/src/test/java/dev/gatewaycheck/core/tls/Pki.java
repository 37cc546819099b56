package dev.gatewaycheck.core.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Category;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.security.cert.X509Certificate;
import java.time.Duration;

/** The private PKI the TLS tests share: a root, an intermediate and a good leaf for {@link #HOST}. */
final class Pki {
    static final String HOST = "www.example.test";
    static final Held ROOT = TestCertificates.ca("Gateway Check Test Root").build();
    static final Held INTERMEDIATE = TestCertificates.intermediate("Gateway Check Test Intermediate", ROOT).build();
    static final Held LEAF = TestCertificates.leaf(HOST, INTERMEDIATE).build();

    private Pki() {
    }

    /** A TLS backend on loopback presenting exactly {@code chain} with {@code key}, answering 200. */
    static FaultServer serve(Held keyOwner, X509Certificate... chain) {
        return FaultServer.tls(TestCertificates.serving(keyOwner.privateKey(), chain), FaultServer.ok());
    }

    /** The TLS check of {@code s} with Host {@link #HOST}. */
    static GatewayCheck check(FaultServer s) {
        return GatewayCheck.forBackend(s.url()).withHost(HOST).tls().timeout(Duration.ofSeconds(15));
    }

    /** Asserts no TLS finding at all. */
    static void noTlsFinding(Report r) {
        assertTrue(r.findings(Category.TLS).isEmpty(), () -> "Expecting no TLS finding but the report was:\n" + r);
    }

    /** Asserts the finding's evidence carries the presented chain and the negotiated version and suite. */
    static void hasChainEvidence(dev.gatewaycheck.Finding f) {
        for (String k : new String[] {"tlsProtocol", "cipherSuite", "chain[0].subject", "chain[0].issuer",
            "chain[0].sans", "chain[0].notBefore", "chain[0].notAfter", "chain[0].key", "chain[0].signature",
            "chain[0].sha256"}) {
            dev.gatewaycheck.testkit.Expect.evidence(f, k);
        }
    }
}
