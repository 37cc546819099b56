package dev.gatewaycheck.examples.exporter;

import java.io.PrintStream;

/** Placeholder. */
public final class Serve {
    private Serve() {
    }

    public static int run(PrintStream out, PrintStream err, String... args) {
        return 2;
    }
}
