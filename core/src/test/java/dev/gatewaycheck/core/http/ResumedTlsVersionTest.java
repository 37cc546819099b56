package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RequestHead;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private static final Held LEAF = TestCertificates.loopbackLeaf(CA).build();

    /** What each connection that carried a request negotiated, or what the bad server of a pool did. */
    private final ConcurrentLinkedQueue<String> served = new ConcurrentLinkedQueue<>();

    /**
     * A healthy TLS backend whose first connection (the connect check's, which carries the TLS phase's handshake: the
     * gateway's) offers TLS 1.2 only, and the later ones {@code later}.
     */
    private FaultServer backend(String... later) {
        return backend(false, later);
    }

    /** The same; {@code hosts}: each request is recorded with its Host first. */
    private FaultServer backend(boolean hosts, String... later) {
        SSLContext context = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        return FaultServer.tls(context, c -> {
            SSLSocket ssl = (SSLSocket) c.socket();
            ssl.setEnabledProtocols(c.index() == 0 ? new String[] {"TLSv1.2"} : later);
            for (String h; (h = c.readRequest()) != null;) {
                served.add(hosts ? RequestHead.parse(h).host() + " " + ssl.getSession().getProtocol()
                        : ssl.getSession().getProtocol());
                c.write(FaultServer.okResponse("ok\n"));
            }
        });
    }

    private static Report check(FaultServer s) {
        return GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).trusting(CA.certificate()).tls().probe()
                .timeout(Duration.ofSeconds(20)).run();
    }

    @Test
    void afterATls12HandshakeTheHttpConnectionsOfferTls12Only() {
        // the backend would choose TLS 1.3 on every later connection offering it: each chose TLS 1.2
        try (FaultServer s = backend("TLSv1.3", "TLSv1.2")) {
            Report r = check(s);
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(List.of("TLSv1.2"), served.stream().distinct().toList(), r::toString);
            // the forwarded request (on the connect check's connection, which the TLS phase handshook) and its five,
            // the body's second look, the four probes: none made twice, no connection without a request
            assertEquals(11, served.size(), served::toString);
            assertEquals(served.size(), s.accepted(), () -> served + " " + s.accepted());
        }
    }

    @Test
    void aConnectionWhoseBackendRefusesTls12IsMadeAgainOfferingEveryVersion() {
        // behind one address, the server the gateway's handshake met speaks TLS 1.2 only, the others TLS 1.3 only:
        // a gateway offering both gets through to each, so no finding
        try (FaultServer s = backend("TLSv1.3")) {
            Report r = check(s);
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            // the forwarded request went on the gateway's handshaken connection (TLS 1.2); the series that then met
            // the refusal offering TLS 1.2 only was sent again offering every version, on new connections
            assertEquals("TLSv1.2", served.peek(), served::toString);
            assertEquals(List.of("TLSv1.3"), served.stream().skip(1).distinct().toList(), r::toString);
            assertTrue(served.size() >= 12, served::toString);
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

    @Test
    void aPoolMemberRefusingEveryVersionIsStillSeenInItsShareOfTheTraffic() {
        // one server in three behind the address answers every ClientHello with a protocol_version alert: a gateway
        // offering TLS 1.2 and 1.3 fails one connection in three, with or without the pin
        for (int residue : new int[] {1, 2}) {   // 0 would be the TLS phase's own connection
            served.clear();
            try (FaultServer s = rotatingPool(residue, Bad.REFUSES_EVERY_VERSION)) {
                Report r = check(s);
                Finding traffic = r.findings().stream().filter(f -> f.evidence().has("failureShare")).findFirst()
                        .orElseThrow(() -> new AssertionError(r.toString()));
                assertEquals("6", Expect.evidence(traffic, "attempts"), traffic::toString);
                assertEquals("2", Expect.evidence(traffic, "failed"), traffic::toString);
                assertTrue(r.findings().stream().anyMatch(f -> f.cause() == Cause.PROBE_INTERMITTENT_FAILURE),
                        r::toString);
            }
        }
    }

    @Test
    void aPoolMemberResettingAClientHelloWithoutTls13IsNoFinding() {
        // one server in three speaks TLS 1.3 only and resets a ClientHello that does not offer it (no alert): the
        // gateway, offering both, reaches every server; the pinned connections that met it are sent again unpinned
        for (int residue : new int[] {1, 2}) {   // 0 would be the gateway's handshake, offering TLS 1.3
            served.clear();
            try (FaultServer s = rotatingPool(residue, Bad.TLS13_ONLY_RESETTING)) {
                Report r = check(s);
                assertTrue(r.isClean() && r.isHealthy(), r::toString);
                assertTrue(served.contains("reset"), served::toString);
                assertTrue(served.contains("TLSv1.3") && served.contains("TLSv1.2"), served::toString);
            }
        }
    }

    @Test
    void aProbeToAnotherHostIsNotPinned() {
        // the pin holds for the address and Host the gateway's handshake was made with: another Host (another SNI
        // name) may be another virtual host with versions of its own, so its probes offer every version
        try (FaultServer s = backend(true, "TLSv1.3", "TLSv1.2")) {
            Report r = GatewayCheck.forBackend(s.url()).trusting(CA.certificate()).tls()
                    .probe(dev.gatewaycheck.ProbeSpec.builder().host("localhost").path("/").build())
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isHealthy(), r::toString);
            assertEquals(List.of("127.0.0.1 TLSv1.2", "localhost TLSv1.3"),
                    served.stream().distinct().sorted().toList(), r::toString);
        }
    }

    @Test
    void withAClientCertificateTheConnectionsResumeOneSessionPinned() {
        // mTLS against a TLS 1.2 backend: the run's connections share one context, so they resume its sessions
        Held clientCa = TestCertificates.ca("Resumed Client CA").build();
        Held client = TestCertificates.leaf("gateway-client", clientCa)
                .eku(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth).build();
        SSLContext context = TestCertificates.servingTrustingClients(TestCertificates.served(LEAF.privateKey(),
                LEAF.certificate(), CA.certificate()), clientCa.certificate());
        java.util.Set<String> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (FaultServer s = FaultServer.tls(context, c -> {
            SSLSocket ssl = (SSLSocket) c.socket();
            for (String h; (h = c.readRequest()) != null;) {
                served.add(ssl.getSession().getProtocol());
                sessions.add(java.util.HexFormat.of().formatHex(ssl.getSession().getId()));
                c.write(FaultServer.okResponse("ok\n"));
            }
        }, server -> {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {"TLSv1.2"});
        })) {
            Report r = GatewayCheck.forBackend(s.url()).trusting(CA.certificate()).tls().probe()
                    .withClientCertificate(TestCertificates.keyStore(client), "changeit".toCharArray())
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(List.of("TLSv1.2"), served.stream().distinct().toList(), r::toString);
            // the first three run at once (HttpExchange.parallelism over TLS: three full handshakes at most), every
            // later one resumes
            assertTrue(served.size() >= 11 && sessions.size() <= 3, () -> sessions + " for " + served);
        }
    }

    /** What the bad member of {@link #rotatingPool} does. */
    private enum Bad { REFUSES_EVERY_VERSION, TLS13_ONLY_RESETTING }

    /**
     * Three servers behind one address, as an L4 balancer spreads connections: connection k goes to the bad one
     * when k % 3 == residue, else to a healthy TLS 1.2-only server.
     */
    private FaultServer rotatingPool(int residue, Bad bad) {
        SSLContext context = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        return FaultServer.plain(c -> {
            Socket raw = c.socket();
            byte[] hello = readRecord(raw.getInputStream());
            if (hello == null) {
                return;   // closed without a ClientHello
            }
            boolean offers13 = offersTls13(hello);
            if (c.index() % 3 == residue) {
                if (bad == Bad.REFUSES_EVERY_VERSION) {
                    served.add("refused");
                    raw.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46});
                    raw.getOutputStream().flush();
                    return;
                }
                if (!offers13) {
                    served.add("reset");
                    raw.setSoLinger(true, 0);
                    raw.close();
                    return;
                }
            }
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw,
                    new ByteArrayInputStream(hello), true);
            ssl.setEnabledProtocols(c.index() % 3 == residue ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.2"});
            InputStream in = ssl.getInputStream();
            while (readHead(in)) {
                served.add(ssl.getSession().getProtocol());
                ssl.getOutputStream().write(FaultServer.okResponse("ok\n").getBytes(StandardCharsets.ISO_8859_1));
                ssl.getOutputStream().flush();
            }
        });
    }

    /** One TLS record (header and body), or null at the end of the stream. */
    private static byte[] readRecord(InputStream in) throws IOException {
        byte[] head = in.readNBytes(5);
        if (head.length < 5) {
            return null;
        }
        int length = ((head[3] & 0xff) << 8) | (head[4] & 0xff);
        byte[] body = in.readNBytes(length);
        byte[] all = new byte[5 + body.length];
        System.arraycopy(head, 0, all, 0, 5);
        System.arraycopy(body, 0, all, 5, body.length);
        return all;
    }

    /** Whether a ClientHello record offers TLS 1.3 (its supported_versions extension lists 0x0304). */
    private static boolean offersTls13(byte[] r) {
        int p = 5 + 4 + 2 + 32;                           // record header, handshake header, version, random
        p += 1 + (r[p] & 0xff);                           // session id
        p += 2 + (((r[p] & 0xff) << 8) | (r[p + 1] & 0xff));   // cipher suites
        p += 1 + (r[p] & 0xff);                           // compression methods
        int end = p + 2 + (((r[p] & 0xff) << 8) | (r[p + 1] & 0xff));
        for (p += 2; p + 4 <= end && p + 4 <= r.length;) {
            int type = ((r[p] & 0xff) << 8) | (r[p + 1] & 0xff);
            int len = ((r[p + 2] & 0xff) << 8) | (r[p + 3] & 0xff);
            if (type == 0x002b) {
                for (int v = p + 5; v + 1 < p + 4 + len; v += 2) {
                    if (r[v] == 0x03 && r[v + 1] == 0x04) {
                        return true;
                    }
                }
                return false;
            }
            p += 4 + len;
        }
        return false;
    }

    /** Reads one request head (to the blank line, at most 64 KiB); false at the end of the stream. */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int n = 0; n < 65536; n++) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }
}
