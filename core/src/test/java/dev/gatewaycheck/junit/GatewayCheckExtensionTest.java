package dev.gatewaycheck.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.UnhealthyBackendException;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension in real JUnit runs (JUnit's own {@link EngineTestKit}) against loopback backends: a healthy one, one
 * answering 503 for 3 s while it starts, and a broken one. The classes it runs are nested here; Surefire does not run
 * nested classes itself.
 */
class GatewayCheckExtensionTest {

    /** The backend the nested classes wait for; set before each run. */
    static volatile String backend;
    static final List<Report> INJECTED = new CopyOnWriteArrayList<>();

    @Test
    void healthyBackendLetsTheTestsRunInUnderTwoSecondsWithTheReportInjected() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            backend = s.url();
            long t0 = System.nanoTime();
            EngineExecutionResults results = run(WaitsOnce.class);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
            assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "took " + took);
            assertEquals(2, INJECTED.size());
            assertTrue(INJECTED.get(0).isHealthy(), INJECTED.get(0)::toString);
            assertTrue(INJECTED.get(0) == INJECTED.get(1), "one wait for the class, the same report in each test");
        }
    }

    @Test
    void backendStartingIn3sLetsTheTestsRunAbout3sIn() {
        try (FaultServer s = FaultServer.plain(FaultServer.startingUp(Duration.ofSeconds(3)))) {
            backend = s.url();
            long t0 = System.nanoTime();
            EngineExecutionResults results = run(WaitsOnce.class);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
            assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(6)) < 0,
                    "took " + took);
        }
    }

    @Test
    void brokenBackendFailsTheClassWithTheReport() {
        try (FaultServer s = FaultServer.plain(FaultServer.resetAfterRequest())) {
            backend = s.url();
            EngineExecutionResults results = run(WaitsTwoSeconds.class);
            results.testEvents().assertStatistics(stats -> stats.started(0));
            List<Event> failed = results.containerEvents().failed().list();
            assertEquals(1, failed.size(), failed::toString);
            Throwable t = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                    .orElseThrow();
            assertTrue(t instanceof UnhealthyBackendException && t instanceof AssertionError, t::toString);
            assertTrue(t.getMessage().contains("BACKEND_RESET_CONNECTION"), t.getMessage());
            assertTrue(t.getMessage().contains("after 2s"), t.getMessage());
        }
    }

    @Test
    void anInstanceFieldWaitsBeforeEachTest() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            backend = s.url();
            run(WaitsPerTest.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
            assertEquals(1, INJECTED.size());
        }
    }

    @Test
    void badArgumentsNameTheParameter() {
        assertEquals("check", assertThrows(NullPointerException.class,
                () -> GatewayCheckExtension.waitingFor((GatewayCheck) null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GatewayCheckExtension
                .waitingFor(GatewayCheck.forBackend("http://127.0.0.1:1")).atMost(Duration.ZERO))
                .getMessage().startsWith("atMost must be positive"));
    }

    private static volatile boolean kitRunning;

    private static EngineExecutionResults run(Class<?> testClass) {
        INJECTED.clear();
        kitRunning = true;
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
        } finally {
            kitRunning = false;
        }
    }

    /** The nested classes run only inside {@link #run(Class)} (not when a -Dtest pattern selects them). */
    static boolean runByTheKit() {
        return kitRunning;
    }

    /** Waits once, on a static field: README's recipe. */
    @EnabledIf("dev.gatewaycheck.junit.GatewayCheckExtensionTest#runByTheKit")
    static class WaitsOnce {
        @RegisterExtension
        static GatewayCheckExtension ready = GatewayCheckExtension
                .waitingFor(() -> GatewayCheck.forBackend(backend).withHost("www.example.com"))
                .atMost(Duration.ofSeconds(30));

        @Test
        void first(Report report) {
            INJECTED.add(report);
        }

        @Test
        void second(Report report) {
            INJECTED.add(report);
        }
    }

    /** Gives up after 2 s. */
    @EnabledIf("dev.gatewaycheck.junit.GatewayCheckExtensionTest#runByTheKit")
    static class WaitsTwoSeconds {
        @RegisterExtension
        static GatewayCheckExtension ready = GatewayCheckExtension
                .waitingFor(() -> GatewayCheck.forBackend(backend)).atMost(Duration.ofSeconds(2));

        @Test
        void neverRuns() {
            throw new IllegalStateException("must not run: the backend is not ready");
        }
    }

    /** Registered on an instance field. */
    @EnabledIf("dev.gatewaycheck.junit.GatewayCheckExtensionTest#runByTheKit")
    static class WaitsPerTest {
        @RegisterExtension
        GatewayCheckExtension ready = GatewayCheckExtension.waitingFor(GatewayCheck.forBackend(backend))
                .atMost(Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(200));

        @Test
        void only(Report report) {
            INJECTED.add(report);
        }
    }
}
