package dev.gatewaycheck.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real Apache httpd from the Debian package, started by the test on 127.0.0.1 with its own minimal
 * configuration in a temporary directory, in the foreground, and stopped by the PID it was started with. A missing
 * binary fails the test with the package to install (CI's {@code .ci/run} installs both); it never skips.
 */
public final class RealServer implements AutoCloseable {
    static final Path APACHE = Path.of("/usr/sbin/apache2");
    private static final Duration START_WAIT = Duration.ofSeconds(15);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Process process;
    private final List<ProcessHandle> started = new ArrayList<>();
    private final Path dir;
    private final int port;
    private final String log;

    private RealServer(Process process, Path dir, int port, String log) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.log = log;
    }

    /** Apache httpd (event MPM) with {@code directives} added to a minimal configuration, serving /index.html. */
    public static RealServer apache(String directives) throws IOException, InterruptedException {
        requireInstalled(APACHE, "apache2");
        Path dir = worldReadableTempDir("gc-apache-");
        Path htdocs = Files.createDirectories(dir.resolve("htdocs"));
        Files.writeString(htdocs.resolve("index.html"), "hello from apache\n");
        return start(dir, port -> {
            StringBuilder c = new StringBuilder()
                    .append("ServerRoot \"").append(dir).append("\"\n")
                    .append("ServerName 127.0.0.1\n")
                    .append("Listen 127.0.0.1:").append(port).append('\n')
                    .append("LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n")
                    .append("LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n")
                    .append("PidFile \"").append(dir.resolve("httpd.pid")).append("\"\n")
                    .append("ErrorLog \"").append(dir.resolve("error.log")).append("\"\n")
                    .append("DefaultRuntimeDir \"").append(dir).append("\"\n")
                    .append("DocumentRoot \"").append(htdocs).append("\"\n")
                    .append("<Directory \"").append(htdocs).append("\">\n  Require all granted\n</Directory>\n");
            if ("root".equals(System.getProperty("user.name"))) {
                // as root, Apache's workers switch to this user; they only need to read the document root
                c.append("User ").append(existing("/etc/passwd", "www-data", "nobody")).append('\n')
                        .append("Group ").append(existing("/etc/group", "www-data", "nogroup")).append('\n');
            }
            c.append(directives).append('\n');
            return c.toString();
        }, "httpd.conf", conf -> List.of(APACHE.toString(), "-f", conf.toString(), "-DFOREGROUND"));
    }

    private static RealServer start(Path dir, IntFunction<String> config, String confName,
                                    java.util.function.Function<Path, List<String>> command)
            throws IOException, InterruptedException {
        int port = freeLoopbackPort();
        Path conf = dir.resolve(confName);
        Files.writeString(conf, config.apply(port));
        Process p = new ProcessBuilder(command.apply(conf)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        RealServer s = new RealServer(p, dir, port, dir.resolve("error.log").toString());
        long end = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                String out = read(dir.resolve("stdout.log")) + read(dir.resolve("error.log"));
                fail(command.apply(conf).get(0) + " exited with " + p.exitValue() + " at start:\n" + out);
            }
            if (accepts(port)) {
                p.descendants().forEach(s.started::add);
                return s;
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        s.close();
        fail(command.apply(conf).get(0) + " did not listen on 127.0.0.1:" + port + " within " + START_WAIT
                + ":\n" + read(dir.resolve("error.log")));
        return s;
    }

    /** {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's error log, for failure messages. */
    public String log() {
        return read(Path.of(log));
    }

    /** Stops the process this test started (and the workers it forked), by PID. */
    @Override
    public void close() {
        started.addAll(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : started) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }

    private static void requireInstalled(Path binary, String pkg) {
        assertTrue(Files.isExecutable(binary), binary + " is missing: install the Debian package '" + pkg
                + "' (apt-get install " + pkg + "; .ci/run installs it). This test needs the real server.");
    }

    private static Path worldReadableTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    private static String existing(String file, String preferred, String fallback) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(preferred + ":")) {
                    return preferred;
                }
            }
        } catch (IOException ignored) {
            // fall back
        }
        return fallback;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
