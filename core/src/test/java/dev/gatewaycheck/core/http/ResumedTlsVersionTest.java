package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * After the gateway's handshake negotiated TLS 1.2, the run's HTTP connections offer TLS 1.2 only (no TLS 1.3 key
 * shares to compute); a connection whose backend refuses that version is made again offering every version, so a
 * backend address that is several servers with different versions is no finding.
 */
class ResumedTlsVersionTest {
    private static final Held CA = TestCertificates.ca("Resumed Version Root").build();
    private static final Held LEAF = TestCertificates.leaf("localhost", CA).sans("localhost").ipSans("127.0.0.1")
            .build();

    /** What each connection that carried a request negotiated. */
    private final ConcurrentLinkedQueue<String> served = new ConcurrentLinkedQueue<>();

    /**
     * A healthy TLS backend whose connections offer TLS 1.2 only until one handshake completed (the gateway's: the TLS
     * phase's), and {@code later} after it.
     */
    private FaultServer backend(String... later) {
        SSLContext context = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        AtomicBoolean handshaken = new AtomicBoolean();
        return FaultServer.tls(context, c -> {
            SSLSocket ssl = (SSLSocket) c.socket();
            boolean first = !handshaken.get();
            ssl.setEnabledProtocols(first ? new String[] {"TLSv1.2"} : later);
            ssl.startHandshake();
            handshaken.set(true);
            for (String h; (h = c.readRequest()) != null;) {
                served.add(ssl.getSession().getProtocol());
                c.write(FaultServer.okResponse("ok\n"));
            }
        });
    }

    private static Report check(FaultServer s) {
        return GatewayCheck.forBackend(s.url()).trusting(CA.certificate()).tls().probe()
                .timeout(Duration.ofSeconds(20)).run();
    }

    @Test
    void afterATls12HandshakeTheHttpConnectionsOfferTls12Only() {
        // the backend would choose TLS 1.3 on every later connection offering it: each chose TLS 1.2
        try (FaultServer s = backend("TLSv1.3", "TLSv1.2")) {
            Report r = check(s);
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(List.of("TLSv1.2"), served.stream().distinct().toList(), r::toString);
            // the forwarded request and its five, the body's second look, the four probes: none made twice (the
            // connect check's and the TLS phase's connections carry no request)
            assertEquals(11, served.size(), served::toString);
            assertEquals(served.size(), s.accepted() - 2, () -> served + " " + s.accepted());
        }
    }

    @Test
    void aConnectionWhoseBackendRefusesTls12IsMadeAgainOfferingEveryVersion() {
        // behind one address, the server the gateway's handshake met speaks TLS 1.2 only, the others TLS 1.3 only:
        // a gateway offering both gets through to each, so no finding
        try (FaultServer s = backend("TLSv1.3")) {
            Report r = check(s);
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(List.of("TLSv1.3"), served.stream().distinct().toList(), r::toString);
            // each of them was first asked for TLS 1.2 only: one refused connection more per connection served
            assertEquals(2 * served.size(), s.accepted() - 2, () -> served + " " + s.accepted());
        }
    }

    @Test
    void afterATls13HandshakeTheConnectionsOfferEveryVersion() {
        SSLContext context = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        try (FaultServer s = FaultServer.tls(context, c -> {
            SSLSocket ssl = (SSLSocket) c.socket();
            for (String h; (h = c.readRequest()) != null;) {
                served.add(ssl.getSession().getProtocol());
                c.write(FaultServer.okResponse("ok\n"));
            }
        })) {
            Report r = check(s);
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(List.of("TLSv1.3"), served.stream().distinct().toList(), r::toString);
        }
    }
}
