package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The published schema ({@code report.schema.json}, draft 2020-12) with a real validator, for the api's tests:
 * every report they build by hand goes through {@link #valid(Report)}. (The api builds before core, so its tests
 * cannot use core's test kit, whose {@code ReportSchema} does the same for the engine's reports.)
 */
final class Schema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private Schema() {
    }

    private static JsonSchema load() {
        try (InputStream in = Report.class.getResourceAsStream("report.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the validator says about {@code json}; empty when it validates. */
    static Set<ValidationMessage> errors(String json) {
        try {
            return SCHEMA.validate(JSON.readTree(json));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
        }
    }

    /** Fails the test unless {@code r.toJson()} validates; returns {@code r}. */
    static Report valid(Report r) {
        String json = r.toJson();
        assertEquals(Set.of(), errors(json), json);
        return r;
    }
}
