package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

class GatewayCheckTest {

    private static Report emptyReport(CheckPlan plan) {
        return Schema.valid(new Report(plan.backend().toString(), plan.host(), plan.profile().name(), Instant.EPOCH,
                new Timings(null, null, null, null, Duration.ofMillis(3)), plan.checks(), List.of(), List.of(), true));
    }

    @Test
    void everyCallReturnsANewInstanceAndLeavesThisOneUnchanged() {
        GatewayCheck base = GatewayCheck.forBackend("https://127.0.0.4:443");
        String before = base.toString();
        GatewayCheck derived = base.withHost("www.contoso.com").tls().timeout(Duration.ofSeconds(3));
        assertNotSame(base, derived);
        assertEquals(before, base.toString());
        assertEquals("127.0.0.4", base.plan().host());
        assertEquals("www.contoso.com", derived.plan().host());
        assertEquals(Set.of(Check.TLS), derived.plan().checks());
    }

    @Test
    void noCheckSelectedMeansAllChecks() {
        assertEquals(EnumSet.allOf(Check.class), GatewayCheck.forBackend("http://127.0.0.1:1").plan().checks());
    }

    @Test
    void planCarriesPortPathAndHostDefaults() {
        CheckPlan p = GatewayCheck.forBackend("https://[::1]/health?deep=1").plan();
        assertEquals(443, p.port());
        assertEquals("::1", p.host());
        assertEquals("::1", p.backendHost());
        assertEquals("/health?deep=1", p.path());
        assertTrue(p.isTls());
        assertSame(GatewayProfile.GENERIC, p.profile());
        assertEquals(Duration.ofSeconds(75), p.timeout(), "all checks: the generic idle timeout 60 s + 15 s");
        assertEquals(GatewayCheck.DEFAULT_TIMEOUT, GatewayCheck.forBackend("https://[::1]").tls().plan().timeout());
        assertEquals(Duration.ofSeconds(65), GatewayCheck.forBackend("https://[::1]").probe()
                .against(GatewayProfile.AWS_ALB).plan().timeout(), "ALB waits 60 s for a response: 60 s + 5 s");
        assertEquals(Duration.ofSeconds(125), GatewayCheck.forBackend("https://[::1]").probe()
                .against(GatewayProfile.CLOUDFLARE).plan().timeout(), "Cloudflare's 120 s proxy read timeout");
    }

    @Test
    void toStringReadsWellInJshell() {
        GatewayCheck c = GatewayCheck.forBackend("https://10.0.3.7:8443").withHost("www.example.com")
                .probe().tls().timeout(Duration.ofSeconds(3));
        assertEquals("GatewayCheck[backend=https://10.0.3.7:8443, host=www.example.com, path=/, profile=generic, "
                + "checks=[TLS, PROBE], timeout=PT3S]", c.toString());
    }

    @Test
    void runHandsThePlanToTheEngine() {
        CheckEngine engine = mock(CheckEngine.class);
        when(engine.run(any())).thenAnswer(inv -> emptyReport(inv.getArgument(0)));
        Report r = GatewayCheck.forBackend("http://127.0.0.1:8080").withHost("a.test").keepAlive()
                .usingEngine(engine).run();
        ArgumentCaptor<CheckPlan> plan = ArgumentCaptor.forClass(CheckPlan.class);
        verify(engine).run(plan.capture());
        assertEquals("a.test", plan.getValue().host());
        assertEquals(Set.of(Check.KEEP_ALIVE), plan.getValue().checks());
        assertTrue(r.isHealthy());
    }

    @Test
    void runAsyncCompletesWithTheEnginesReport() throws Exception {
        CheckEngine engine = mock(CheckEngine.class);
        when(engine.run(any())).thenAnswer(inv -> emptyReport(inv.getArgument(0)));
        Report r = GatewayCheck.forBackend("http://127.0.0.1:8080").usingEngine(engine).runAsync()
                .get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("http://127.0.0.1:8080", r.backend());
    }

    @Test
    void runAsyncNeverRunsOnTheCallersThreadEvenWithManyRunsInFlight() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.Set<Thread> runners = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CheckEngine engine = mock(CheckEngine.class);
        when(engine.run(any())).thenAnswer(inv -> {
            runners.add(Thread.currentThread());
            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            return emptyReport(inv.getArgument(0));
        });
        GatewayCheck check = GatewayCheck.forBackend("http://127.0.0.1:8080").usingEngine(engine);
        List<java.util.concurrent.CompletableFuture<Report>> futures = new java.util.ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 80; i++) {
            futures.add(check.runAsync());
        }
        long submitMillis = (System.nanoTime() - start) / 1_000_000;
        release.countDown();
        for (java.util.concurrent.CompletableFuture<Report> f : futures) {
            f.get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertTrue(submitMillis < 5_000, "submitting blocked for " + submitMillis + " ms");
        assertTrue(!runners.contains(Thread.currentThread()), "a run executed on the caller's thread");
        assertTrue(runners.stream().allMatch(t -> t.isDaemon() && t.getName().startsWith("gateway-check-")));
    }

    @Test
    void withoutAnEngineRunSaysWhichArtifactToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GatewayCheck.forBackend("http://127.0.0.1:8080").run());
        assertTrue(e.getMessage().contains("dev.gatewaycheck:gateway-check-core"), e.getMessage());
    }

    @Test
    void twoEnginesAreRefusedByName(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(CheckEngine.class.getName()),
                FakeEngineA.class.getName() + "\n" + FakeEngineB.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                GatewayCheckTest.class.getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Engines.load(loader));
            assertTrue(e.getMessage().contains("FakeEngineA") && e.getMessage().contains("FakeEngineB"),
                    e.getMessage());
        }
    }

    @Test
    void oneEngineIsFound(@TempDir Path dir) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(CheckEngine.class.getName()), FakeEngineA.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                GatewayCheckTest.class.getClassLoader())) {
            assertEquals(FakeEngineA.class, Engines.load(loader).getClass());
        }
    }

    @Test
    void awaitHealthyThrowsWithTheLastReport() {
        CheckEngine engine = mock(CheckEngine.class);
        when(engine.run(any())).thenAnswer(inv -> {
            CheckPlan p = inv.getArgument(0);
            Finding f = new Finding(Cause.CONNECTION_REFUSED, Severity.ERROR, "http://127.0.0.1:1", "refused",
                    Evidence.EMPTY, Cause.CONNECTION_REFUSED.remedy(), 502);
            return Schema.valid(new Report(p.backend().toString(), p.host(), p.profile().name(), Instant.EPOCH,
                    new Timings(null, null, null, null, Duration.ZERO), p.checks(), List.of(), List.of(f), true));
        });
        UnhealthyBackendException e = assertThrows(UnhealthyBackendException.class,
                () -> GatewayCheck.forBackend("http://127.0.0.1:1").usingEngine(engine)
                        .awaitHealthy(Duration.ofMillis(300)));
        assertTrue(e.report().has(Cause.CONNECTION_REFUSED));
        assertTrue(e.getMessage().contains("CONNECTION_REFUSED"), e.getMessage());
    }

    @Test
    void noCheckNamedMeansEveryCheckForRunAndTheQuickOnesForReadiness() {
        CheckEngine engine = mock(CheckEngine.class);
        when(engine.run(any())).thenAnswer(inv -> healthy(inv.getArgument(0)));
        GatewayCheck none = GatewayCheck.forBackend("http://127.0.0.1:1").usingEngine(engine);
        none.run();
        none.awaitHealthy(Duration.ofSeconds(5));
        none.keepAlive().awaitHealthy(Duration.ofSeconds(5));
        ArgumentCaptor<CheckPlan> plans = ArgumentCaptor.forClass(CheckPlan.class);
        verify(engine, org.mockito.Mockito.times(3)).run(plans.capture());
        assertEquals(EnumSet.allOf(Check.class), plans.getAllValues().get(0).checks());
        assertEquals(EnumSet.of(Check.TLS, Check.PROBE), plans.getAllValues().get(1).checks());
        assertEquals(GatewayCheck.READINESS_CHECKS, plans.getAllValues().get(1).checks());
        assertEquals(EnumSet.of(Check.KEEP_ALIVE), plans.getAllValues().get(2).checks(), "named: exactly that");
    }

    @Test
    void readinessFailureIsAnAssertionErrorSayingWhatTheBackendStillDoes() {
        CheckEngine engine = mock(CheckEngine.class);
        Finding f = new Finding(Cause.BACKEND_RETURNED_GATEWAY_ERROR, Severity.ERROR, "http://127.0.0.1:1",
                "503", Evidence.builder().put("status", 503).build(),
                Cause.BACKEND_RETURNED_GATEWAY_ERROR.remedy(), 502);
        GatewayCheck check = GatewayCheck.forBackend("http://127.0.0.1:1").usingEngine(engine);
        CheckPlan p = check.tls().probe().plan();   // the readiness checks awaitHealthy runs
        // validated before the clock starts: the answer is the same on every attempt
        Report answer = Schema.valid(new Report(p.backend().toString(), p.host(), p.profile().name(), Instant.EPOCH,
                new Timings(null, null, null, null, Duration.ZERO), p.checks(), List.of(), List.of(f), true));
        when(engine.run(any())).thenReturn(answer);
        AssertionError e = assertThrows(AssertionError.class,
                () -> check.awaitHealthy(Duration.ofSeconds(1), Duration.ofMillis(100)));
        UnhealthyBackendException u = (UnhealthyBackendException) e;
        assertTrue(u.getMessage().startsWith("Backend http://127.0.0.1:1 still answering 503 after 1s ("),
                u.getMessage());
        assertTrue(u.attempts() >= 2 && u.attempts() <= 11, "attempts " + u.attempts());
        assertTrue(u.getMessage().contains(u.attempts() + " attempts, waited "), u.getMessage());
        assertTrue(u.getMessage().contains("BACKEND_RETURNED_GATEWAY_ERROR"), u.getMessage());
        assertTrue(u.waited().compareTo(Duration.ofMillis(500)) >= 0 && u.waited().compareTo(Duration.ofSeconds(2)) < 0,
                u.waited().toString());
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals("5s", UnhealthyBackendException.human(Duration.ofSeconds(5)));
        assertEquals("5.1s", UnhealthyBackendException.human(Duration.ofMillis(5123)));
        assertEquals("250ms", UnhealthyBackendException.human(Duration.ofMillis(250)));
        assertEquals("2m", UnhealthyBackendException.human(Duration.ofMinutes(2)));
        assertEquals("1m30s", UnhealthyBackendException.human(Duration.ofSeconds(90)));
        assertEquals("12s", UnhealthyBackendException.human(Duration.ofMillis(12_400)));
    }

    private static Report healthy(CheckPlan p) {
        return Schema.valid(new Report(p.backend().toString(), p.host(), p.profile().name(), Instant.EPOCH,
                new Timings(null, null, null, null, Duration.ZERO), p.checks(), List.of(), List.of(), true));
    }

    /** A provider for the ServiceLoader tests. */
    public static final class FakeEngineA implements CheckEngine {
        @Override
        public Report run(CheckPlan plan) {
            return emptyReport(plan);
        }
    }

    /** A second provider for the ServiceLoader tests. */
    public static final class FakeEngineB implements CheckEngine {
        @Override
        public Report run(CheckPlan plan) {
            return emptyReport(plan);
        }
    }
}
