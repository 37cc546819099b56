package dev.gatewaycheck.core.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.RequestBody;
import dev.gatewaycheck.testkit.FaultServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A gateway connects once and uses that connection: the connect check's connection to a backend's only address
 * carries the forwarded request over plain HTTP (over TLS, the gateway's handshake: {@code GatewayConnectionTest}),
 * unless another connection of the run would open in between (the keep-alive watch's, an upload's) or the backend
 * has several addresses; then it is closed at once, having carried nothing.
 */
class KeptConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The request lines each connection carried, by connection index (a connection that carried none: empty). */
    private final Map<Integer, List<String>> requests = new ConcurrentHashMap<>();

    /**
     * A healthy plain backend recording what each connection carried; it closes a connection idle for
     * {@code idle} (the keep-alive watch then ends at once), answering every request with 200.
     */
    private FaultServer.Behaviour recording(Duration idle) {
        return c -> {
            List<String> mine = requests.computeIfAbsent(c.index(), i -> new CopyOnWriteArrayList<>());
            c.socket().setSoTimeout((int) idle.toMillis());
            try {
                for (String head; (head = c.readRequest()) != null;) {
                    mine.add(head.substring(0, head.indexOf('\r')));
                    if (head.startsWith("POST")) {
                        c.socket().getInputStream().readNBytes(16);   // the upload's body (16 bytes)
                    }
                    c.write(FaultServer.okResponse("ok\n"));
                }
            } catch (SocketTimeoutException idleTooLong) {
                c.close();
            } catch (IOException closedByTheClient) {
                // the check closed or reset it
            }
        };
    }

    /** Waits (at most 5 s) until the server's threads noted {@code count} connections. */
    private void awaitNoted(int count) throws InterruptedException {
        for (int i = 0; i < 500 && requests.size() < count; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void overPlainHttpTheForwardedRequestGoesOnTheConnectChecksConnection() throws InterruptedException {
        try (FaultServer s = FaultServer.plain(recording(Duration.ofSeconds(30)))) {
            Report r = GatewayCheck.forBackend(s.url()).probe().timeout(TIMEOUT).run();
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            awaitNoted(s.accepted());
            assertEquals(List.of("GET / HTTP/1.1"), requests.get(0), requests::toString);
            // no connection was opened for nothing: each carried one request (the series, the look, the probes)
            assertEquals(s.accepted(), requests.size(), requests::toString);
            requests.forEach((i, carried) -> assertEquals(1, carried.size(), () -> i + " " + requests));
        }
    }

    @Test
    void withTheKeepAliveWatchTheConnectChecksConnectionIsClosedAtOnce() throws InterruptedException {
        // the watch opens its connection right after the connect check: the forwarded request's would come after it
        try (FaultServer s = FaultServer.plain(recording(Duration.ofSeconds(1)))) {
            Report r = GatewayCheck.forBackend(s.url()).probe().keepAlive().timeout(TIMEOUT).run();
            // the watch ran (this backend closes idle connections after 1 s) and nothing else was found
            assertEquals(List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY),
                    r.findings().stream().map(Finding::cause).toList(), r::toString);
            awaitNoted(s.accepted());
            assertEquals(List.of(), requests.get(0), requests::toString);
            assertEquals(List.of("GET / HTTP/1.1"), requests.get(2), () -> "the watch's is 1: " + requests);
        }
    }

    @Test
    void withAnUploadFirstTheConnectChecksConnectionIsClosedAtOnce() throws InterruptedException {
        try (FaultServer s = FaultServer.plain(recording(Duration.ofSeconds(30)))) {
            Report r = GatewayCheck.forBackend(s.url()).probe().withRequestBody(RequestBody.ofSize(16))
                    .timeout(TIMEOUT).run();
            assertTrue(r.isHealthy(), r::toString);
            awaitNoted(s.accepted());
            assertEquals(List.of(), requests.get(0), requests::toString);
            assertEquals(List.of("POST / HTTP/1.1"), requests.get(1), requests::toString);
        }
    }

    @Test
    void aBackendWithTwoAddressesGetsTheForwardedRequestOnANewConnection() throws Exception {
        // the connect check connects to each address in turn; the first one's connection would wait for the others
        Map<Integer, List<String>> first = requests;
        try (FaultServer one = FaultServer.plain(recording(Duration.ofSeconds(30)));
             FaultServer two = FaultServer.plainOn(InetAddress.getByName("127.0.0.2"), one.port(),
                     c -> c.readRequest())) {
            NameResolver both = NameResolver.staticMap(Map.of("backend.test", List.of("127.0.0.1", "127.0.0.2")));
            Report r = GatewayCheck.forBackend("http://backend.test:" + one.port() + "/").resolvingWith(both)
                    .probe().timeout(TIMEOUT).run();
            assertTrue(r.isHealthy(), r::toString);
            awaitNoted(one.accepted());
            assertEquals(1, two.accepted(), "the connect check's only");
            assertEquals(List.of(), first.get(0), first::toString);
            assertEquals(List.of("GET / HTTP/1.1"), first.get(1), first::toString);
        }
    }
}
