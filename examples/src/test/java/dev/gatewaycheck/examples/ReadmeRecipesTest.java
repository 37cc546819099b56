package dev.gatewaycheck.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README cannot drift from code that compiles: every Java block of README, and every XML block of its "Use it"
 * section, is a region of the consumer build ({@code src/it/consumer}, run by {@code mvn verify} with exactly README's
 * dependencies), marked in the sources by a {@code README: <name>} line and a {@code README end} line, and every such
 * region is in README. The consumer's tests run the "Use it" recipes against loopback backends; the other blocks
 * ({@code MoreRecipes}) name documentation addresses and are compiled only.
 */
class ReadmeRecipesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONSUMER = Path.of("src", "it", "consumer");

    @Test
    void everyJavaBlockOfReadmeAndEveryRecipeOfUseItIsConsumerCode() throws IOException {
        List<String> blocks = new ArrayList<>(useItBlocks());
        for (String b : javaBlocks(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8))) {
            if (!blocks.contains(b)) {
                blocks.add(b);
            }
        }
        Map<String, String> regions = consumerRegions();
        assertTrue(useItBlocks().size() >= 6, "README's Use it has the recipes: " + blocks);
        List<String> unmatched = new ArrayList<>();
        for (String block : blocks) {
            if (!regions.containsValue(block)) {
                unmatched.add(block);
            }
        }
        assertEquals(List.of(), unmatched, "README blocks not found verbatim (indentation aside) in "
                + CONSUMER + ": put the same code between '// README: <section>' and '// README end' lines there "
                + "(MoreRecipes.java for blocks outside Use it; compiled by mvn verify); regions there: " + regions);
        List<String> orphans = regions.entrySet().stream().filter(e -> !blocks.contains(e.getValue()))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), orphans, "consumer regions README does not show");
    }

    @Test
    void theJshellScriptIsTheOneReadmeRuns() {
        assertTrue(Files.isRegularFile(Path.of("jshell", "gatewaycheck.jsh")));
    }

    /** The ```java and ```xml blocks of the "## Use it" section, normalized. */
    static List<String> useItBlocks() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Use it\n");
        assertTrue(start >= 0, "README has a '## Use it' section");
        int end = readme.indexOf("\n## ", start + 5);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : section.split("\n", -1)) {
            if (current == null && (line.equals("```java") || line.equals("```xml"))) {
                current = new ArrayList<>();
            } else if (current != null && line.equals("```")) {
                blocks.add(normalize(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        assertFalse(current != null, "an unclosed code block in Use it");
        return blocks;
    }

    /** Every ```java block of the text, normalized. */
    static List<String> javaBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : text.split("\n", -1)) {
            if (current == null && line.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.equals("```")) {
                blocks.add(normalize(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** Region name -> normalized text, from every source and the POM of the consumer build. */
    static Map<String, String> consumerRegions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(CONSUMER, 12)) {
            files = s.filter(p -> p.toString().endsWith(".java") || p.getFileName().toString().equals("pom.xml"))
                    .sorted().toList();
        }
        for (Path f : files) {
            List<String> current = null;
            String name = null;
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (t.contains("README end")) {
                    regions.put(f.getFileName() + ": " + name, normalize(current));
                    current = null;
                } else if (current == null && (t.startsWith("// README: ") || t.startsWith("<!-- README: "))) {
                    name = t.replaceFirst("^(// |<!-- )README: ", "").replace(" -->", "");
                    current = new ArrayList<>();
                } else if (current != null) {
                    current.add(line.replace("@project.version@", System.getProperty("gatewaycheck.version"))
                            .replace("@testcontainers.version@", System.getProperty("gatewaycheck.testcontainers")));
                }
            }
        }
        return regions;
    }

    /** Common indentation and trailing blanks removed. */
    static String normalize(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
        }
        return b.toString().strip();
    }
}
