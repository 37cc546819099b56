package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.testkit.Expect;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link Cause} constant exists only when something detects it: this check runs after the whole core suite
 * (a second Surefire execution in the {@code verify} phase) and fails for every constant that no test produced
 * against a real server through {@link Expect#finding}.
 */
class CauseCoverageCheck {

    @Test
    void everyCauseIsProducedByATestAgainstARealServer() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Cause c : Cause.values()) {
            if (!Files.exists(Expect.PRODUCED.resolve(c.id()))) {
                missing.add(c.id());
            }
        }
        assertEquals(List.of(), missing, "Cause constants no test produced (detect them or remove them)");
    }
}
