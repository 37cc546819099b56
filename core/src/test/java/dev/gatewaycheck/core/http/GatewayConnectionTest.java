package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The forwarded request goes on the connection of the gateway's own handshake, as a gateway sends its request on the
 * connection it just handshook, when that handshake's SNI is the request's Host; otherwise, or when no request
 * follows, that connection is closed at once. Either way no connection stays open after the run.
 */
class GatewayConnectionTest {
    private static final Held CA = TestCertificates.ca("Gateway Connection Root").build();
    private static final Held LEAF = TestCertificates.loopbackLeaf(CA).build();

    /** The request lines each handshaken connection carried, by connection index. */
    private final Map<Integer, List<String>> requests = new ConcurrentHashMap<>();
    /** The connections the client closed or reset (every handshaken one, once the run is over). */
    private final Set<Integer> ended = ConcurrentHashMap.newKeySet();

    /**
     * A healthy TLS backend recording what each handshaken connection carried (the first, the connect check's,
     * carries the TLS phase's handshake).
     */
    private FaultServer backend() {
        SSLContext context = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        return FaultServer.tls(context, c -> {
            try {
                ((SSLSocket) c.socket()).startHandshake();
            } catch (IOException noHandshake) {
                return;   // a connection closed before its handshake
            }
            List<String> mine = requests.computeIfAbsent(c.index(), i -> new CopyOnWriteArrayList<>());
            try {
                for (String head; (head = c.readRequest()) != null;) {
                    mine.add(head.substring(0, head.indexOf('\r')));
                    c.write(FaultServer.okResponse("ok\n"));
                }
            } finally {
                ended.add(c.index());   // closed or reset by the client (or the server's 60 s read timeout)
            }
        });
    }

    /** Waits (at most 5 s) until the client closed every handshaken connection; returns whether it did. */
    private boolean allEnded() throws InterruptedException {
        for (int i = 0; i < 500 && !ended.containsAll(requests.keySet()); i++) {
            Thread.sleep(10);
        }
        return ended.containsAll(requests.keySet());
    }

    /**
     * Waits (at most 5 s) until connection {@code index} ended: the server's thread notes a connection only after its
     * own side of the handshake, which may come after the run's report.
     */
    private void awaitEnded(int index) throws InterruptedException {
        for (int i = 0; i < 500 && !ended.contains(index); i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void theForwardedRequestGoesOnTheGatewaysHandshakenConnection() throws InterruptedException {
        try (FaultServer s = backend()) {
            Report r = GatewayCheck.forBackend(s.url()).trusting(CA.certificate()).tls().probe()
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            // connection 0 is the connect check's, on which the TLS phase handshook: it carried the forwarded request
            assertEquals(List.of("GET / HTTP/1.1"), requests.get(0), requests::toString);
            // no connection was opened for nothing: each carried one request (the series, the probes, a look)
            requests.forEach((i, carried) -> assertEquals(1, carried.size(), () -> i + " " + requests));
            assertEquals(s.accepted(), requests.size(), requests::toString);
            assertTrue(allEnded(), () -> "left open: " + requests.keySet() + " ended " + ended);
        }
    }

    @Test
    void aHandshakeWithoutTheHostAsSniIsClosedAndTheRequestMakesItsOwn() throws InterruptedException {
        try (FaultServer s = backend()) {
            // nginx sends no SNI (proxy_ssl_server_name off) while the Host is a name: not the request's connection
            Report r = GatewayCheck.forBackend(s.url()).withHost("localhost").against(GatewayProfile.NGINX)
                    .trusting(CA.certificate()).tls().probe().timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isHealthy(), r::toString);
            assertTrue(r.findings().stream().noneMatch(f -> f.cause() == Cause.PROBE_INTERMITTENT_FAILURE),
                    r::toString);
            awaitEnded(0);
            assertEquals(List.of(), requests.get(0), requests::toString);
            assertTrue(allEnded(), () -> "left open: " + requests.keySet() + " ended " + ended);
        }
    }

    @Test
    void aBackendServingOneConnectionAtATimeGetsTheRequestRightAfterTheHandshake() throws Exception {
        // the JDK's HttpsServer with its default executor: one thread handshakes and serves each connection in turn,
        // so the handshaken connection's request must not wait for the probe series' connections (they would wait
        // for it in turn: handshake timeouts); run several times, the series may take the order in either sequence
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(
                TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate())));
        server.createContext("/", exchange -> {
            byte[] body = "hello over TLS\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            for (int run = 0; run < 5; run++) {
                Report r = GatewayCheck.forBackend("https://127.0.0.1:" + server.getAddress().getPort())
                        .withHost("localhost").trusting(CA.certificate()).tls().probe()
                        .timeout(Duration.ofSeconds(30)).run();
                assertTrue(r.isHealthy(), r::toString);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutTheRequestTheHandshakenConnectionIsClosed() throws InterruptedException {
        try (FaultServer s = backend()) {
            Report r = GatewayCheck.forBackend(s.url()).trusting(CA.certificate()).tls()
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isClean(), r::toString);
            awaitEnded(0);
            assertTrue(allEnded(), () -> "left open: " + requests.keySet() + " ended " + ended);
            assertEquals(Map.of(0, List.of()), requests, requests::toString);
            assertEquals(1, s.accepted(), "the handshake went on the connect check's connection");
        }
    }
}
