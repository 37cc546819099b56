package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.BackendHttp2;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code HTTP2_ALPN_MISCONFIGURED} for gateways that speak HTTP/2 to backends: in-JVM TLS backends that select h2 and
 * then misbehave frame by frame, and real nginx (Debian package) with and without {@code http2} as controls.
 */
class Http2FindingsTest {
    static Held root;
    static Held leaf;
    static SSLContext serverContext;

    static final GatewayProfile OFFERS_H2 = GatewayProfile.NGINX.toBuilder().id("envoy-h2")
            .name("Envoy with HTTP/2 upstreams").requestTimeout(Duration.ofSeconds(2))
            .backendHttp2(BackendHttp2.OFFERED).build();
    static final GatewayProfile REQUIRES_H2 = GatewayProfile.GOOGLE_CLOUD_LB.toBuilder().id("gcp-h2")
            .name("Google Cloud LB, backend protocol HTTP/2").requestTimeout(Duration.ofSeconds(2)).defaultProbe(null)
            .backendHttp2(BackendHttp2.REQUIRED).build();

    @BeforeAll
    static void certificates() {
        root = TestCertificates.ca("H2 Test Root").build();
        leaf = TestCertificates.leaf("127.0.0.1", root).ipSans("127.0.0.1").build();
        serverContext = TestCertificates.serving(leaf.privateKey(), leaf.certificate(), root.certificate());
    }

    /** What an h2 backend does after the client's preface, SETTINGS and HEADERS arrived. */
    @FunctionalInterface
    interface H2Behaviour {
        void afterRequest(DataInputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    /** A TLS backend selecting {@code alpn}; HTTP/1.1 requests are answered 200, h2 ones by {@code h2}. */
    static FaultServer backend(String alpn, H2Behaviour h2) {
        return FaultServer.tls(serverContext, c -> {
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) c.socket();
            s.startHandshake();
            if ("h2".equals(s.getApplicationProtocol())) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] preface = new byte[24];
                in.readFully(preface);
                // the client's SETTINGS and HEADERS
                for (int i = 0; i < 2; i++) {
                    byte[] head = new byte[9];
                    in.readFully(head);
                    int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
                    in.readFully(new byte[length]);
                }
                h2.afterRequest(in, s.getOutputStream());
                return;
            }
            while (c.readRequest() != null) {
                c.write(FaultServer.okResponse("ok\n"));
            }
        }, server -> {
            SSLParameters p = server.getSSLParameters();
            p.setApplicationProtocols(new String[] {alpn});
            server.setSSLParameters(p);
        });
    }

    static byte[] goAway(int code, String debug) {
        ByteBuffer b = ByteBuffer.allocate(8 + debug.length()).putInt(0).putInt(code);
        b.put(debug.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return H2Probe.frame(H2Probe.GOAWAY, 0, 0, b.array());
    }

    static Report check(String url, GatewayProfile p) {
        return GatewayCheck.forBackend(url).against(p).checks(Check.PROBE).trusting(root.certificate())
                .timeout(Duration.ofSeconds(15)).run();
    }

    @Test
    void goAwayAfterThePrefaceIsFound() {
        try (FaultServer s = backend("h2", (in, out) -> {
            out.write(H2Probe.frame(H2Probe.SETTINGS, 0, 0, new byte[0]));
            out.write(goAway(1, "bad preface"));
            out.flush();
        })) {
            Report r = check(s.url(), OFFERS_H2);
            Finding f = Expect.finding(r, Cause.HTTP2_ALPN_MISCONFIGURED);
            assertEquals("h2", Expect.evidence(f, "alpnSelected"));
            assertEquals("PROTOCOL_ERROR", Expect.evidence(f, "goAway"));
            assertEquals("bad preface", Expect.evidence(f, "goAwayDebug"));
            assertEquals("SETTINGS, GOAWAY", Expect.evidence(f, "frames"));
        }
    }

    @Test
    void aResetStreamIsFound() {
        try (FaultServer s = backend("h2", (in, out) -> {
            out.write(H2Probe.frame(H2Probe.SETTINGS, 0, 0, new byte[0]));
            out.write(H2Probe.frame(H2Probe.RST_STREAM, 0, 1, ByteBuffer.allocate(4).putInt(2).array()));
            out.flush();
            Thread.sleep(500);
        })) {
            Finding f = Expect.finding(check(s.url(), REQUIRES_H2), Cause.HTTP2_ALPN_MISCONFIGURED);
            assertEquals("INTERNAL_ERROR", Expect.evidence(f, "rstStream"));
            assertEquals("RST_STREAM", Expect.evidence(f, "end"));
        }
    }

    @Test
    void anUnansweredPrefaceIsFound() {
        try (FaultServer s = backend("h2", (in, out) -> Thread.sleep(10_000))) {
            Finding f = Expect.finding(check(s.url(), OFFERS_H2), Cause.HTTP2_ALPN_MISCONFIGURED);
            assertEquals("false", Expect.evidence(f, "settingsReceived"));
            assertEquals("TIMEOUT", Expect.evidence(f, "end"));
            assertTrue(f.message().contains("did not answer the HTTP/2 connection preface"), f::message);
        }
    }

    @Test
    void http1BytesAfterSelectingH2AreAProtocolError() {
        try (FaultServer s = backend("h2", (in, out) -> {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes());
            out.flush();
        })) {
            Finding f = Expect.finding(check(s.url(), OFFERS_H2), Cause.HTTP2_ALPN_MISCONFIGURED);
            assertTrue(Expect.evidence(f, "protocolError").contains("HTTP/1.1 400"), f::toString);
        }
    }

    @Test
    void aGatewayThatRequiresH2FindsABackendThatSelectsHttp11() throws Exception {
        try (Nginx n = Nginx.serving(leaf, root)) {
            Report required = check(n.url(), REQUIRES_H2);
            Finding f = Expect.finding(required, Cause.HTTP2_ALPN_MISCONFIGURED);
            assertEquals("http/1.1", Expect.evidence(f, "alpnSelected"));
            assertEquals("REQUIRED", Expect.evidence(f, "gatewayHttp2"));
            // a gateway that only offers h2 falls back to HTTP/1.1: no finding
            assertFalse(check(n.url(), OFFERS_H2).has(Cause.HTTP2_ALPN_MISCONFIGURED));
        }
    }

    @Test
    void nginxSpeakingHttp2IsHealthy() throws Exception {
        try (Nginx n = Nginx.servingHttp2(leaf, root)) {
            Report r = check(n.url(), REQUIRES_H2);
            assertFalse(r.has(Cause.HTTP2_ALPN_MISCONFIGURED), r::toString);
            Expect.noErrorOrWarning(r);
        }
    }
}
