package dev.gatewaycheck.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the tool knows about where it writes: whether stdout and stderr are terminals (colour, progress) and the
 * environment (NO_COLOR, the client certificate password). Tests pass their own; {@link #detect()} looks at the
 * process.
 *
 * @param outIsTerminal whether stdout is a terminal
 * @param errIsTerminal whether stderr is a terminal
 * @param env           the environment variables
 */
record Terminal(boolean outIsTerminal, boolean errIsTerminal, Map<String, String> env) {

    /** Neither stream is a terminal; an empty environment. */
    static final Terminal NONE = new Terminal(false, false, Map.of());

    Terminal {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** This process: stdout/stderr are terminals when their file descriptors are ttys. */
    static Terminal detect() {
        return new Terminal(isTty(1), isTty(2), System.getenv());
    }

    /** Colour on stdout: only on a terminal, and never when NO_COLOR is set to anything (no-color.org). */
    boolean colour() {
        String noColor = env.get("NO_COLOR");
        return outIsTerminal && (noColor == null || noColor.isEmpty());
    }

    private static boolean isTty(int fd) {
        // Linux: the descriptor links to a terminal device; elsewhere, the JDK's console test (stdin and stdout)
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
