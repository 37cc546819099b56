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
import dev.gatewaycheck.GatewayProfile.CertificateValidation;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.judge.CertFacts;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.ReportSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTrustTest {

    @Test
    void correctChainWithPrivateRootPassedViaTrustingGivesNoTlsFinding(@TempDir Path dir) {
        Path pem = TestCertificates.writePem(dir.resolve("root.pem"), ROOT.certificate());
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(pem).run();
            ReportSchema.valid(r);
            Pki.noTlsFinding(r);
            Expect.noErrorOrWarning(r);
            assertTrue(r.timings().tls().isPresent(), r::toString);
        }
    }

    @Test
    void sameChainWithoutTrustingIsUntrustedCa() {
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_UNTRUSTED_CA);
            assertEquals("CN=Gateway Check Test Intermediate", Expect.evidence(f, "chainEndsIn"));
            assertEquals("CN=Gateway Check Test Root", Expect.evidence(f, "missingIssuer"));
            assertEquals("2", Expect.evidence(f, "chainLength"));
            assertEquals("CN=" + HOST, Expect.evidence(f, "chain[0].subject"));
            Pki.hasChainEvidence(f);
            assertFalse(r.has(Cause.TLS_CHAIN_INCOMPLETE), r::toString);
        }
    }

    @Test
    void selfSignedLeafIsTlsSelfSigned() {
        Held self = TestCertificates.leaf(HOST, null).build();
        try (FaultServer s = Pki.serve(self, self.certificate())) {
            Report r = Pki.check(s).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_SELF_SIGNED);
            assertEquals("CN=" + HOST, Expect.evidence(f, "chainEndsIn"));
            assertEquals("CN=" + HOST, Expect.evidence(f, "chain[0].issuer"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void selfSignedLeafUploadedAsTrustedRootPasses() {
        Held self = TestCertificates.leaf(HOST, null).build();
        try (FaultServer s = Pki.serve(self, self.certificate())) {
            Report r = Pki.check(s).trusting(self.certificate()).run();
            ReportSchema.valid(r);
            Pki.noTlsFinding(r);
        }
    }

    @Test
    void chainEndingInAnotherRootThanTheGivenOnesIsTrustedRootMismatch() {
        Held otherRoot = TestCertificates.ca("Some Other Root").build();
        GatewayProfile v2like = GatewayProfile.GENERIC.toBuilder().id("v2-like")
                .certificateValidation(CertificateValidation.TRUSTED_ROOTS).build();
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate(), ROOT.certificate())) {
            Report r = Pki.check(s).against(v2like).trusting(otherRoot.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_TRUSTED_ROOT_MISMATCH);
            assertEquals("CN=Gateway Check Test Root", Expect.evidence(f, "chainEndsIn"));
            assertTrue(Expect.evidence(f, "trustedRoots").contains("CN=Some Other Root"), f::toString);
            assertEquals("3", Expect.evidence(f, "chainLength"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void leafWhoseKeyIsNotAnUploadedAuthenticationCertificateIsNotAllowlisted() {
        Held renewed = TestCertificates.leaf(HOST, INTERMEDIATE).freshKey().build();
        GatewayProfile v1like = GatewayProfile.GENERIC.toBuilder().id("v1-like")
                .certificateValidation(CertificateValidation.ALLOWLIST).build();
        try (FaultServer s = Pki.serve(renewed, renewed.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).against(v1like).trusting(LEAF.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_NOT_ALLOWLISTED);
            assertEquals(CertFacts.keySha256(renewed.certificate().getPublicKey()),
                    Expect.evidence(f, "leafPublicKeySha256"));
            assertTrue(Expect.evidence(f, "allowlisted").contains("CN=" + HOST), f::toString);
            Pki.hasChainEvidence(f);
            // the allow-list is the whole trust model: no CA finding
            assertFalse(r.has(Cause.TLS_CERT_UNTRUSTED_CA), r::toString);
        }
    }

    @Test
    void leafWhoseKeyIsAllowlistedPasses() {
        GatewayProfile v1like = GatewayProfile.GENERIC.toBuilder().id("v1-like")
                .certificateValidation(CertificateValidation.ALLOWLIST).build();
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).against(v1like).trusting(LEAF.certificate()).run();
            ReportSchema.valid(r);
            Pki.noTlsFinding(r);
        }
    }

    @Test
    void leafWithoutItsIntermediateIsChainIncomplete() {
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CHAIN_INCOMPLETE);
            assertEquals("CN=Gateway Check Test Intermediate", Expect.evidence(f, "missingIssuer"));
            assertEquals("1", Expect.evidence(f, "chainLength"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void intermediateSentBeforeTheLeafIsChainMisordered() {
        try (FaultServer s = Pki.serve(LEAF, INTERMEDIATE.certificate(), LEAF.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CHAIN_MISORDERED);
            assertEquals("1", Expect.evidence(f, "leafPosition"));
            assertEquals("Gateway Check Test Intermediate > " + HOST, Expect.evidence(f, "order"));
            assertEquals("CN=Gateway Check Test Intermediate", Expect.evidence(f, "chain[0].subject"));
            Pki.hasChainEvidence(f);
            assertFalse(r.has(Cause.TLS_CERT_UNTRUSTED_CA), r::toString);
        }
    }

    @Test
    void rootBeforeIntermediateIsChainMisordered() {
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), ROOT.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CHAIN_MISORDERED);
            assertEquals("0", Expect.evidence(f, "leafPosition"));
            assertTrue(Expect.evidence(f, "problems").contains("chain[0]"), f::toString);
        }
    }

    @Test
    void trustingReadsAPemFileWithSeveralCertificates(@TempDir Path dir) throws Exception {
        Held other = TestCertificates.ca("Some Other Root").build();
        Path pem = TestCertificates.writePem(dir.resolve("roots.pem"), other.certificate(), ROOT.certificate());
        assertTrue(Files.readString(pem).contains("BEGIN CERTIFICATE"));
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate())) {
            Pki.noTlsFinding(Pki.check(s).trusting(pem).run());
        }
    }
}
