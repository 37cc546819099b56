package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static dev.gatewaycheck.core.tls.Pki.INTERMEDIATE;
import static dev.gatewaycheck.core.tls.Pki.LEAF;
import static dev.gatewaycheck.core.tls.Pki.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.ReportSchema;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class TlsPropertiesTest {

    @Test
    void extendedKeyUsageWithoutServerAuthIsPropertiesUnsupported() {
        Held clientOnly = TestCertificates.leaf(HOST, INTERMEDIATE).eku(KeyPurposeId.id_kp_clientAuth).freshKey()
                .build();
        try (FaultServer s = Pki.serve(clientOnly, clientOnly.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_PROPERTIES_UNSUPPORTED);
            assertTrue(Expect.evidence(f, "problems").contains("lacks serverAuth"), f::toString);
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void ecKeyOnP521IsPropertiesUnsupported() {
        Held p521 = TestCertificates.leaf(HOST, INTERMEDIATE).ec("secp521r1").build();
        try (FaultServer s = Pki.serve(p521, p521.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_PROPERTIES_UNSUPPORTED);
            assertTrue(Expect.evidence(f, "problems").contains("EC P-521"), f::toString);
            assertEquals("EC P-521", Expect.evidence(f, "chain[0].key"));
        }
    }

    @Test
    void ecKeyOnP256Passes() {
        Held p256 = TestCertificates.leaf(HOST, INTERMEDIATE).ec("secp256r1").build();
        try (FaultServer s = Pki.serve(p256, p256.certificate(), INTERMEDIATE.certificate())) {
            Pki.noTlsFinding(Pki.check(s).trusting(ROOT.certificate()).run());
        }
    }

    @Test
    void chainLongerThanTheProfileAllowsIsPropertiesUnsupported() {
        GatewayProfile shortChains = GatewayProfile.GENERIC.toBuilder().id("short-chains").maxChainLength(2).build();
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate(), ROOT.certificate())) {
            Report r = Pki.check(s).against(shortChains).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_PROPERTIES_UNSUPPORTED);
            assertEquals("2", Expect.evidence(f, "gatewayMaxChainLength"));
            assertEquals("3", Expect.evidence(f, "chainLength"));
        }
    }

    @Test
    void sha1SignatureIsAWeakCertificateWarning() {
        Held sha1 = TestCertificates.leaf(HOST, INTERMEDIATE).signature("SHA1withRSA").build();
        try (FaultServer s = Pki.serve(sha1, sha1.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_WEAK_CERTIFICATE, Severity.WARNING);
            assertTrue(Expect.evidence(f, "problems").contains("SHA1withRSA"), f::toString);
            assertEquals("SHA1withRSA", Expect.evidence(f, "chain[0].signature"));
            assertFalse(r.has(Cause.TLS_CERT_PROPERTIES_UNSUPPORTED), r::toString);
        }
    }

    @Test
    void rsa1024KeyIsWeakAndOutsideTheAcceptedSizes() {
        Held small = TestCertificates.leaf(HOST, INTERMEDIATE).rsa(1024).build();
        try (FaultServer s = Pki.serve(small, small.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding weak = Expect.finding(r, Cause.TLS_WEAK_CERTIFICATE, Severity.WARNING);
            assertEquals("RSA 1024", Expect.evidence(weak, "chain[0].key"));
            Finding props = Expect.finding(r, Cause.TLS_CERT_PROPERTIES_UNSUPPORTED);
            assertTrue(Expect.evidence(props, "problems").contains("RSA 1024-bit"), props::toString);
        }
    }
}
