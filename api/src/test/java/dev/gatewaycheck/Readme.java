package dev.gatewaycheck;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's README.md from a module directory, for the tests that check it. */
final class Readme {
    private Readme() {
    }

    static Path path() {
        Path p = Path.of("README.md");
        for (int i = 0; i < 3 && !Files.exists(p); i++) {
            p = Path.of("..").resolve(p);
        }
        return p;
    }
}
