package example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.junit.GatewayCheckExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** README's JUnit 5 extension recipe, waiting for a loopback backend that answers 503 for its first second. */
class ReadyBeforeTheTestsTest {

    static final HttpServer SERVER = start();
    static final String backendUrl = Backends.url(SERVER);

    private static HttpServer start() {
        try {
            return Backends.http(Duration.ofSeconds(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        SERVER.stop(0);
    }

    // README: JUnit 5 extension
    @RegisterExtension
    static GatewayCheckExtension backend = GatewayCheckExtension
            .waitingFor(() -> GatewayCheck.forBackend(backendUrl).withHost("www.example.com"))
            .atMost(Duration.ofSeconds(60));

    @Test
    void answersThroughTheGateway(Report ready) {
        assertTrue(ready.isHealthy());
    }
    // README end
}
