package dev.gatewaycheck.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HAProxy (Debian package, {@code /usr/sbin/haproxy}) started by a test in the foreground ({@code -db}) on
 * 127.0.0.1 and a free port, as an HTTP reverse proxy whose backend section the test writes. {@link #close()} stops
 * exactly the process started here, by its PID, and deletes its directory. A missing haproxy fails the test with an
 * install hint: CI installs it.
 *
 * <pre>{@code
 * try (Haproxy front = Haproxy.reverseProxy("timeout server 1s", "server s1 127.0.0.1:" + backendPort)) {
 *     GatewayCheck.forFrontend(front.url()).run();
 * }
 * }</pre>
 */
public final class Haproxy implements Closeable {
    /** Where the Debian package installs HAProxy. */
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread onExit;

    private Haproxy(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.onExit = new Thread(process::destroy, "haproxy-" + process.pid() + "-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Starts HAProxy in HTTP mode (connect timeout 1 s, server timeout 2 s unless {@code defaults} says otherwise)
     * with {@code defaults} added to its defaults section and {@code backendLines} as its only backend (none: an
     * empty backend).
     */
    public static Haproxy reverseProxy(String defaults, String... backendLines) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("haproxy is required but " + BINARY + " is missing: install the Debian "
                    + "package (apt-get install haproxy); .ci/run installs it on CI");
        }
        Path dir = Files.createTempDirectory("gatewaycheck-haproxy");
        int port = ListenPort.pick();
        StringBuilder conf = new StringBuilder("global\n  maxconn 64\n\ndefaults\n  mode http\n"
                + "  timeout connect 1s\n  timeout client 10s\n  timeout server 2s\n  retries 1\n");
        if (!defaults.isEmpty()) {
            conf.append("  ").append(defaults).append('\n');
        }
        conf.append("\nfrontend fe\n  bind 127.0.0.1:").append(port).append("\n  default_backend be\n\nbackend be\n");
        for (String line : backendLines) {
            conf.append("  ").append(line).append('\n');
        }
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), conf.toString());
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-db", "-f", cfg.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("output.log").toFile()).start();
        Haproxy h = new Haproxy(p, dir, port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    String log = h.log();
                    h.close();
                    throw new IllegalStateException("haproxy exited with " + p.exitValue() + ":\n" + log);
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return h;
                } catch (IOException notYet) {
                    p.waitFor(20, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String log = h.log();
        h.close();
        throw new IllegalStateException("haproxy did not listen on 127.0.0.1:" + port + " within 10 s:\n" + log);
    }

    /** {@code http://127.0.0.1:port/}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** HAProxy's output (warnings, alerts), for failure messages. */
    public String log() {
        try {
            Path p = dir.resolve("output.log");
            return (Files.exists(p) ? Files.readString(p) : "(no output)") + "\nconfig:\n"
                    + Files.readString(dir.resolve("haproxy.cfg"));
        } catch (IOException e) {
            return "(unreadable output: " + e + ")";
        }
    }

    /** Stops the HAProxy started here (SIGTERM, then SIGKILL) and deletes its directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: it stops the process too
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
