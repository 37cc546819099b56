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
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.TestCertificates.Served;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

class TlsHandshakeTest {

    /** Like nginx's proxy_ssl defaults: no SNI upstream. */
    private static final GatewayProfile NO_SNI = GatewayProfile.GENERIC.toBuilder().id("no-sni").sendsSni(false)
            .build();
    private static final Served GOOD = TestCertificates.served(LEAF.privateKey(), LEAF.certificate(),
            INTERMEDIATE.certificate());
    private static final Held DEFAULT_CERT = TestCertificates.leaf("default.example.test", INTERMEDIATE).build();
    private static final Served DEFAULT = TestCertificates.served(DEFAULT_CERT.privateKey(),
            DEFAULT_CERT.certificate(), INTERMEDIATE.certificate());

    /** The TLS check makes at most six handshakes, the first on the connect phase's connection. */
    private static void atMostSixHandshakes(FaultServer s) {
        assertTrue(s.accepted() <= 6, () -> "the TLS check needs at most six handshakes, the server accepted "
                + s.accepted() + " connections");
    }

    private static FaultServer tls(SSLContext c, java.util.function.Consumer<javax.net.ssl.SSLServerSocket> adjust) {
        return FaultServer.tls(c, FaultServer.ok(), adjust);
    }

    @Test
    void backendOfferingOnlyTls13ToAGatewayOfferingOnlyTls12IsProtocolVersionMismatch() {
        GatewayProfile tls12 = GatewayProfile.GENERIC.toBuilder().id("tls12").tlsProtocols("TLSv1.2").build();
        try (FaultServer s = tls(TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(),
                INTERMEDIATE.certificate()), ss -> ss.setEnabledProtocols(new String[] {"TLSv1.3"}))) {
            Report r = Pki.check(s).against(tls12).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_PROTOCOL_VERSION_MISMATCH);
            assertTrue(Expect.evidence(f, "alert").contains("protocol_version"), f::toString);
            assertEquals("TLSv1.2", Expect.evidence(f, "gatewayOfferedProtocols"));
            assertTrue(Expect.evidence(f, "backendAccepted").startsWith("TLSv1.3 "), f::toString);
            assertEquals("TLSv1.3", Expect.evidence(f, "tlsProtocol"));
            Pki.hasChainEvidence(f);
            PhaseResult request = r.phase(Phase.TLS).orElseThrow();
            assertEquals(PhaseResult.Status.FOUND_PROBLEMS, request.status(), r::toString);
            atMostSixHandshakes(s);
        }
    }

    @Test
    void backendWithNoSuiteTheGatewayOffersIsNoSharedCipher() {
        GatewayProfile aes128 = GatewayProfile.GENERIC.toBuilder().id("aes128").tlsProtocols("TLSv1.2")
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build();
        try (FaultServer s = tls(TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(),
                INTERMEDIATE.certificate()), ss -> {
                    ss.setEnabledProtocols(new String[] {"TLSv1.2"});
                    ss.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"});
                })) {
            Report r = Pki.check(s).against(aes128).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_NO_SHARED_CIPHER);
            assertTrue(Expect.evidence(f, "alert").contains("handshake_failure"), f::toString);
            assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Expect.evidence(f, "gatewayOfferedCiphers"));
            assertEquals("TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Expect.evidence(f, "backendAccepted"));
            assertFalse(r.has(Cause.TLS_PROTOCOL_VERSION_MISMATCH), r::toString);
            Pki.hasChainEvidence(f);
            atMostSixHandshakes(s);
        }
    }

    @Test
    void backendThatNeverAnswersTheClientHelloIsHandshakeTimeout() {
        GatewayProfile quick = GatewayProfile.GENERIC.toBuilder().id("quick")
                .tlsHandshakeTimeout(Duration.ofMillis(300)).build();
        SSLContext c = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate());
        try (FaultServer s = FaultServer.tls(c, conn -> conn.hold(Duration.ofSeconds(5)))) {
            long start = System.nanoTime();
            Report r = Pki.check(s).against(quick).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_HANDSHAKE_TIMEOUT);
            assertEquals("0.3", Expect.evidence(f, "gatewayTlsHandshakeTimeoutSeconds"));
            assertEquals("(none: handshake failed)", Expect.evidence(f, "tlsProtocol"));
            assertTrue(System.nanoTime() - start < 3_000_000_000L, r::toString);
            assertEquals(1, s.accepted(), "one connection, its handshake on the connect's: timeouts are not retried");
        }
    }

    @Test
    void plaintextPortIsProtocolPortMismatch() {
        // an HTTP server answers the ClientHello bytes with a 400, as nginx and Apache do
        try (FaultServer s = FaultServer.plain(c -> {
            c.socket().getInputStream().read(new byte[512]);
            c.write(FaultServer.response(400, "Bad Request", "plain HTTP here\n", "Connection: close"));
        })) {
            Report r = GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).withHost(HOST).tls().run();
            ReportSchema.valid(r);
            Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH);
        }
    }

    @Test
    void backendRequiringAClientCertificateIsBackendRequiresClientCert() {
        Held clientCa = TestCertificates.ca("Gateway Client CA").build();
        try (FaultServer s = tls(TestCertificates.servingTrustingClients(GOOD, clientCa.certificate()),
                ss -> ss.setNeedClientAuth(true))) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.BACKEND_REQUIRES_CLIENT_CERT);
            assertEquals("true", Expect.evidence(f, "clientCertificateRequested"));
            assertEquals("false", Expect.evidence(f, "clientCertificatePresented"));
            Pki.hasChainEvidence(f);
            atMostSixHandshakes(s);
        }
    }

    @Test
    void presentingTheClientCertificateTheBackendTrustsPasses() {
        Held clientCa = TestCertificates.ca("Gateway Client CA").build();
        Held client = TestCertificates.leaf("gateway-client", clientCa).eku(KeyPurposeId.id_kp_clientAuth).build();
        try (FaultServer s = tls(TestCertificates.servingTrustingClients(GOOD, clientCa.certificate()),
                ss -> ss.setNeedClientAuth(true))) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).probe()
                    .withClientCertificate(TestCertificates.keyStore(client), "changeit".toCharArray()).run();
            ReportSchema.valid(r);
            Pki.noTlsFinding(r);
            // the forwarded request and the health probe present the certificate too
            Expect.noErrorOrWarning(r);
            assertEquals(dev.gatewaycheck.PhaseResult.Status.PASSED,
                    r.phase(dev.gatewaycheck.Phase.REQUEST).orElseThrow().status(), r::toString);
        }
    }

    @Test
    void backendWithoutDefaultCertificateFailsWithoutSniForAGatewaySendingNone() {
        try (FaultServer s = tls(TestCertificates.sniServing(Map.of(HOST, GOOD), null), null)) {
            Report r = Pki.check(s).against(NO_SNI).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_SNI_REQUIRED_NOT_SENT, Severity.ERROR);
            assertEquals("(none)", Expect.evidence(f, "sni"));
            assertTrue(Expect.evidence(f, "alert").contains("handshake_failure"), f::toString);
            assertTrue(Expect.evidence(f, "backendAccepted").startsWith("TLS"), f::toString);
            Pki.hasChainEvidence(f);
            assertEquals(PhaseResult.Status.FOUND_PROBLEMS, r.phase(Phase.TLS).orElseThrow().status());
            atMostSixHandshakes(s);
        }
    }

    @Test
    void backendWithoutDefaultCertificateIsAWarningForAGatewaySendingSni() {
        try (FaultServer s = tls(TestCertificates.sniServing(Map.of(HOST, GOOD), null), null)) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_SNI_REQUIRED_NOT_SENT, Severity.WARNING);
            assertTrue(Expect.evidence(f, "withoutSni").startsWith("handshake failed"), f::toString);
            assertTrue(f.message().contains("127.0.0.1"), f::toString);
            assertEquals(1, r.findings(dev.gatewaycheck.Category.TLS).size(), r::toString);
            atMostSixHandshakes(s);
        }
    }

    @Test
    void backendPresentingAnotherCertificateWithoutSniIsSniRequired() {
        try (FaultServer s = tls(TestCertificates.sniServing(Map.of(HOST, GOOD), DEFAULT), null)) {
            Report r = Pki.check(s).against(NO_SNI).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_SNI_REQUIRED_NOT_SENT, Severity.ERROR);
            assertTrue(Expect.evidence(f, "withoutSni").startsWith("CN=default.example.test"), f::toString);
            assertTrue(Expect.evidence(f, "withSni").startsWith(HOST + " -> CN=" + HOST), f::toString);
            // the gateway, sending no SNI, gets the default certificate
            Finding name = Expect.finding(r, Cause.TLS_CERT_HOSTNAME_MISMATCH);
            assertEquals("DNS:default.example.test", Expect.evidence(name, "sans"));
            assertFalse(r.has(Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND), r::toString);
            atMostSixHandshakes(s);
        }
    }

    @Test
    void backendPresentingTheSameCertificateWhateverTheNameIsSniNotSupported() {
        try (FaultServer s = tls(TestCertificates.serving(DEFAULT_CERT.privateKey(), DEFAULT_CERT.certificate(),
                INTERMEDIATE.certificate()), null)) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND);
            assertTrue(Expect.evidence(f, "namesTried").startsWith(HOST + ", "), f::toString);
            assertTrue(Expect.evidence(f, "sameCertificate").startsWith("CN=default.example.test sha256 "),
                    f::toString);
            Expect.finding(r, Cause.TLS_CERT_HOSTNAME_MISMATCH);
            assertFalse(r.has(Cause.TLS_SNI_REQUIRED_NOT_SENT), r::toString);
            atMostSixHandshakes(s);
        }
    }

    @Test
    void backendServingTheRightCertificateByNameHasNoSniFinding() {
        try (FaultServer s = tls(TestCertificates.sniServing(Map.of(HOST, GOOD), GOOD), null)) {
            Pki.noTlsFinding(Pki.check(s).trusting(ROOT.certificate()).run());
        }
    }
}
