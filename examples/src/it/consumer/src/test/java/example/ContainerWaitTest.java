package example;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.sun.net.httpserver.HttpServer;
import dev.gatewaycheck.testcontainers.GatewayCheckWaitStrategy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;

/**
 * README's Testcontainers recipe. No Docker here: the strategy is driven the way a starting container drives it,
 * through Testcontainers' own WaitStrategyTarget, with container port 8080 "mapped" to a loopback server.
 */
class ContainerWaitTest {

    record Started(int mappedPort) implements WaitStrategyTarget {
        @Override
        public List<Integer> getExposedPorts() {
            return List.of(8080);
        }

        @Override
        public String getHost() {
            return "127.0.0.1";
        }

        @Override
        public Integer getMappedPort(int originalPort) {
            return mappedPort;
        }

        @Override
        public InspectContainerResponse getContainerInfo() {
            throw new UnsupportedOperationException("no container");
        }
    }

    static WaitStrategy recipe() {
        // README: Testcontainers
        WaitStrategy ready = GatewayCheckWaitStrategy.forPort(8080)   // the container port; its mapped port is found
                .withHost("www.example.com")
                .withStartupTimeout(Duration.ofSeconds(60));
        GenericContainer<?> app = new GenericContainer<>("my-app:latest").withExposedPorts(8080).waitingFor(ready);
        // README end
        assertTrue(app.getExposedPorts().contains(8080));
        return ready;
    }

    @Test
    void containerStartWaitsUntilTheBackendIsReady() throws Exception {
        HttpServer server = Backends.http(Duration.ofSeconds(1));
        try {
            long t0 = System.nanoTime();
            recipe().waitUntilReady(new Started(server.getAddress().getPort()));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0, "took " + took);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBrokenBackendFailsTheStartWithTheReport() throws Exception {
        try (ServerSocket broken = Backends.closingEveryConnection()) {
            ContainerLaunchException e = assertThrows(ContainerLaunchException.class, () -> recipe()
                    .withStartupTimeout(Duration.ofSeconds(2)).waitUntilReady(new Started(broken.getLocalPort())));
            assertTrue(e.getMessage().contains("BACKEND_CLOSED_WITHOUT_RESPONSE"), e.getMessage());
        }
    }
}
