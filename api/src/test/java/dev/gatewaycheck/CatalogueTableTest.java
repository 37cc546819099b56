package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * README's catalogue table ("The catalogue: every documented cause") and the {@link Cause} enum stay in step: one
 * row per constant with its category and default severity, one row per id of the project's cause catalogue, and
 * every row says how the cause is detected, or, for an id without a constant, that it is not seen from outside.
 */
class CatalogueTableTest {

    /** Every cause id of the project's catalogue ({@code causes.md}, sections 1a-1f). */
    static final Set<String> CATALOGUE_IDS = new TreeSet<>(Arrays.asList(
            "EMPTY_BACKEND_POOL", "ALL_BACKENDS_UNHEALTHY", "NETWORK_PATH_BLOCKED", "BACKEND_DNS_RESOLUTION_FAILURE",
            "TARGET_DEREGISTERED_DURING_REQUEST", "SERVERLESS_TARGET_ERROR", "EDGE_FUNCTION_ERROR",
            "GATEWAY_INTERNAL_TRANSIENT", "REQUEST_LOOP_DETECTED", "CONNECTION_REFUSED", "HOST_UNREACHABLE",
            "CONNECT_TIMEOUT", "PROTOCOL_PORT_MISMATCH", "KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY",
            "KEEPALIVE_DISABLED_ON_BACKEND", "BACKEND_RESET_CONNECTION", "BACKEND_CLOSED_WITHOUT_RESPONSE",
            "BACKEND_CLOSED_MID_RESPONSE", "RESPONSE_TIMEOUT", "REQUEST_NOT_READ_BY_BACKEND", "MALFORMED_STATUS_LINE",
            "INVALID_RESPONSE_HEADER", "RESPONSE_HEADER_TOO_LARGE", "CONFLICTING_FRAMING_HEADERS",
            "INVALID_CHUNKED_ENCODING", "CONTENT_LENGTH_MISMATCH", "INVALID_COMPRESSED_BODY",
            "UNEXPECTED_INTERIM_OR_EARLY_RESPONSE", "HTTP2_ALPN_MISCONFIGURED", "BACKEND_RETURNED_GATEWAY_ERROR",
            "BACKEND_APP_NOT_DEPLOYED", "TLS_PROTOCOL_VERSION_MISMATCH", "TLS_NO_SHARED_CIPHER",
            "TLS_HANDSHAKE_TIMEOUT", "TLS_SNI_REQUIRED_NOT_SENT", "TLS_SNI_NOT_SUPPORTED_BY_BACKEND",
            "TLS_CERT_EXPIRED", "TLS_CERT_NOT_YET_VALID", "TLS_CERT_HOSTNAME_MISMATCH", "TLS_CERT_UNTRUSTED_CA",
            "TLS_TRUSTED_ROOT_MISMATCH", "TLS_CERT_NOT_ALLOWLISTED", "TLS_CHAIN_INCOMPLETE", "TLS_CHAIN_MISORDERED",
            "TLS_CERT_REVOKED", "TLS_CERT_PROPERTIES_UNSUPPORTED", "BACKEND_REQUIRES_CLIENT_CERT",
            "PROBE_STATUS_MISMATCH", "PROBE_BODY_MISMATCH", "PROBE_TIMEOUT", "PROBE_HOST_NOT_SERVED",
            "PROBE_MISCONFIGURED"));

    static final List<String> KINDS = List.of("directly", "profile", "configuration", "front door",
            "not from outside");

    record Row(String id, String category, String severity, String how) {
    }

    static Map<String, Row> table() throws IOException {
        String text = Files.readString(Readme.path());
        int begin = text.indexOf("<!-- catalogue:begin -->");
        int end = text.indexOf("<!-- catalogue:end -->");
        assertTrue(begin >= 0 && end > begin, "README.md must hold the catalogue table between its markers");
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : text.substring(begin, end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split(" \\| ", 4);
            assertEquals(4, cells.length, () -> "a catalogue row has 4 cells: " + line);
            String id = cells[0].strip().replace("`", "");
            Row previous = rows.put(id, new Row(id, cells[1].strip(), cells[2].strip(), cells[3].strip()));
            assertEquals(null, previous, () -> "two catalogue rows for " + id);
        }
        return rows;
    }

    @Test
    void everyCauseHasItsRowWithItsCategoryAndSeverity() throws IOException {
        Map<String, Row> rows = table();
        List<String> wrong = new ArrayList<>();
        for (Cause c : Cause.values()) {
            Row r = rows.get(c.id());
            if (r == null) {
                wrong.add(c.id() + ": no row");
            } else if (!r.category().equals(c.category().name()) || !r.severity().equals(c.defaultSeverity().name())) {
                wrong.add(c.id() + ": row says " + r.category() + "/" + r.severity() + ", the enum "
                        + c.category() + "/" + c.defaultSeverity());
            } else if (r.how().startsWith("**not from outside**")) {
                wrong.add(c.id() + ": has a constant, so it is detected; the row says " + r.how());
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyCatalogueIdHasARowAndIdsWithoutAConstantAreNotSeenFromOutside() throws IOException {
        Map<String, Row> rows = table();
        Set<String> missing = new TreeSet<>(CATALOGUE_IDS);
        missing.removeAll(rows.keySet());
        assertEquals(Set.of(), missing, "catalogue ids without a README row");
        for (Row r : rows.values()) {
            boolean constant = Arrays.stream(Cause.values()).anyMatch(c -> c.id().equals(r.id()));
            if (!constant) {
                assertTrue(CATALOGUE_IDS.contains(r.id()), () -> r.id() + " is neither a Cause nor a catalogue id");
                assertEquals("-", r.severity(), () -> r.id() + " has no constant, so no severity");
                assertTrue(r.how().startsWith("**not from outside**"),
                        () -> r.id() + " has no constant: its row must say it is not seen from outside: " + r.how());
                Category.valueOf(r.category());
            }
            if (KINDS.stream().noneMatch(k -> r.how().contains("**" + k + "**"))) {
                fail(r.id() + ": the row must say how it is detected (" + KINDS + "): " + r.how());
            }
        }
    }
}
