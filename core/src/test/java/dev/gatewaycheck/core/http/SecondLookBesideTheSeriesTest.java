package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The body's second look needs only the forwarded request's answer, so it starts as soon as that answer is in,
 * beside the rest of the traffic series (its connection after theirs, so the series stays consecutive), instead of
 * after the whole series; its findings are those, and in the order, of a look taken after the series.
 */
class SecondLookBesideTheSeriesTest {
    /** How long the backend takes per answer: long enough that the order of events is not a race. */
    private static final Duration SLOW = Duration.ofMillis(150);

    /** What reached the backend, in order: "series request", "series answered", "look request". */
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    /** A slow backend answering {@code body}; the health probe goes to /health, answered at once. */
    private FaultServer.Behaviour slow(String response) {
        return c -> {
            for (String h; (h = c.readRequest()) != null;) {
                String head = h.toLowerCase(Locale.ROOT);
                if (head.startsWith("get /health")) {
                    c.write(FaultServer.okResponse("up\n"));
                    continue;
                }
                boolean look = head.contains("accept-encoding: gzip, deflate");
                events.add(look ? "look request" : "series request");
                Thread.sleep(SLOW.toMillis());
                c.write(response);
                if (!look) {
                    events.add("series answered");
                }
            }
        };
    }

    private static final ProbeSpec HEALTH = ProbeSpec.builder().path("/health").build();

    /** Whether the look's request came before the series' last answer. */
    private boolean lookBeforeTheSeriesEnded() {
        List<String> e = List.copyOf(events);
        return e.contains("look request") && e.indexOf("look request") < e.lastIndexOf("series answered");
    }

    @Test
    void overPlainHttpTheLookStartsBeforeTheSeriesEnds() {
        try (FaultServer s = FaultServer.plain(slow(FaultServer.okResponse("hello\n")))) {
            Report r = GatewayCheck.forBackend(s.url()).probe(HEALTH).timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(1, events.stream().filter("look request"::equals).count(), events::toString);
            assertEquals(6, events.stream().filter("series request"::equals).count(), events::toString);
            assertTrue(lookBeforeTheSeriesEnded(), events::toString);
        }
    }

    @Test
    void overTlsTheLookStartsBeforeTheSeriesEnds() {
        Held ca = TestCertificates.ca("Second Look Root").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate(),
                ca.certificate()), slow(FaultServer.okResponse("hello\n")))) {
            Report r = GatewayCheck.forBackend(s.url()).trusting(ca.certificate()).tls().probe(HEALTH)
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertTrue(lookBeforeTheSeriesEnded(), events::toString);
        }
    }

    @Test
    void whatTheLookFindsIsStillReported() {
        // a body longer than its Content-Length: only the second look (which reads past the body) sees the extra bytes
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nhello\nEXTRA BYTES";
        try (FaultServer s = FaultServer.plain(slow(response))) {
            Report r = GatewayCheck.forBackend(s.url()).probe(HEALTH).timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.findings().stream().anyMatch(f -> f.cause() == Cause.CONTENT_LENGTH_MISMATCH
                    && f.evidence().has("extraBytes")), r::toString);
            assertTrue(lookBeforeTheSeriesEnded(), events::toString);
        }
    }
}
