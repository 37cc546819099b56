package dev.gatewaycheck.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** README's "Command line" section has one table row per option the parser knows, and every exit status. */
class ReadmeCommandLineTest {

    private static String section() throws Exception {
        Path readme = Path.of("../README.md");
        assertTrue(Files.exists(readme), "README.md must exist (looked for " + readme.toAbsolutePath() + ")");
        String text = Files.readString(readme);
        int begin = text.indexOf("\n## Command line\n");
        int end = text.indexOf("\n## ", begin + 5);
        assertTrue(begin >= 0 && end > begin, "README.md must have a '## Command line' section");
        return text.substring(begin, end);
    }

    @Test
    void everyOptionHasARow() throws Exception {
        String section = section();
        List<String> missing = new ArrayList<>();
        for (OptionSpec o : Options.commandLine(new Options()).getCommandSpec().options()) {
            for (String name : o.names()) {
                String shown = o.negatable() ? name.replaceFirst("^--", "--[no-]") : name;
                if (!section.contains("\n| `" + shown) && !section.contains(", `" + shown)) {
                    missing.add(shown);
                }
            }
        }
        assertEquals(List.of(), missing, "options without a row in README's command-line table");
    }

    @Test
    void everyExitStatusHasARow() throws Exception {
        String section = section();
        for (int status : new int[] {Main.HEALTHY, Main.UNHEALTHY, Main.USAGE}) {
            assertTrue(section.contains("\n| " + status + " |"), "exit status " + status);
        }
        assertTrue(section.contains("\n| `--nagios` 0 / 1 / 2 / 3 |"), "the Nagios statuses");
        assertTrue(section.contains("\n| `serve` 2 / 1 |"), "the exporter's statuses");
    }
}
