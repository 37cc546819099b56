package dev.gatewaycheck.testkit;

import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx (Debian package, {@code /usr/sbin/nginx}) serving TLS on 127.0.0.1 with a chain we choose, from a
 * configuration written to a temporary directory ({@code daemon off}, pid and logs there). {@link #close()} stops
 * exactly the process started here, by its PID, and deletes the directory. Shared by the tests and the benchmark.
 *
 * <pre>{@code
 * try (Nginx n = Nginx.serving(leaf, intermediate)) {
 *     GatewayCheck.forBackend(n.url()).tls().run();
 * }
 * }</pre>
 */
public final class Nginx implements Closeable {
    /** Where the Debian package installs nginx. */
    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread onExit;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        // stops this nginx (by its PID) even when the JVM exits without close(), e.g. System.exit
        this.onExit = new Thread(process::destroy, "nginx-" + process.pid() + "-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Whether nginx is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts nginx presenting {@code leaf} then {@code issuers}, in that order, on a free loopback port, and waits
     * (polling, at most 10 s) until it accepts connections.
     *
     * @throws IllegalStateException when nginx is missing, exits, or does not listen in time
     */
    public static Nginx serving(Held leaf, Held... issuers) throws IOException, InterruptedException {
        if (!installed()) {
            throw new IllegalStateException("nginx is not installed at " + BINARY
                    + ": install the Debian package (apt-get install nginx); .ci/run installs it on CI");
        }
        Path dir = Files.createTempDirectory("gatewaycheck-nginx");
        int port = freePort();
        X509Certificate[] chain = new X509Certificate[issuers.length + 1];
        chain[0] = leaf.certificate();
        for (int i = 0; i < issuers.length; i++) {
            chain[i + 1] = issuers[i].certificate();
        }
        TestCertificates.writePem(dir.resolve("chain.pem"), chain);
        TestCertificates.writeKeyPem(dir.resolve("key.pem"), leaf.privateKey());
        String conf = "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n  access_log off;\n"
                + "  client_body_temp_path " + dir.resolve("body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  server {\n    listen 127.0.0.1:" + port + " ssl;\n"
                + "    ssl_certificate " + dir.resolve("chain.pem") + ";\n"
                + "    ssl_certificate_key " + dir.resolve("key.pem") + ";\n"
                + "    location / { return 200 \"ok\\n\"; }\n  }\n}\n";
        Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-e",
                dir.resolve("error.log").toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx n = new Nginx(p, dir, port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                String out = read(dir.resolve("stdout.log")) + read(dir.resolve("error.log"));
                n.close();
                throw new IllegalStateException("nginx exited with " + p.exitValue() + ": " + out);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return n;
            } catch (IOException notYet) {
                p.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        String log = read(dir.resolve("error.log"));
        n.close();
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within 10 s: " + log);
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** {@code https://127.0.0.1:port}. */
    public String url() {
        return "https://127.0.0.1:" + port;
    }

    /** The PID of the nginx master started here. */
    public long pid() {
        return process.pid();
    }

    /** Stops the nginx started here (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: it stops the process too
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String read(Path f) throws IOException {
        return Files.exists(f) ? Files.readString(f) : "";
    }
}
