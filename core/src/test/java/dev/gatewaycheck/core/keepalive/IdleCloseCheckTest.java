package dev.gatewaycheck.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Category;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.KeepAliveCheck;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.ReportSchema;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keep-alive check against in-JVM backends with idle timeouts of 1-3 s, request limits and odd headers. */
class IdleCloseCheckTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(15);
    /** What the verdict may take beyond min(backend idle, gateway idle). */
    private static final Duration VERDICT_SLACK = Duration.ofSeconds(1);

    static GatewayProfile gatewayIdle(Duration idle) {
        return GatewayProfile.GENERIC.toBuilder().idleTimeout(idle).build();
    }

    static Report check(String url, GatewayProfile profile) {
        return GatewayCheck.forBackend(url).against(profile).keepAlive().timeout(RUN_TIMEOUT).run();
    }

    static PhaseResult keepAlivePhase(Report r) {
        return r.phase(Phase.KEEP_ALIVE).orElseThrow(() -> new AssertionError("no KEEP_ALIVE phase in\n" + r));
    }

    static double seconds(String value) {
        return Double.parseDouble(value);
    }

    static void assertVerdictWithin(Report r, Duration limit) {
        Duration took = keepAlivePhase(r).elapsed();
        assertTrue(took.compareTo(limit) <= 0, "verdict took " + took.toMillis() + " ms, limit " + limit.toMillis()
                + " ms:\n" + r);
    }

    static long keepAliveFindings(Report r) {
        return r.findings(Category.KEEPALIVE).size();
    }

    @ParameterizedTest(name = "backend idle {0} ms")
    @ValueSource(ints = {1000, 2000, 3000})
    void idleCloseBeforeTheGatewayIsTimeoutShorterThanGateway(int idleMillis) {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofMillis(idleMillis)))) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            double observed = seconds(Expect.evidence(f, "observedIdleCloseSeconds"));
            assertEquals(idleMillis / 1000.0, observed, 0.3, f.evidence()::toString);
            assertEquals("FIN", Expect.evidence(f, "closeKind"));
            assertFalse(f.evidence().has("idleCloseByReset"), f.evidence()::toString);
            assertFalse(f.evidence().has("advertisedTimeoutSeconds"), f::toString);
            assertEquals("60", Expect.evidence(f, "gatewayIdleTimeoutSeconds"));
            assertEquals("KeepAliveTimeout 90", Expect.evidence(f, "recommendedApache"));
            assertEquals("keepalive_timeout 90s;", Expect.evidence(f, "recommendedNginx"));
            assertEquals("server.keepAliveTimeout = 90000; server.headersTimeout = 91000",
                    Expect.evidence(f, "recommendedNode"));
            assertEquals("keepAliveTimeout=\"90000\"", Expect.evidence(f, "recommendedTomcat"));
            assertEquals(502, f.gatewayStatus());
            assertTrue(f.remedy().contains("KeepAliveTimeout 90"), f.remedy());
            assertVerdictWithin(r, Duration.ofMillis(idleMillis).plus(VERDICT_SLACK));
            assertEquals(PhaseResult.Status.FOUND_PROBLEMS, keepAlivePhase(r).status());
        }
    }

    @Test
    void idleCloseByResetHasItsOwnEvidenceLine() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(1))
                .resetOnIdle())) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            assertEquals("RST", Expect.evidence(f, "closeKind"));
            assertTrue(Expect.evidence(f, "idleCloseByReset").contains("cannot tell this from a crash"));
            assertEquals(1.0, seconds(Expect.evidence(f, "observedIdleCloseSeconds")), 0.3);
        }
    }

    @Test
    void gatewayIdleShorterThanTheBackendsGivesNoFinding() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(3)))) {
            Report r = check(s.url(), gatewayIdle(Duration.ofSeconds(2)));

            assertEquals(0, keepAliveFindings(r), r::toString);
            assertEquals(PhaseResult.Status.PASSED, keepAlivePhase(r).status(), r::toString);
            assertVerdictWithin(r, Duration.ofSeconds(2).plus(VERDICT_SLACK));
        }
    }

    @Test
    void closeWithinTheMarginAfterTheGatewayIdleIsAWarning() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofMillis(1250)))) {
            Report r = check(s.url(), gatewayIdle(Duration.ofSeconds(1)));

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.WARNING);
            assertEquals("1", Expect.evidence(f, "gatewayIdleTimeoutSeconds"));
            assertEquals("KeepAliveTimeout 31", Expect.evidence(f, "recommendedApache"));
        }
    }

    @Test
    void connectionCloseOnEveryResponseIsKeepAliveDisabledInfoAtOnce() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().connectionCloseAlways())) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.INFO);
            assertEquals("close", Expect.evidence(f, "connectionHeader"));
            assertEquals("FIN", Expect.evidence(f, "closeKind"));
            assertEquals(0, f.gatewayStatus());
            assertFalse(r.has(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), r::toString);
            assertVerdictWithin(r, Duration.ofMillis(500));
        }
    }

    @Test
    void anHttp10ResponseWithoutKeepAliveIsDisabled() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold");
            c.close();
        })) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.INFO);
            assertEquals("HTTP/1.0", Expect.evidence(f, "httpVersion"));
            assertEquals("none", Expect.evidence(f, "connectionHeader"));
        }
    }

    @Test
    void aBodyEndedByClosingTheConnectionIsDisabled() {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the connection closes");
            c.close();
        })) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.INFO);
            assertEquals("close-delimited", Expect.evidence(f, "framing"));
            assertEquals("FIN", Expect.evidence(f, "closeKind"));
        }
    }

    @Test
    void theProfileDecidesHowDisabledKeepAliveIsJudged() {
        // a gateway that, like Cloudflare, documents disabled keep-alives as a cause of its 5xx
        GatewayProfile strict = GatewayProfile.GENERIC.toBuilder()
                .severity(Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.ERROR)
                .status(Cause.KEEPALIVE_DISABLED_ON_BACKEND, 522).build();
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().connectionCloseAlways())) {
            Report r = check(s.url(), strict);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.ERROR);
            assertEquals(522, f.gatewayStatus());
        }
    }

    @Test
    void closingAfterThreeRequestsWithoutConnectionCloseIsUnannouncedClose() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().maxRequests(3, false))) {
            Report r = check(s.url(), gatewayIdle(Duration.ofSeconds(1)));

            Finding f = Expect.finding(r, Cause.KEEPALIVE_UNANNOUNCED_CLOSE, Severity.WARNING);
            assertEquals("3", Expect.evidence(f, "requestsBeforeClose"));
            assertEquals("4", Expect.evidence(f, "failedRequest"));
            assertTrue(Expect.evidence(f, "failure").matches("RST|empty reply \\(FIN\\)"), f.evidence()::toString);
            // the idle timeout (60 s) was still measured, on a second connection, and is longer than the gateway's
            assertFalse(r.has(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), r::toString);
            assertVerdictWithin(r, Duration.ofSeconds(1).plus(VERDICT_SLACK));
        }
    }

    @Test
    void closingAfterEveryResponseWithoutConnectionCloseIsUnannouncedCloseAfterOne() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().maxRequests(1, false))) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_UNANNOUNCED_CLOSE, Severity.WARNING);
            assertEquals("1", Expect.evidence(f, "requestsBeforeClose"));
            assertTrue(f.message().contains("after every response"), f::toString);
            assertVerdictWithin(r, Duration.ofMillis(500));
        }
    }

    @Test
    void anAnnouncedRequestLimitIsFine() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().maxRequests(3, true))) {
            Report r = check(s.url(), gatewayIdle(Duration.ofSeconds(1)));

            assertEquals(0, keepAliveFindings(r), r::toString);
            assertEquals(PhaseResult.Status.PASSED, keepAlivePhase(r).status(), r::toString);
        }
    }

    @Test
    void anAdvertisedTimeoutTheBackendUndercutsIsNotHonoured() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(1))
                .advertise("timeout=5, max=100"))) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED, Severity.WARNING);
            assertEquals("5", Expect.evidence(f, "advertisedTimeoutSeconds"));
            assertEquals(1.0, seconds(Expect.evidence(f, "observedIdleCloseSeconds")), 0.3);
            Finding shorter = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            assertEquals("5", Expect.evidence(shorter, "advertisedTimeoutSeconds"));
            assertEquals("100", Expect.evidence(shorter, "advertisedMax"));
        }
    }

    @Test
    void anAdvertisedTimeoutTheBackendKeepsIsNoFindingOfItsOwn() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(2))
                .advertise("timeout=2"))) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            assertFalse(r.has(Cause.KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED), r::toString);
            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY);
            assertEquals("2", Expect.evidence(f, "advertisedTimeoutSeconds"));
        }
    }

    @Test
    void chunkedResponsesAreReadWholeBeforeTheIdleWatch() {
        FaultServer.Behaviour chunked = c -> {
            c.socket().setSoTimeout(1500);
            for (int i = 0; i < 20; i++) {
                try {
                    if (c.readRequest() == null) {
                        return;
                    }
                } catch (SocketTimeoutException idle) {
                    c.close();
                    return;
                }
                c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            }
        };
        try (FaultServer s = FaultServer.plain(chunked)) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY);
            assertEquals(1.5, seconds(Expect.evidence(f, "observedIdleCloseSeconds")), 0.3);
            assertEquals(String.valueOf(IdleCloseCheck.BURST_REQUESTS), Expect.evidence(f, "requestsOnConnection"));
        }
    }

    @Test
    void raceReproductionSendsARequestAtTheCloseInstantAndSeesItFail() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(1)))) {
            Report r = GatewayCheck.forBackend(s.url()).keepAlive(KeepAliveCheck.reproduceRace())
                    .timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            assertEquals("true", Expect.evidence(f, "raceReproduced"), f.evidence()::toString);
            assertTrue(Expect.evidence(f, "raceResult").matches("(RST|empty reply \\(FIN\\)) after 1\\.\\d{3}s idle"),
                    f.evidence()::toString);
        }
    }

    @Test
    void raceReproductionAgainstABackendThatAnswersLateRequestsSaysSo() {
        // closes the first idle connection at 1 s; connections opened after that close stay open and answer
        AtomicBoolean closedOnce = new AtomicBoolean();
        FaultServer.Behaviour firstOnly = c -> {
            c.socket().setSoTimeout(closedOnce.get() ? 30_000 : 1000);
            for (int i = 0; i < 100; i++) {
                try {
                    if (c.readRequest() == null) {
                        return;
                    }
                } catch (SocketTimeoutException idle) {
                    closedOnce.set(true);
                    c.close();
                    return;
                }
                c.write(FaultServer.okResponse("still here"));
            }
        };
        try (FaultServer s = FaultServer.plain(firstOnly)) {
            Report r = GatewayCheck.forBackend(s.url()).keepAlive(KeepAliveCheck.reproduceRace())
                    .timeout(RUN_TIMEOUT).run();
            ReportSchema.valid(r);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY);
            assertEquals("false", Expect.evidence(f, "raceReproduced"));
            assertTrue(Expect.evidence(f, "raceResult").startsWith("HTTP 200 after 1."), f.evidence()::toString);
            assertEquals(CloseRace.OFFSETS_MILLIS.length, Expect.evidence(f, "raceAttempts").split("; ").length);
        }
    }

    @Test
    void tlsBackendIdleCloseIsMeasuredToo() throws Exception {
        try (FaultServer s = FaultServer.tls(SelfSignedServer.context(),
                FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(1)))) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR);
            assertTrue(f.backend().startsWith("https://"), f::toString);
            assertEquals("FIN", Expect.evidence(f, "closeKind"));
            assertEquals(1.0, seconds(Expect.evidence(f, "observedIdleCloseSeconds")), 0.3);
        }
    }

    @Test
    void tlsBackendWithKeepAliveOffIsDisabled() throws Exception {
        try (FaultServer s = FaultServer.tls(SelfSignedServer.context(),
                FaultServer.keepAlive().connectionCloseAlways())) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Expect.finding(r, Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.INFO);
            assertVerdictWithin(r, Duration.ofMillis(800));
        }
    }

    @Test
    void aDeadlineBeforeTheGatewayIdleTimeoutIsInconclusiveNotAPass() {
        try (FaultServer s = FaultServer.plain(FaultServer.keepAlive())) {
            long start = System.nanoTime();
            Report r = GatewayCheck.forBackend(s.url()).keepAlive().timeout(Duration.ofSeconds(2)).run();
            ReportSchema.valid(r);
            long took = System.nanoTime() - start;

            PhaseResult p = keepAlivePhase(r);
            assertEquals(PhaseResult.Status.INCONCLUSIVE, p.status(), r::toString);
            assertTrue(p.reason().contains("75s"), p::toString);
            // inconclusive is not healthy: the deadline kept the check from the gateway's verdict
            assertFalse(r.complete(), r::toString);
            assertFalse(r.isHealthy(), r::toString);
            assertEquals(0, keepAliveFindings(r), r::toString);
            assertTrue(took <= Duration.ofMillis(2250).toNanos(), "run took " + took / 1_000_000 + " ms");
        }
    }

    @Test
    void aBackendThatResetsTheFirstRequestIsReportedNotThrown() {
        try (FaultServer s = FaultServer.plain(FaultServer.resetAfterRequest())) {
            Report r = check(s.url(), GatewayProfile.GENERIC);

            Finding f = Expect.finding(r, Cause.BACKEND_RESET_CONNECTION);
            assertEquals("RST", Expect.evidence(f, "end"));
            assertEquals(0, keepAliveFindings(r), r::toString);
        }
    }
}
