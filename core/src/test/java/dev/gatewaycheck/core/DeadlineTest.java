package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** run() returns within its deadline + 250 ms whatever the backend does, and leaves no threads behind. */
class DeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final long MARGIN_NANOS = Duration.ofMillis(250).toNanos();
    // a gateway that waits far longer than the run's deadline, so only the deadline can end the wait
    private static final GatewayProfile PATIENT = GatewayProfile.GENERIC.toBuilder()
            .requestTimeout(Duration.ofSeconds(60)).build();

    private static Report timed(String url) {
        long start = System.nanoTime();
        Report r = GatewayCheck.forBackend(url).against(PATIENT).timeout(DEADLINE).run();
        ReportSchema.valid(r);
        long took = System.nanoTime() - start;
        assertTrue(took <= DEADLINE.toNanos() + MARGIN_NANOS, "run() took " + took / 1_000_000 + " ms:\n" + r);
        return r;
    }

    @Test
    void backendThatAcceptsAndNeverAnswersCannotHoldRunPastTheDeadline() {
        try (FaultServer s = FaultServer.plain(FaultServer.neverAnswer())) {
            Report r = timed(s.url());
            assertFalse(r.complete(), r::toString);
            assertFalse(r.isHealthy(), r::toString);
            // the gateway would wait 60 s: a 2 s run cannot claim a RESPONSE_TIMEOUT, it says it is inconclusive
            assertFalse(r.has(Cause.RESPONSE_TIMEOUT), r::toString);
            PhaseResult request = r.phase(Phase.REQUEST).orElseThrow();
            assertEquals(PhaseResult.Status.INCONCLUSIVE, request.status(), r::toString);
            assertTrue(request.reason().startsWith("the run's deadline ended the wait"), r::toString);
        }
    }

    @Test
    void backendThatStreamsHeadersForeverCannotHoldRunPastTheDeadline() {
        try (FaultServer s = FaultServer.plain(FaultServer.streamHeadersForever(Duration.ofMillis(20)))) {
            Report r = timed(s.url());
            assertFalse(r.complete(), r::toString);
        }
    }

    @Test
    void backendThatStreamsHeadersAtFullSpeedIsStoppedByTheHeaderCap() {
        try (FaultServer s = FaultServer.plain(FaultServer.streamHeadersForever(Duration.ZERO))) {
            Report r = timed(s.url());
            assertTrue(r.has(Cause.RESPONSE_HEADER_TOO_LARGE), r::toString);
            // the probe fails the same way: its phase found problems even though the finding is not repeated
            assertEquals(PhaseResult.Status.FOUND_PROBLEMS, r.phase(Phase.PROBE).orElseThrow().status(), r::toString);
        }
    }

    @Test
    void cancellingRunAsyncClosesTheRunsSocket() throws Exception {
        java.util.concurrent.CountDownLatch requested = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch clientClosed = new java.util.concurrent.CountDownLatch(1);
        try (FaultServer s = FaultServer.plain(c -> {
            if (c.readRequest() == null) {
                return;
            }
            requested.countDown();
            // never answer; wait until the client side goes away (EOF or reset), at most 30 s
            c.socket().setSoTimeout(30_000);
            try {
                while (c.socket().getInputStream().read() != -1) {
                    // discard
                }
            } catch (java.io.IOException gone) {
                // reset by the client: gone too
            }
            clientClosed.countDown();
        })) {
            CompletableFuture<Report> f = GatewayCheck.forBackend(s.url()).against(PATIENT)
                    .checks(dev.gatewaycheck.Check.PROBE).timeout(Duration.ofSeconds(30)).runAsync();
            assertTrue(requested.await(10, TimeUnit.SECONDS), "the request never arrived");
            assertTrue(f.cancel(true));
            assertTrue(f.isCancelled());
            assertTrue(clientClosed.await(5, TimeUnit.SECONDS), "cancel(true) left the run's socket open");
        }
    }

    @Test
    void repeatedRunsLeaveNoThreadsBehind() throws Exception {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            for (int i = 0; i < 20; i++) {
                GatewayCheck.forBackend(s.url()).probe().run();
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (threads("gateway-check-") > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertEquals(0, threads("gateway-check-"), "library threads still alive");
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }
}
