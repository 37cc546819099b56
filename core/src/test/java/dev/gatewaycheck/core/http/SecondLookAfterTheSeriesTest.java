package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The body's second look comes after the forwarded request's whole series, not beside it: beside it, against a
 * backend that serves one connection at a time slowly, its request would queue behind the series' last one and its
 * head wait (at most 2 s, less when the gateway waits less) could end in vain, losing what only the look sees. Taken
 * after the series, it finds the backend idle. (Started beside the series it was, for a day: these tests failed.)
 */
class SecondLookAfterTheSeriesTest {

    /** What reached the backend, in order: "series request", "look request". */
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    private static final ProbeSpec HEALTH = ProbeSpec.builder().path("/health").build();

    @Test
    void aSlowBackendServingOneConnectionAtATimeStillShowsTheLooksFinding() {
        // one connection at a time, 700 ms per answer, a gateway waiting 1 s (so the look waits 1 s for its head):
        // after the series the look finds the backend idle and sees the extra bytes
        Object oneAtATime = new Object();
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nhello\nEXTRA BYTES";
        FaultServer.Behaviour serial = c -> {
            synchronized (oneAtATime) {
                for (String h; (h = c.readRequest()) != null;) {
                    if (h.toLowerCase(Locale.ROOT).startsWith("get /health")) {
                        c.write(FaultServer.okResponse("up\n"));
                        continue;
                    }
                    events.add(h.toLowerCase(Locale.ROOT).contains("accept-encoding: gzip, deflate") ? "look request"
                            : "series request");
                    Thread.sleep(700);
                    c.write(response);
                }
            }
        };
        dev.gatewaycheck.GatewayProfile oneSecond = dev.gatewaycheck.GatewayProfile.GENERIC.toBuilder()
                .id("one-second").name("gateway waiting 1 s").requestTimeout(Duration.ofSeconds(1)).build();
        try (FaultServer s = FaultServer.plain(serial)) {
            Report r = GatewayCheck.forBackend(s.url()).against(oneSecond).probe(HEALTH)
                    .timeout(Duration.ofSeconds(30)).run();
            assertTrue(r.findings().stream().anyMatch(f -> f.cause() == Cause.CONTENT_LENGTH_MISMATCH
                    && f.evidence().has("extraBytes")), r::toString);
            assertEquals(1, r.findings().stream().filter(f -> f.cause() == Cause.CONTENT_LENGTH_MISMATCH).count(),
                    r::toString);
            assertEquals(1, events.stream().filter("look request"::equals).count(), events::toString);
            assertEquals("look request", List.copyOf(events).get(events.size() - 1), events::toString);
        }
    }

    @Test
    void whatTheLookFindsIsStillReported() {
        // a body longer than its Content-Length: only the second look (which reads past the body) sees the extra bytes
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nhello\nEXTRA BYTES";
        try (FaultServer s = FaultServer.plain(FaultServer.respond(response))) {
            Report r = GatewayCheck.forBackend(s.url()).probe(HEALTH).timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.findings().stream().anyMatch(f -> f.cause() == Cause.CONTENT_LENGTH_MISMATCH
                    && f.evidence().has("extraBytes")), r::toString);
        }
    }
}
