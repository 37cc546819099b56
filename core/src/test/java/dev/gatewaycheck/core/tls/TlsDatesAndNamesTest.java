package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static dev.gatewaycheck.core.tls.Pki.INTERMEDIATE;
import static dev.gatewaycheck.core.tls.Pki.LEAF;
import static dev.gatewaycheck.core.tls.Pki.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.CertificateValidation;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsDatesAndNamesTest {

    @Test
    void expiredLeafIsCertExpiredWithNotAfter() {
        Held expired = TestCertificates.leaf(HOST, INTERMEDIATE).expired().build();
        try (FaultServer s = Pki.serve(expired, expired.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_EXPIRED, Severity.ERROR);
            assertEquals(expired.certificate().getNotAfter().toInstant().toString(), Expect.evidence(f, "notAfter"));
            assertEquals("2", Expect.evidence(f, "daysAgo"));
            assertTrue(Expect.evidence(f, "expired").startsWith("chain[0] CN=" + HOST), f::toString);
            assertEquals(502, f.gatewayStatus());
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void expiredLeafUnderAYoungerIntermediateIsOnlyCertExpired() {
        // the leaf expired before its intermediate was issued: no instant exists where both are valid
        java.time.Instant now = java.time.Instant.now();
        Held young = TestCertificates.intermediate("Young Intermediate", ROOT)
                .valid(now.minus(java.time.Duration.ofDays(1)), now.plus(java.time.Duration.ofDays(365))).build();
        Held expired = TestCertificates.leaf(HOST, young).expired().build();
        try (FaultServer s = Pki.serve(expired, expired.certificate(), young.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Expect.finding(r, Cause.TLS_CERT_EXPIRED, Severity.ERROR);
            assertEquals(List.of(Cause.TLS_CERT_EXPIRED), r.findings().stream().map(Finding::cause).toList(),
                    r::toString);
        }
    }

    @Test
    void expiredIntermediateIsCertExpired() {
        Held oldInter = TestCertificates.intermediate("Expired Intermediate", ROOT).expired().build();
        Held leaf = TestCertificates.leaf(HOST, oldInter).build();
        try (FaultServer s = Pki.serve(leaf, leaf.certificate(), oldInter.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_EXPIRED);
            assertTrue(Expect.evidence(f, "expired").startsWith("chain[1] CN=Expired Intermediate"), f::toString);
            assertEquals("CN=Expired Intermediate", Expect.evidence(f, "chain[1].subject"));
        }
    }

    @Test
    void certificateNotValidYetIsNotYetValid() {
        Held early = TestCertificates.leaf(HOST, INTERMEDIATE).notYetValid().build();
        try (FaultServer s = Pki.serve(early, early.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_NOT_YET_VALID);
            assertEquals(early.certificate().getNotBefore().toInstant().toString(), Expect.evidence(f, "notBefore"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void certificateExpiringWithinTheProfileWindowIsAWarningWithDaysLeft() {
        Held soon = TestCertificates.leaf(HOST, INTERMEDIATE).expiresIn(Duration.ofDays(10).plusHours(1)).build();
        try (FaultServer s = Pki.serve(soon, soon.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_EXPIRING_SOON, Severity.WARNING);
            assertEquals("10", Expect.evidence(f, "daysLeft"));
            assertEquals(soon.certificate().getNotAfter().toInstant().toString(), Expect.evidence(f, "notAfter"));
            assertEquals("30", Expect.evidence(f, "warningWindowDays"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void theInjectedClockJudgesDates() {
        Clock later = Clock.fixed(Instant.now().plus(400, ChronoUnit.DAYS), ZoneOffset.UTC);
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).withClock(later).run();
            ReportSchema.valid(r);
            Expect.finding(r, Cause.TLS_CERT_EXPIRED);
        }
    }

    @Test
    void certificateForAnotherNameIsHostnameMismatchWithNameSansAndCn() {
        Held other = TestCertificates.leaf("api.example.test", INTERMEDIATE).sans("api.example.test",
                "*.api.example.test").build();
        try (FaultServer s = Pki.serve(other, other.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_HOSTNAME_MISMATCH);
            assertEquals(HOST, Expect.evidence(f, "nameAsked"));
            assertEquals("DNS:api.example.test, DNS:*.api.example.test", Expect.evidence(f, "sans"));
            assertEquals("api.example.test", Expect.evidence(f, "cn"));
            assertEquals(HOST, Expect.evidence(f, "sni"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void wildcardSanCoversTheHost() {
        Held wild = TestCertificates.leaf("*.example.test", INTERMEDIATE).build();
        try (FaultServer s = Pki.serve(wild, wild.certificate(), INTERMEDIATE.certificate())) {
            Pki.noTlsFinding(Pki.check(s).trusting(ROOT.certificate()).run());
        }
    }

    @Test
    void ipAddressHostIsCheckedAgainstIpSans() {
        Held byIp = TestCertificates.leaf("backend", INTERMEDIATE).sans("backend").ipSans("127.0.0.1").build();
        try (FaultServer s = Pki.serve(byIp, byIp.certificate(), INTERMEDIATE.certificate())) {
            Report r = dev.gatewaycheck.GatewayCheck.forBackend(s.url()).tls().trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Pki.noTlsFinding(r);
        }
        try (FaultServer s = Pki.serve(LEAF, LEAF.certificate(), INTERMEDIATE.certificate())) {
            Report r = dev.gatewaycheck.GatewayCheck.forBackend(s.url()).tls().trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            assertEquals("127.0.0.1", Expect.evidence(Expect.finding(r, Cause.TLS_CERT_HOSTNAME_MISMATCH),
                    "nameAsked"));
        }
    }

    @Test
    void expiredWrongNameAndIncompleteChainAreAllReported() {
        Held bad = TestCertificates.leaf("old.example.test", INTERMEDIATE).expired().build();
        try (FaultServer s = Pki.serve(bad, bad.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding expired = Expect.finding(r, Cause.TLS_CERT_EXPIRED);
            Finding name = Expect.finding(r, Cause.TLS_CERT_HOSTNAME_MISMATCH);
            Finding incomplete = Expect.finding(r, Cause.TLS_CHAIN_INCOMPLETE);
            assertEquals("DNS:old.example.test", Expect.evidence(name, "sans"));
            assertEquals("CN=Gateway Check Test Intermediate", Expect.evidence(incomplete, "missingIssuer"));
            for (Finding f : new Finding[] {expired, name, incomplete}) {
                assertEquals(Severity.ERROR, f.severity(), f::toString);
                Pki.hasChainEvidence(f);
            }
        }
    }

    @Test
    void gatewayThatDoesNotValidateGetsCertificateProblemsAsWarnings() {
        GatewayProfile albLike = GatewayProfile.GENERIC.toBuilder().id("no-verify").name("no-verify gateway")
                .certificateValidation(CertificateValidation.NONE).build();
        Held bad = TestCertificates.leaf("old.example.test", null).expired().build();
        try (FaultServer s = Pki.serve(bad, bad.certificate())) {
            Report r = Pki.check(s).against(albLike).run();
            ReportSchema.valid(r);
            for (Cause c : new Cause[] {Cause.TLS_CERT_EXPIRED, Cause.TLS_CERT_HOSTNAME_MISMATCH,
                Cause.TLS_SELF_SIGNED}) {
                Finding f = Expect.finding(r, c, Severity.WARNING);
                assertTrue(f.message().contains("not a 502 cause for this gateway"), f::toString);
                assertEquals(0, f.gatewayStatus(), f::toString);
            }
            assertTrue(r.isHealthy(), r::toString);
        }
    }
}
