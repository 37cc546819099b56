package dev.gatewaycheck.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.PoolCheck;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RequestHead;
import dev.gatewaycheck.testkit.ReportSchema;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pools against real loopback members, some of them on 127.0.0.2. */
class PoolCheckTest {
    static final String ERROR_500 = FaultServer.response(500, "Internal Server Error", "broken\n");

    /** Records a pool finding for the coverage check after asserting it, like Expect.finding does for reports. */
    static Finding poolFinding(PoolReport r, Cause cause, Severity severity) {
        Finding f = r.finding(cause).orElseThrow(() -> new AssertionError("Expecting a " + cause
                + " pool finding but the pool report was:\n" + r));
        assertEquals(severity, f.severity(), r::toString);
        Expect.record(cause);
        return f;
    }

    @Test
    void emptyPoolIsReportedWithTheGatewaysStatus() {
        PoolReport azure = GatewayCheck.forPool(List.of()).against(GatewayProfile.AZURE_APP_GATEWAY_V2).run();
        ReportSchema.valid(azure);
        Finding f = poolFinding(azure, Cause.EMPTY_BACKEND_POOL, Severity.ERROR);
        assertEquals(502, f.gatewayStatus());
        assertEquals("0", Expect.evidence(f, "members"));
        assertFalse(azure.isHealthy());

        PoolReport alb = GatewayCheck.forPool(List.of()).against(GatewayProfile.AWS_ALB).run();
        ReportSchema.valid(alb);
        assertEquals(503, poolFinding(alb, Cause.EMPTY_BACKEND_POOL, Severity.ERROR).gatewayStatus());
    }

    @Test
    void everyMemberFailingTheProbeIsAllBackendsUnhealthy() {
        try (FaultServer a = FaultServer.plain(FaultServer.respond(ERROR_500));
             FaultServer b = FaultServer.plain(FaultServer.respond(ERROR_500))) {
            PoolReport r = GatewayCheck.forPool(List.of(a.url(), URI.create(b.url())))
                    .against(GatewayProfile.AZURE_APP_GATEWAY_V2).run();
            ReportSchema.valid(r);
            Finding f = poolFinding(r, Cause.ALL_BACKENDS_UNHEALTHY, Severity.ERROR);
            assertEquals(502, f.gatewayStatus());
            assertEquals("2", Expect.evidence(f, "unhealthy"));
            assertEquals("false", Expect.evidence(f, "failsOpen"));
            assertTrue(Expect.evidence(f, "unhealthy[0]").endsWith("PROBE_STATUS_MISMATCH"), f::toString);
            assertEquals(2, r.unhealthyMembers().size());
            Expect.finding(r.members().get(0).report(), Cause.PROBE_STATUS_MISMATCH);
            assertFalse(r.isHealthy());
        }
    }

    @Test
    void albFailsOpenSoAllUnhealthyIsJudgedAsAWarning() {
        try (FaultServer a = FaultServer.plain(FaultServer.respond(ERROR_500))) {
            PoolReport r = GatewayCheck.forPool(List.of(a.url())).against(GatewayProfile.AWS_ALB).run();
            ReportSchema.valid(r);
            Finding f = poolFinding(r, Cause.ALL_BACKENDS_UNHEALTHY, Severity.WARNING);
            assertEquals("true", Expect.evidence(f, "failsOpen"));
            assertEquals(0, f.gatewayStatus(), "a fail-open gateway answers no 5xx of its own");
            assertTrue(f.message().contains("fails open"), f::message);
            assertTrue(r.isHealthy(), r::toString);
        }
    }

    @Test
    void aNameWithTwoAddressesIsCheckedOnBoth() throws Exception {
        InetAddress second = InetAddress.getByName("127.0.0.2");
        try (FaultServer good = FaultServer.plain(FaultServer.ok());
             FaultServer bad = FaultServer.plainOn(second, good.port(), c -> {
                 for (String h; (h = c.readRequest()) != null;) {
                     c.write(RequestHead.parse(h).host().equals("www.contoso.test") ? ERROR_500
                             : FaultServer.okResponse("?"));
                 }
             })) {
            NameResolver dns = NameResolver.staticMap(Map.of("app.pool.test", List.of("127.0.0.1", "127.0.0.2")));
            PoolReport r = GatewayCheck.forPool(List.of("http://app.pool.test:" + good.port()))
                    .withHost("www.contoso.test").resolvingWith(dns).run();
            ReportSchema.valid(r);
            assertEquals(2, r.members().size(), r::toString);
            assertEquals("http://127.0.0.1:" + good.port(), r.members().get(0).address());
            assertEquals("http://127.0.0.2:" + good.port(), r.members().get(1).address());
            assertTrue(r.members().get(0).isHealthy(), r::toString);
            Finding pool = poolFinding(r, Cause.SOME_BACKENDS_UNHEALTHY, Severity.WARNING);
            assertEquals("1", Expect.evidence(pool, "healthy"));
            assertTrue(Expect.evidence(pool, "unhealthy[0]").contains("127.0.0.2"), pool::toString);
            assertTrue(r.isHealthy(), r::toString);

            Report member = r.members().get(1).report();
            ReportSchema.valid(member);
            assertEquals("www.contoso.test", member.host());
            Finding f = Expect.finding(member, Cause.PROBE_STATUS_MISMATCH);
            assertEquals("http://app.pool.test:" + good.port(), Expect.evidence(f, "member"));
            assertTrue(Expect.evidence(f, "resolvedBy").startsWith("NameResolver.staticMap"), f::toString);
            assertTrue(Expect.evidence(f, "systemResolverAnswer").startsWith("does not resolve"), f::toString);
            assertTrue(r.toString().contains("127.0.0.2"), r::toString);
            assertTrue(r.toJson().contains("\"resolvedBy\":\"NameResolver.staticMap"), r::toJson);
        }
    }

    @Test
    void membersAreCheckedConcurrently() {
        String slow = FaultServer.okResponse("slow but fine\n");
        try (FaultServer a = FaultServer.plain(FaultServer.delayed(Duration.ofMillis(300), slow));
             FaultServer b = FaultServer.plain(FaultServer.delayed(Duration.ofMillis(300), slow));
             FaultServer c = FaultServer.plain(FaultServer.delayed(Duration.ofMillis(300), slow));
             FaultServer d = FaultServer.plain(FaultServer.delayed(Duration.ofMillis(300), slow))) {
            long t0 = System.nanoTime();
            PoolReport r = GatewayCheck.forPool(List.of(a.url(), b.url(), c.url(), d.url())).run();
            ReportSchema.valid(r);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            // each member needs >= 11 sequential exchanges of 300 ms (the request sent 6 times as traffic, the
            // body's second look, 4 probes): over 13 s one after another
            assertEquals(4, r.healthyMembers().size(), r::toString);
            assertTrue(took.compareTo(Duration.ofMillis(8000)) < 0, "took " + took + "\n" + r);
        }
    }

    @Test
    void theDeadlineHoldsAndNoWorkerThreadOutlivesTheRun() throws InterruptedException {
        try (FaultServer hang = FaultServer.plain(FaultServer.neverAnswer());
             FaultServer ok = FaultServer.plain(FaultServer.ok())) {
            long t0 = System.nanoTime();
            PoolReport r = GatewayCheck.forPool(List.of(hang.url(), ok.url())).timeout(Duration.ofMillis(1500))
                    .run();
            ReportSchema.valid(r);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            // the contract is deadline + 250 ms; 150 ms more of slack for a loaded 2-core CI machine
            assertTrue(took.compareTo(Duration.ofMillis(1500 + 400)) < 0, "took " + took);
            assertFalse(r.complete(), r::toString);
            assertTrue(r.members().get(1).isHealthy(), r::toString);
            // the member the deadline cut short is not examined, never unhealthy
            PoolReport.Member cut = r.members().get(0);
            assertEquals(PoolReport.State.NOT_EXAMINED, cut.state(), r::toString);
            assertTrue(cut.notExaminedBecause().orElseThrow().contains("deadline"), r::toString);
            assertEquals(List.of(), r.unhealthyMembers(), r::toString);
            assertEquals(List.of(cut), r.notExaminedMembers());
            assertFalse(r.has(Cause.SOME_BACKENDS_UNHEALTHY), r::toString);
            assertTrue(r.toString().contains("NOT EXAMINED"), r::toString);
            assertTrue(r.toString().contains("1 of 2 healthy, 1 not examined"), r::toString);
            assertTrue(r.toJson().contains("\"state\":\"NOT_EXAMINED\",\"notExaminedBecause\":\""), r::toJson);
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (workers() > 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(0, workers(), "pool worker threads left behind");
        }
    }

    @Test
    void concurrencyIsBoundByTheParallelismTheAddressesAndTheFileDescriptors() {
        FileDescriptors plenty = new FileDescriptors(20_000, 50);
        assertEquals(new PoolReport.Concurrency(32, 32, "parallelism"), PoolRunner.concurrency(32, 1000, plenty));
        assertEquals(new PoolReport.Concurrency(32, 3, "addresses"), PoolRunner.concurrency(32, 3, plenty));
        assertEquals(new PoolReport.Concurrency(32, 32, "parallelism"),
                PoolRunner.concurrency(32, 1000, FileDescriptors.UNKNOWN));
        // ulimit -n 1024 with 40 open: (1024 - 40 - 64) / 12 = 76 members at a time, not 256
        PoolReport.Concurrency c = PoolRunner.concurrency(256, 10_000, new FileDescriptors(1024, 40));
        assertEquals(76, c.used());
        assertEquals("file descriptors (limit 1024, 40 open, 12 per member, 64 kept free)", c.boundBy());
        // nearly exhausted: still one member at a time, never none
        assertEquals(1, PoolRunner.concurrency(32, 10, new FileDescriptors(256, 250)).used());
        assertTrue(FileDescriptors.current().known(), "this is a Unix JVM");
    }

    @Test
    void aPoolOfTwoHundredHealthyMembersIsAllHealthyAndSaysHowManyRanAtATime() {
        // correctness at a size that fits mvn verify; the budgets (10,000 members) are PoolBench's
        List<FaultServer> servers = new java.util.ArrayList<>();
        try {
            List<String> members = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                FaultServer s = FaultServer.plain(FaultServer.ok());
                servers.add(s);
                members.add(s.url());
            }
            PoolReport r = GatewayCheck.forPool(members).probe().timeout(Duration.ofSeconds(120)).run();
            assertEquals(200, r.healthyMembers().size(), () -> r.toString().lines().filter(l -> !l.contains(
                    "healthy  ")).limit(20).collect(java.util.stream.Collectors.joining("\n")));
            assertEquals(List.of(), r.unhealthyMembers());
            assertEquals(List.of(), r.notExaminedMembers());
            assertTrue(r.complete() && r.isHealthy() && r.findings().isEmpty(), r::toString);
            assertEquals(PoolCheck.DEFAULT_PARALLELISM, r.concurrency().requested());
            assertEquals(PoolCheck.DEFAULT_PARALLELISM, r.concurrency().used(), r.concurrency()::toString);
            assertTrue(r.toString().contains(" at a time (parallelism)"), r.toString().lines().findFirst()::get);
            assertTrue(r.toJson().contains("\"concurrency\":{\"requested\":" + PoolCheck.DEFAULT_PARALLELISM),
                    r::toJson);
        } finally {
            servers.forEach(FaultServer::close);
        }
    }

    static long workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PoolRunner.THREAD_PREFIX) && t.isAlive()).count();
    }

    @Test
    void badMembersFailAtTheCallNamingTheElement() {
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> GatewayCheck.forPool(java.util.Arrays.asList("http://127.0.0.1:1", null)));
        assertEquals("members[1]", npe.getMessage());
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                () -> GatewayCheck.forPool(List.of(42)));
        assertTrue(iae.getMessage().startsWith("members[0] must be a String or a URI"), iae::getMessage);
        assertThrows(IllegalArgumentException.class, () -> GatewayCheck.forPool(List.of("ftp://x")));
        assertThrows(IllegalArgumentException.class, () -> GatewayCheck.forPool(List.of()).parallelism(0));
    }

    @Test
    void aPoolCutShortBeforeAnyMemberProvedHealthyIsNotHealthy() {
        try (FaultServer a = FaultServer.plain(FaultServer.neverAnswer());
             FaultServer b = FaultServer.plain(FaultServer.neverAnswer())) {
            PoolReport r = GatewayCheck.forPool(List.of(a.url(), b.url())).timeout(Duration.ofMillis(1500)).run();
            ReportSchema.valid(r);
            assertFalse(r.complete(), r::toString);
            assertFalse(r.isHealthy(), r::toString);
            assertTrue(r.toString().contains(": UNKNOWN,"), r::toString);
        }
    }

    @Test
    void membersWithAPrivateCaAreHealthyWhenThePoolTrustsIt() {
        dev.gatewaycheck.testkit.TestCertificates.Held root =
                dev.gatewaycheck.testkit.TestCertificates.ca("Pool Root").build();
        dev.gatewaycheck.testkit.TestCertificates.Held leaf =
                dev.gatewaycheck.testkit.TestCertificates.leaf("127.0.0.1", root).ipSans("127.0.0.1").build();
        try (FaultServer s = FaultServer.tls(dev.gatewaycheck.testkit.TestCertificates.serving(leaf.privateKey(),
                leaf.certificate()), FaultServer.ok())) {
            PoolReport untrusted = GatewayCheck.forPool(List.of(s.url())).run();
            ReportSchema.valid(untrusted);
            assertFalse(untrusted.isHealthy(), untrusted::toString);
            PoolReport r = GatewayCheck.forPool(List.of(s.url())).trusting(root.certificate()).run();
            ReportSchema.valid(r);
            assertTrue(r.isHealthy(), r::toString);
            assertTrue(r.members().get(0).isHealthy(), r::toString);
        }
    }

    /** An engine that answers every plan with a healthy report started by the plan's clock, without the network. */
    static final dev.gatewaycheck.spi.CheckEngine HEALTHY = plan -> new Report(plan.backend().toString(),
            plan.host(), "generic", plan.clock().instant(), new dev.gatewaycheck.Timings(null, null, null, null,
            Duration.ZERO), plan.checks(), List.of(), List.of(), true);

    @Test
    void thePoolStartsByItsMembersClock() {
        java.time.Instant at = java.time.Instant.parse("2030-01-02T03:04:05Z");
        dev.gatewaycheck.spi.CheckPlan member = GatewayCheck.forBackend("http://127.0.0.1:8080")
                .withClock(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)).plan();
        PoolReport r = ReportSchema.valid(PoolRunner.run(HEALTHY, new dev.gatewaycheck.spi.PoolPlan(List.of(member),
                GatewayProfile.GENERIC, Duration.ofSeconds(5), 1)));
        assertEquals(at, r.startedAt(), r::toString);
        assertTrue(r.isHealthy(), r::toString);
    }

    /**
     * {@code withClock} reaches every member's certificate dates and starts the pool's report, as
     * {@code GatewayCheck.withClock} does for one backend; an empty pool starts by it too.
     */
    @Test
    void withClockJudgesEveryMembersCertificateDatesAndStartsThePool() {
        dev.gatewaycheck.testkit.TestCertificates.LoopbackPki pki = dev.gatewaycheck.testkit.TestCertificates
                .loopbackPki("Pool Clock Root");
        java.time.Clock fixed = pki.dayAfterExpiry();
        java.time.Instant later = fixed.instant();
        try (FaultServer s = FaultServer.tls(pki.serving(), FaultServer.ok())) {
            PoolCheck pool = GatewayCheck.forPool(List.of(s.url())).trusting(pki.ca().certificate())
                    .timeout(Duration.ofSeconds(15));
            PoolReport today = ReportSchema.valid(pool.run());
            assertTrue(today.isHealthy(), today::toString);
            PoolReport then = ReportSchema.valid(pool.withClock(fixed).run());
            assertEquals(later, then.startedAt(), then::toString);
            Report member = then.members().get(0).report();
            assertEquals(later, member.startedAt(), member::toString);
            Expect.finding(member, Cause.TLS_CERT_EXPIRED);
            assertTrue(pool.withClock(fixed).toString().startsWith("PoolCheck["), "toString still reads");
        }
        assertEquals(later, GatewayCheck.forPool(List.of()).withClock(fixed).run().startedAt());
        assertThrows(NullPointerException.class, () -> GatewayCheck.forPool(List.of()).withClock(null));
    }
}
