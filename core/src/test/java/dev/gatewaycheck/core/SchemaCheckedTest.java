package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.testkit.ReportSchema;
import dev.gatewaycheck.testkit.SchemaChecked;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every report a test run produces is validated against the schema, and evidence numbers must be numbers. */
class SchemaCheckedTest {

    @Test
    void theEngineTheApiFindsValidatesItsReports() throws ReflectiveOperationException {
        Method get = Class.forName("dev.gatewaycheck.Engines").getDeclaredMethod("get");
        get.setAccessible(true);
        assertInstanceOf(SchemaChecked.class, get.invoke(null));
    }

    @Test
    void aNumberWrittenAsTextFails() {
        Finding f = new Finding(Cause.TLS_CERT_EXPIRING_SOON, Severity.WARNING, "https://127.0.0.1:8443", "soon",
                Evidence.builder().put("daysLeft", "29").build(), "renew", 0);
        Report r = new Report("https://127.0.0.1:8443", "h", "p", Instant.EPOCH,
                new Timings(null, null, null, null, Duration.ZERO), Set.of(Check.TLS), List.of(), List.of(f), true);
        AssertionError e = assertThrows(AssertionError.class, () -> ReportSchema.valid(r));
        assertTrue(e.getMessage().startsWith("evidence daysLeft is a number as text: \"29\""), e.getMessage());
    }
}
