package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.UnhealthyBackendException;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * README's readiness recipe against real loopback backends: ready in about one poll, ready about 3 s in when the
 * backend answers 503 while it starts, and an AssertionError listing the findings when it never gets ready. The
 * JUnit extension and the Testcontainers wait strategy have the same three tests.
 */
class ReadinessTest {

    @Test
    void healthyBackendIsReadyInUnderTwoSeconds() {
        try (FaultServer backend = FaultServer.plain(FaultServer.ok())) {
            long t0 = System.nanoTime();
            Report report = GatewayCheck.forBackend(backend.url()).withHost("www.example.com")
                    .awaitHealthy(Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(report.isHealthy(), report::toString);
            assertEquals(EnumSet.of(Check.TLS, Check.PROBE), report.checks(), "no check named: the quick ones");
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
        }
    }

    @Test
    void backendAnswering503WhileItStartsIsReadyAboutThreeSecondsIn() {
        try (FaultServer backend = FaultServer.plain(FaultServer.startingUp(Duration.ofSeconds(3)))) {
            long t0 = System.nanoTime();
            Report report = GatewayCheck.forBackend(backend.url()).awaitHealthy(Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(report.isHealthy(), report::toString);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(6)) < 0,
                    "took " + took);
        }
    }

    @Test
    void backendStillStartingFailsSayingItStillAnswers503NotThatANextTierFails() {
        try (FaultServer backend = FaultServer.plain(FaultServer.startingUp(Duration.ofMinutes(10)))) {
            UnhealthyBackendException e = assertThrows(UnhealthyBackendException.class,
                    () -> GatewayCheck.forBackend(backend.url()).awaitHealthy(Duration.ofSeconds(2)));
            assertTrue(e.getMessage().startsWith("Backend " + backend.url() + " still answering 503 after 2s ("),
                    e.getMessage());
            Finding f = Expect.finding(e.report(), Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertFalse(f.remedy().contains("next tier"), f::toString);
            assertTrue(e.attempts() >= 2, e.getMessage());
        }
    }

    @Test
    void brokenBackendFailsWithAnAssertionErrorListingTheFindings() {
        try (FaultServer backend = FaultServer.plain(FaultServer.resetAfterRequest())) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> GatewayCheck.forBackend(backend.url()).awaitHealthy(Duration.ofSeconds(2)));
            UnhealthyBackendException u = (UnhealthyBackendException) e;
            Expect.finding(u.report(), Cause.BACKEND_RESET_CONNECTION);
            assertTrue(e.getMessage().contains("BACKEND_RESET_CONNECTION"), e.getMessage());
            assertTrue(e.getMessage().contains(" attempts, waited ") || e.getMessage().contains(" attempt, waited "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("PT"), "durations as people write them: " + e.getMessage());
        }
    }

    @Test
    void keepAliveRunsOnlyWhenNamed() {
        try (FaultServer backend = FaultServer.plain(FaultServer.ok())) {
            Report report = GatewayCheck.forBackend(backend.url()).probe().awaitHealthy(Duration.ofSeconds(30));
            assertEquals(EnumSet.of(Check.PROBE), report.checks());
            assertFalse(report.phases().stream().anyMatch(p -> p.phase() == dev.gatewaycheck.Phase.KEEP_ALIVE));
        }
    }
}
