package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The run's HTTP connections resume the session of the gateway's handshake (the TLS phase's first, made in a fresh
 * context so that the whole chain is presented), as a gateway resumes its upstream sessions; every run makes its own
 * full handshake. And the preparation of httpclient5 beside the first phases runs what an exchange runs before it
 * connects, without connecting.
 */
class GatewaySessionTest {
    private static final Held CA = TestCertificates.ca("Gateway Session Root").build();
    private static final Held LEAF = TestCertificates.loopbackLeaf(CA).build();

    /** The session id of each connection by its index (a run's first is the connect check's, TCP only). */
    private final Map<Integer, String> sessions = new ConcurrentHashMap<>();
    /** The session id of each connection that carried a request. */
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

    /** A healthy TLS 1.2 backend (a session id names a session, resumed or not) recording the sessions. */
    private FaultServer backend() {
        SSLContext context = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        return FaultServer.tls(context, c -> {
            SSLSocket ssl = (SSLSocket) c.socket();
            ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
            String id = HexFormat.of().formatHex(ssl.getSession().getId());
            sessions.put(c.index(), id);
            while (c.readRequest() != null) {
                requests.add(id);
                c.write(FaultServer.okResponse("ok\n"));
            }
        });
    }

    private static Report check(FaultServer s) {
        return GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).trusting(CA.certificate()).tls().probe()
                .timeout(Duration.ofSeconds(20)).run();
    }

    @Test
    void theHttpConnectionsResumeTheGatewaysHandshake() {
        try (FaultServer s = backend()) {
            Report r = check(s);
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            // connection 1 is the TLS phase's, the gateway's handshake, which carries the forwarded request; its five,
            // the body's second look, the four probes: each resumed its session
            assertEquals(11, requests.size(), requests::toString);
            assertEquals(List.of(sessions.get(1)), requests.stream().distinct().toList(), () -> requests + " " + sessions);
        }
    }

    @Test
    void everyRunMakesAFullHandshakeOfItsOwn() {
        try (FaultServer s = backend()) {
            Report first = check(s);
            int base = s.accepted();
            Report second = check(s);
            assertTrue(first.isHealthy() && second.isHealthy(), () -> first + "\n" + second);
            // a fresh context each run: the second run's gateway handshake resumed nothing, so its chain was presented
            String firstRun = sessions.get(1);
            String secondRun = sessions.get(base + 1);
            assertTrue(firstRun != null && secondRun != null, sessions::toString);
            assertNotEquals(firstRun, secondRun, sessions::toString);
            assertEquals(Set.of(firstRun, secondRun), Set.copyOf(requests), requests::toString);
        }
    }

    @Test
    void preparingRunsAnExchangeOverNoConnection() {
        assertTrue(HttpExchange.prepare(), "the prepared exchange did not read its response");
    }
}
