package dev.gatewaycheck.examples.readiness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.UnhealthyBackendException;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A readiness test to copy into an application's integration tests: wait until the backend would pass the
 * gateway, or fail with the reasons. The backends here are loopback fault servers standing in for yours.
 */
class BackendReadinessExampleTest {

    @Test
    void backendIsReadyForTheGateway() {
        try (FaultServer backend = FaultServer.plain(FaultServer.ok())) {
            Report report = GatewayCheck.forBackend(backend.url())
                    .withHost("www.example.com")
                    .probe()
                    .awaitHealthy(Duration.ofSeconds(10));
            assertTrue(report.isHealthy());
        }
    }

    @Test
    void notReadyBackendFailsWithTheReasonNotJustATimeout() {
        try (FaultServer backend = FaultServer.plain(FaultServer.resetAfterRequest())) {
            UnhealthyBackendException e = assertThrows(UnhealthyBackendException.class,
                    () -> GatewayCheck.forBackend(backend.url()).probe().awaitHealthy(Duration.ofSeconds(2)));
            assertTrue(e.report().has(Cause.BACKEND_RESET_CONNECTION), e.getMessage());
            assertFalse(e.report().isHealthy());
        }
    }
}
