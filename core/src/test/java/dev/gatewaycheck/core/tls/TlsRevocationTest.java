package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static dev.gatewaycheck.core.tls.Pki.INTERMEDIATE;
import static dev.gatewaycheck.core.tls.Pki.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Revocation against an OCSP responder and a CRL server of our own on loopback. */
class TlsRevocationTest {

    private HttpServer responder;
    private final Set<BigInteger> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startResponder() throws IOException {
        responder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        responder.createContext("/ocsp", ex -> {
            requests.incrementAndGet();
            byte[] request;
            try (InputStream in = ex.getRequestBody()) {
                request = in.readNBytes(64 * 1024);
            }
            byte[] body = TestCertificates.ocspResponse(INTERMEDIATE, request, revoked);
            ex.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        responder.createContext("/crl", ex -> {
            requests.incrementAndGet();
            byte[] body;
            try {
                body = TestCertificates.crl(INTERMEDIATE, revoked.toArray(new BigInteger[0])).getEncoded();
            } catch (java.security.cert.CRLException e) {
                throw new IOException(e);
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        responder.start();
    }

    @AfterEach
    void stopResponder() {
        responder.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + responder.getAddress().getPort() + path;
    }

    @Test
    void leafRevokedAccordingToItsOcspResponderIsCertRevoked() {
        Held leaf = TestCertificates.leaf(HOST, INTERMEDIATE).ocsp(url("/ocsp")).freshKey().build();
        revoked.add(leaf.certificate().getSerialNumber());
        try (FaultServer s = Pki.serve(leaf, leaf.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).checkingRevocation().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_REVOKED);
            assertEquals("OCSP " + url("/ocsp"), Expect.evidence(f, "revocationSource"));
            assertTrue(Expect.evidence(f, "revocation").toUpperCase().contains("KEY_COMPROMISE"), f::toString);
            assertEquals(leaf.certificate().getSerialNumber().toString(16), Expect.evidence(f, "serial"));
            Pki.hasChainEvidence(f);
        }
    }

    @Test
    void leafListedOnItsCrlIsCertRevoked() {
        Held leaf = TestCertificates.leaf(HOST, INTERMEDIATE).crl(url("/crl")).freshKey().build();
        revoked.add(leaf.certificate().getSerialNumber());
        try (FaultServer s = Pki.serve(leaf, leaf.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).checkingRevocation().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.TLS_CERT_REVOKED);
            assertEquals("CRL " + url("/crl"), Expect.evidence(f, "revocationSource"));
        }
    }

    @Test
    void leafTheResponderCallsGoodHasNoFinding() {
        Held leaf = TestCertificates.leaf(HOST, INTERMEDIATE).ocsp(url("/ocsp")).freshKey().build();
        try (FaultServer s = Pki.serve(leaf, leaf.certificate(), INTERMEDIATE.certificate())) {
            Report r = Pki.check(s).trusting(ROOT.certificate()).checkingRevocation().run();
            ReportSchema.valid(r);
            Pki.noTlsFinding(r);
            assertEquals(1, requests.get());
        }
    }

    @Test
    void revocationIsNotAskedUnlessTheUserOptsIn() {
        Held leaf = TestCertificates.leaf(HOST, INTERMEDIATE).ocsp(url("/ocsp")).freshKey().build();
        revoked.add(leaf.certificate().getSerialNumber());
        try (FaultServer s = Pki.serve(leaf, leaf.certificate(), INTERMEDIATE.certificate())) {
            Pki.noTlsFinding(Pki.check(s).trusting(ROOT.certificate()).run());
            assertEquals(0, requests.get());
        }
    }
}
