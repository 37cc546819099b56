package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The published schema accepts the three documents with typed evidence, and rejects what schema 2 changed. */
class ReportSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Set<ValidationMessage> errors(String json) {
        return Schema.errors(json);
    }

    private static final Evidence CHAIN = Evidence.builder().put("chainLength", 1).put("chain", List.of(
            Evidence.builder().put("subject", "CN=leaf").put("notAfter", Instant.parse("2024-11-15T00:00:00Z"))
                    .build())).put("daysLeft", 12L).put("elapsedSeconds", Duration.ofMillis(1234)).build();

    private static Report report() {
        Finding f = new Finding(Cause.TLS_CERT_EXPIRING_SOON, Severity.WARNING, "https://127.0.0.1:8443",
                "expires soon", CHAIN, "renew", 0);
        return new Report("https://127.0.0.1:8443", "www.example.com", "generic gateway", "generic", Instant.EPOCH,
                new Timings(null, Duration.ofMillis(2), null, null, Duration.ofSeconds(1)), Set.of(Check.TLS),
                List.of(new PhaseResult(Phase.TLS, PhaseResult.Status.INCONCLUSIVE, Duration.ZERO, "deadline")),
                List.of(f), false);
    }

    @Test
    void aReportWithTypedEvidenceValidates() throws Exception {
        String json = report().toJson();
        assertEquals(Set.of(), errors(json), json);
        JsonNode ev = JSON.readTree(json).get("findings").get(0).get("evidence");
        assertTrue(ev.get("daysLeft").isNumber(), json);
        assertTrue(ev.get("elapsedSeconds").isNumber(), json);
        assertEquals(1.234, ev.get("elapsedSeconds").asDouble());
        assertEquals("CN=leaf", ev.get("chain").get(0).get("subject").asText());
        assertEquals("2024-11-15T00:00:00Z", ev.get("chain").get(0).get("notAfter").asText());
        assertTrue(report().toString().contains("chain=CN=leaf"), report()::toString);
    }

    @Test
    void poolAndFrontendReportsValidate() throws Exception {
        PoolReport pool = new PoolReport("generic gateway", Instant.EPOCH, Duration.ofSeconds(1),
                List.of(new PoolReport.Member("a", "https://127.0.0.1:8443", "", report())), List.of(), true);
        assertEquals(Set.of(), errors(pool.toJson()), pool.toJson());
        FrontendReport front = new FrontendReport("https://127.0.0.1:8443/", "generic gateway", Instant.EPOCH,
                Duration.ofSeconds(1), 502, "nginx", FrontendReport.Hop.BACKEND, "the backend", List.of(),
                List.of(report()), true);
        assertEquals(Set.of(), errors(front.toJson()), front.toJson());
    }

    @Test
    void aDurationAsTextOrAnUnknownKeyIsRejected() throws Exception {
        String json = report().toJson();
        assertFalse(errors(json.replace("\"elapsedSeconds\":1.234", "\"elapsedSeconds\":\"1.234s\"")).isEmpty());
        assertFalse(errors(json.replace("\"schema\":2", "\"schema\":1")).isEmpty());
        assertFalse(errors(json.replace("\"host\":", "\"hostName\":")).isEmpty());
    }

    @Test
    void theReadmeSampleValidates() throws Exception {
        String text = java.nio.file.Files.readString(Readme.path());
        int section = text.indexOf("## JSON shape (schema 2)");
        assertTrue(section >= 0, "README.md must document the JSON shape (schema 2)");
        int begin = text.indexOf("```json\n", section) + "```json\n".length();
        String sample = text.substring(begin, text.indexOf("```", begin));
        assertEquals(Set.of(), errors(sample), sample);
    }
}
