package example;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** README's integration-test recipes: the readiness wait and the one-shot assertion. */
class BackendReadinessTest {

    private HttpServer server;
    private String backendUrl;

    @BeforeEach
    void startAHealthyBackend() throws IOException {
        server = Backends.http(Duration.ZERO);
        backendUrl = Backends.url(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    // README: In an integration test
    @Test
    void backendIsReadyForTheGateway() {
        Report report = GatewayCheck.forBackend(backendUrl)
                .withHost("www.example.com")
                .awaitHealthy(Duration.ofSeconds(60));   // or UnhealthyBackendException, an AssertionError
        assertTrue(report.isHealthy());
    }
    // README end

    @Test
    void readyInUnderTwoSeconds() {
        long t0 = System.nanoTime();
        backendIsReadyForTheGateway();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
    }

    @Test
    void readyAboutThreeSecondsInWhenTheBackendAnswers503WhileItStarts() throws Exception {
        server.stop(0);
        server = Backends.http(Duration.ofSeconds(3));
        backendUrl = Backends.url(server);
        long t0 = System.nanoTime();
        backendIsReadyForTheGateway();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(6)) < 0,
                "took " + took);
    }

    @Test
    void notReadyFailsWithTheFindingsNotJustATimeout() throws Exception {
        try (ServerSocket broken = Backends.closingEveryConnection()) {
            AssertionError e = assertThrows(AssertionError.class, () -> GatewayCheck.forBackend(Backends.url(broken))
                    .awaitHealthy(Duration.ofSeconds(2)));
            assertTrue(e.getMessage().contains("BACKEND_CLOSED_WITHOUT_RESPONSE"), e.getMessage());
            assertTrue(e.getMessage().contains("after 2s ("), e.getMessage());
        }
    }

    @Test
    void oneShotAssertion() throws Exception {
        // README: one-shot assertion
        GatewayCheck.forBackend(backendUrl).probe().run().assertHealthy();
        // README end
        try (ServerSocket broken = Backends.closingEveryConnection()) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> GatewayCheck.forBackend(Backends.url(broken)).probe().run().assertHealthy());
            assertTrue(e.getMessage().contains("BACKEND_CLOSED_WITHOUT_RESPONSE"), e.getMessage());
        }
    }
}
