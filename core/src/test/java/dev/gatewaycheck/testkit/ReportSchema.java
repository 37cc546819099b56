package dev.gatewaycheck.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Validates report JSON against the published JSON Schema ({@code dev/gatewaycheck/report.schema.json}, draft
 * 2020-12) with a real validator. {@link Expect} calls it for every report a test asserts on.
 */
public final class ReportSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    /**
     * Evidence that is text even when it reads as one number: {@code accepted} lists status ranges ({@code 200},
     * {@code 200-399, 404}); {@code contentLength} of {@code CONFLICTING_FRAMING_HEADERS} is the header values as
     * sent ({@code 5}, {@code 5, 6}); {@code serial} is a certificate's serial number in hexadecimal, which reads as a
     * decimal number when none of its digits is a letter (a random serial, now and then: a flaky failure before).
     */
    private static final Set<String> TEXT_BY_NATURE = Set.of("accepted", "contentLength", "serial");

    private ReportSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = Report.class.getResourceAsStream("report.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("dev/gatewaycheck/report.schema.json is not on the class path");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the test when {@code json} does not validate; returns it parsed. */
    public static JsonNode validate(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage() + "\n" + json, e);
        }
        Set<ValidationMessage> errors = SCHEMA.validate(node);
        if (!errors.isEmpty()) {
            fail("the report does not validate against report.schema.json: " + errors + "\n" + json);
        }
        numbersAreNumbers(node, json);
        return node;
    }

    /**
     * Fails when an evidence value is a number written as text ({@code "daysLeft":"29"}): evidence keeps its types
     * (issue 9), which the schema checks only for the keys whose unit it knows.
     */
    private static void numbersAreNumbers(JsonNode node, String json) {
        node.fields().forEachRemaining(e -> {
            if (e.getKey().equals("evidence") && e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(v -> {
                    if (v.getValue().isTextual() && NUMBER.matcher(v.getValue().asText()).matches()
                            && !TEXT_BY_NATURE.contains(v.getKey())) {
                        fail("evidence " + v.getKey() + " is a number as text: " + v.getValue() + "\n" + json);
                    }
                });
            }
        });
        node.elements().forEachRemaining(child -> numbersAreNumbers(child, json));
    }

    /** Validates {@code r.toJson()}; returns the report. */
    public static Report valid(Report r) {
        validate(r.toJson());
        return r;
    }

    /** Validates {@code r.toJson()}; returns the report. */
    public static PoolReport valid(PoolReport r) {
        validate(r.toJson());
        return r;
    }

    /** Validates {@code r.toJson()}; returns the report. */
    public static FrontendReport valid(FrontendReport r) {
        validate(r.toJson());
        return r;
    }
}
