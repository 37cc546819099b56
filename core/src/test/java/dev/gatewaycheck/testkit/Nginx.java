package dev.gatewaycheck.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx from the Debian package, started by a test as a reverse proxy on 127.0.0.1 and a free port, with
 * its prefix, pid, logs and temp files in a temporary directory. {@link #close()} stops the process it started
 * (by its PID, SIGTERM then SIGKILL) and its workers. A missing nginx fails the test: CI installs it.
 *
 * <pre>{@code
 * try (Nginx front = Nginx.reverseProxy("proxy_pass http://127.0.0.1:" + backendPort + ";")) {
 *     GatewayCheck.forFrontend(front.url()).run();
 * }
 * }</pre>
 */
public final class Nginx implements Closeable {
    /** Where Debian installs nginx. */
    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts nginx whose {@code location /} holds {@code locationBody}, e.g. a {@code proxy_pass}. */
    public static Nginx reverseProxy(String locationBody) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("nginx is required for the front-door tests but " + BINARY
                    + " is missing: install the Debian package (apt-get install nginx); CI installs it");
        }
        Path dir = Files.createTempDirectory("gateway-check-nginx");
        int port = freePort();
        String conf = "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n  access_log off;\n"
                + "  client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  server {\n    listen 127.0.0.1:" + port + ";\n    server_name _;\n"
                + "    location / {\n      " + locationBody + "\n    }\n  }\n}\n";
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-p", dir + "/", "-c", confFile.toString(),
                "-e", dir.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx n = new Nginx(p, dir, port);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                String log = n.log();
                n.close();
                throw new IllegalStateException("nginx exited with " + p.exitValue() + ":\n" + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return n;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        String log = n.log();
        n.close();
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within 10 s:\n" + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code http://127.0.0.1:port/}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** The port nginx listens on. */
    public int port() {
        return port;
    }

    /** The PID of the master process this test started. */
    public long pid() {
        return process.pid();
    }

    /** nginx's error log and output, for failure messages. */
    public String log() {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"error.log", "stdout.log"}) {
            try {
                b.append(Files.readString(dir.resolve(f)));
            } catch (IOException e) {
                b.append("(no ").append(f).append(")\n");
            }
        }
        return b.toString();
    }

    /** Stops the nginx this test started: SIGTERM to its PID, then SIGKILL to it and its workers. */
    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle w : workers) {
            if (w.isAlive()) {
                w.destroyForcibly();
            }
        }
    }
}
