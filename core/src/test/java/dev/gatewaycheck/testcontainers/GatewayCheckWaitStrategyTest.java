package dev.gatewaycheck.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.UnhealthyBackendException;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;

/**
 * The wait strategy driven the way Testcontainers drives it, through its own {@link WaitStrategyTarget}, pointed at
 * loopback servers instead of a container (no Docker here): container port 8080 is "mapped" to the server's port.
 */
class GatewayCheckWaitStrategyTest {

    /** A started "container": exposes 8080, mapped to a loopback server's port. */
    record LoopbackTarget(int mappedPort) implements WaitStrategyTarget {
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
            if (originalPort != 8080) {
                throw new IllegalArgumentException("port " + originalPort + " is not exposed");
            }
            return mappedPort;
        }

        @Override
        public InspectContainerResponse getContainerInfo() {
            throw new UnsupportedOperationException("no container: a loopback server stands in for one");
        }
    }

    @Test
    void healthyBackendIsReadyInUnderTwoSeconds() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            long t0 = System.nanoTime();
            GatewayCheckWaitStrategy.forPort(8080).withHost("www.example.com")
                    .withStartupTimeout(Duration.ofSeconds(30)).waitUntilReady(new LoopbackTarget(s.port()));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
        }
    }

    @Test
    void backendStartingIn3sIsReadyAbout3sIn() {
        try (FaultServer s = FaultServer.plain(FaultServer.startingUp(Duration.ofSeconds(3)))) {
            long t0 = System.nanoTime();
            GatewayCheckWaitStrategy.forBackend().withStartupTimeout(Duration.ofSeconds(30))
                    .waitUntilReady(new LoopbackTarget(s.port()));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(6)) < 0,
                    "took " + took);
        }
    }

    @Test
    void brokenBackendFailsTheStartWithTheReport() {
        try (FaultServer s = FaultServer.plain(FaultServer.resetAfterRequest())) {
            ContainerLaunchException e = assertThrows(ContainerLaunchException.class,
                    () -> GatewayCheckWaitStrategy.forPort(8080).against(GatewayProfile.AZURE_APP_GATEWAY_V2)
                            .withStartupTimeout(Duration.ofSeconds(2)).waitUntilReady(new LoopbackTarget(s.port())));
            assertTrue(e.getMessage().startsWith("Container port 8080 (mapped to " + s.port() + ") is not ready"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("BACKEND_RESET_CONNECTION"), e.getMessage());
            UnhealthyBackendException cause = (UnhealthyBackendException) e.getCause();
            assertTrue(cause.report().has(Cause.BACKEND_RESET_CONNECTION), cause.report()::toString);
            assertEquals("Azure Application Gateway v2", cause.report().profile());
        }
    }

    @Test
    void theCheckIsBuiltFromTheMappedPortAndTheChain() {
        GatewayCheckWaitStrategy w = GatewayCheckWaitStrategy.forPort(8443).usingTls().withHost("www.example.com")
                .withPath("/healthz").checks(Check.TLS);
        assertEquals("https://127.0.0.1:32768", w.check("127.0.0.1", 32768).plan().backend().toString());
        assertEquals("/healthz", w.check("127.0.0.1", 32768).plan().path());
        assertEquals("www.example.com", w.check("127.0.0.1", 32768).plan().host());
        assertEquals(java.util.Set.of(Check.TLS), w.check("127.0.0.1", 32768).plan().checks());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayCheckWaitStrategy.forPort(0))
                .getMessage().startsWith("containerPort must be 1-65535"));
    }
}
