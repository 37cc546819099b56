package dev.gatewaycheck.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.testkit.FaultServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 13, case 6: the exit status of {@code --front-door} follows the library's verdict. */
class FrontDoorExitTest {

    @Test
    void aFrontDoorThatNeverAnsweredExitsOne() {
        try (FaultServer front = FaultServer.plain(FaultServer.neverAnswer())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), "--front-door", front.url() + "/",
                    "--timeout", "2s");
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, rc, () -> text + err.toString(StandardCharsets.UTF_8));
            assertTrue(text.contains("no answer"), text);
        }
    }
}
