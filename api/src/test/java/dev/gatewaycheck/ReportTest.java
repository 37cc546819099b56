package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final Finding WARN = new Finding(Cause.TLS_CERT_EXPIRING_SOON, Severity.WARNING,
            "https://127.0.0.1:8443", "expires in 12 days", Evidence.builder().put("daysLeft", 12).build(),
            "renew", 0);
    private static final Finding ERR = new Finding(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, Severity.ERROR,
            "http://127.0.0.1:8080", "The backend closed the idle connection after 5.0s",
            Evidence.builder().put("observedIdleCloseSeconds", java.time.Duration.ofMillis(5012))
                    .put("gatewayIdleTimeoutSeconds", java.time.Duration.ofSeconds(60)).build(),
            "raise KeepAliveTimeout", 502);

    private static Report report(List<Finding> findings) {
        return Schema.valid(new Report("http://127.0.0.1:8080", "www.example.com", "Azure",
                Instant.parse("2026-11-23T10:00:00Z"),
                new Timings(Duration.ofMillis(1), Duration.ofMillis(2), null, Duration.ofMillis(30),
                        Duration.ofMillis(5000)), Set.of(Check.KEEP_ALIVE),
                List.of(new PhaseResult(Phase.DNS, PhaseResult.Status.PASSED, Duration.ofMillis(1), ""),
                        new PhaseResult(Phase.TLS, PhaseResult.Status.SKIPPED, Duration.ZERO, "plain http")),
                findings, true));
    }

    @Test
    void findingsAreSortedMostSevereFirstAndQueryable() {
        Report r = report(List.of(WARN, ERR));
        assertEquals(List.of(ERR, WARN), r.findings());
        assertFalse(r.isHealthy());
        assertFalse(r.isClean());
        assertTrue(r.has(Cause.TLS_CERT_EXPIRING_SOON));
        assertEquals(Severity.ERROR, r.worstSeverity().orElseThrow());
        assertEquals(List.of(WARN), r.findings(Category.TLS));
        assertThrows(UnsupportedOperationException.class, () -> r.findings().add(ERR));
    }

    @Test
    void toStringIsATable() {
        assertEquals(String.join("\n",
                "Report http://127.0.0.1:8080 (Host www.example.com) against Azure: UNHEALTHY, 1 finding in 5000ms",
                "  1. ERROR   KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY -> gateway answers 502",
                "       The backend closed the idle connection after 5.0s",
                "       evidence: observedIdleCloseSeconds=5.012, gatewayIdleTimeoutSeconds=60",
                "       fix: raise KeepAliveTimeout",
                "  phases: DNS PASSED, TLS SKIPPED (plain http)",
                "  timings: dns=1.0ms connect=2.0ms tls=- firstByte=30ms total=5000ms"),
                report(List.of(ERR)).toString());
    }

    @Test
    void jsonHasTheDocumentedShape() {
        assertEquals("{\"schema\":2,\"kind\":\"backend\",\"version\":\"" + Json.VERSION + "\",\"profile\":\"Azure\","
                + "\"startedAt\":\"2026-11-23T10:00:00Z\",\"profileId\":\"custom\",\"backend\":\"http://127.0.0.1:8080\","
                + "\"host\":\"www.example.com\",\"elapsedSeconds\":5,\"healthy\":false,"
                + "\"complete\":true,\"checks\":[\"KEEP_ALIVE\"],\"timings\":{\"dns\":0.001,\"connect\":0.002,"
                + "\"tls\":null,\"firstByte\":0.03,\"total\":5},\"phases\":[{\"phase\":\"DNS\",\"status\":\"PASSED\","
                + "\"elapsedSeconds\":0.001,\"reason\":\"\"},{\"phase\":\"TLS\",\"status\":\"SKIPPED\","
                + "\"elapsedSeconds\":0,\"reason\":\"plain http\"}],\"findings\":[{\"cause\":"
                + "\"KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY\",\"severity\":\"ERROR\",\"category\":\"KEEPALIVE\","
                + "\"proxyStatus\":\"connection_terminated\",\"gatewayStatus\":502,\"backend\":\"http://127.0.0.1:8080\","
                + "\"message\":\"The backend closed the idle connection after 5.0s\",\"evidence\":{"
                + "\"observedIdleCloseSeconds\":5.012,\"gatewayIdleTimeoutSeconds\":60},\"remedy\":\"raise KeepAliveTimeout\"}]}",
                report(List.of(ERR)).toJson());
    }

    @Test
    void assertHealthyExplainsItself() {
        AssertionError e = assertThrows(AssertionError.class, () -> report(List.of(ERR)).assertHealthy());
        assertTrue(e.getMessage().startsWith("Expecting backend http://127.0.0.1:8080 to be healthy for Azure but"),
                e.getMessage());
        Report ok = report(List.of(WARN));
        assertEquals(ok, ok.assertHealthy());
    }

    @Test
    void jsonEscapesControlCharacters() {
        Finding odd = new Finding(Cause.MALFORMED_STATUS_LINE, Severity.ERROR, "b", "line \"x\"\n\u0001", Evidence.EMPTY,
                "r", 502);
        assertTrue(report(List.of(odd)).toJson().contains("\"message\":\"line \\\"x\\\"\\n\\u0001\""));
    }

    @Test
    void everyCauseHasTitleRemedyProxyStatusAndSources() {
        for (Cause c : Cause.values()) {
            assertFalse(c.title().isBlank(), c::name);
            assertFalse(c.remedy().isBlank(), c::name);
            assertTrue(c.proxyStatus().matches("[a-z_]+"), c::name);
            assertFalse(c.sources().isEmpty(), c::name);
            c.sources().forEach(u -> assertTrue(u.startsWith("https://"), () -> c + " cites " + u));
            assertFalse((c.title() + c.remedy()).matches(".*\\bS00[0-9]\\b.*"), () -> c + " cites a seed key");
            assertEquals(c, Cause.fromId(c.id()));
        }
        assertEquals("Unknown cause id: 'NOPE'",
                assertThrows(IllegalArgumentException.class, () -> Cause.fromId("NOPE")).getMessage());
    }

    @Test
    void aPhaseThatFailedInsideTheLibraryMakesTheReportUnknownNotHealthy() {
        Report r = Schema.valid(new Report("http://127.0.0.1:8080", "h", "p", Instant.EPOCH,
                new Timings(null, null, null, null, Duration.ZERO), Set.of(Check.PROBE),
                List.of(new PhaseResult(Phase.REQUEST, PhaseResult.Status.ERRORED, Duration.ZERO,
                        "java.lang.IllegalStateException: boom")), List.of(), true));
        assertFalse(r.isHealthy());
        assertTrue(r.toString().contains(": UNKNOWN, 0 findings"), r::toString);
    }

    @Test
    void theReadmeDocumentsEveryCause() throws java.io.IOException {
        java.nio.file.Path readme = Readme.path();
        String text = java.nio.file.Files.readString(readme);
        for (Cause c : Cause.values()) {
            assertTrue(text.contains("`" + c.id() + "`"), () -> "README.md does not document " + c.id());
        }
    }
}
