package dev.gatewaycheck.testkit;

import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx (Debian package, {@code /usr/sbin/nginx}) started by a test on 127.0.0.1 and a free port, from a
 * configuration written to a temporary directory ({@code daemon off}, pid, logs and temp files there): as a reverse
 * proxy ({@link #reverseProxy(String)}), answering 200 with chosen http-level directives ({@link #plain(String)}),
 * or serving TLS with a chain we choose ({@link #serving(Held, Held...)}).
 * {@link #close()} stops exactly the process started here, by its PID (SIGTERM, then SIGKILL to it and its
 * workers), and deletes the directory; a shutdown hook does the same if the JVM exits first. A missing nginx fails
 * the test with an install hint: CI installs it.
 *
 * <pre>{@code
 * try (Nginx front = Nginx.reverseProxy("proxy_pass http://127.0.0.1:" + backendPort + ";")) {
 *     GatewayCheck.forFrontend(front.url()).run();
 * }
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
    private final boolean tls;
    private final Thread onExit;

    private Nginx(Process process, Path dir, int port, boolean tls) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.onExit = new Thread(process::destroy, "nginx-" + process.pid() + "-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Whether nginx is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts nginx as a plain-HTTP reverse proxy whose {@code location /} holds {@code locationBody}. */
    public static Nginx reverseProxy(String locationBody) throws IOException {
        Path dir = Files.createTempDirectory("gatewaycheck-nginx");
        int port = freePort();
        return start(dir, port, false, "", "    listen 127.0.0.1:" + port + ";\n    server_name _;\n"
                + "    location / {\n      " + locationBody + "\n    }\n");
    }

    /**
     * Starts nginx answering plain-HTTP {@code 200 ok} with {@code httpDirectives} in its {@code http} block, e.g.
     * {@code keepalive_timeout 0;}.
     */
    public static Nginx plain(String httpDirectives) throws IOException {
        Path dir = Files.createTempDirectory("gatewaycheck-nginx");
        int port = freePort();
        return start(dir, port, false, httpDirectives, "    listen 127.0.0.1:" + port + ";\n"
                + "    location / { default_type text/plain; return 200 \"ok\\n\"; }\n");
    }

    /**
     * Starts nginx presenting {@code leaf} then {@code issuers}, in that order, over TLS, answering 200 "ok".
     */
    public static Nginx serving(Held leaf, Held... issuers) throws IOException {
        return serving("ssl", leaf, issuers);
    }

    /** Same as {@link #serving(Held, Held...)}, and offering HTTP/2 (ALPN {@code h2}) as well. */
    public static Nginx servingHttp2(Held leaf, Held... issuers) throws IOException {
        return serving("ssl http2", leaf, issuers);
    }

    private static Nginx serving(String listenFlags, Held leaf, Held... issuers) throws IOException {
        Path dir = Files.createTempDirectory("gatewaycheck-nginx");
        int port = freePort();
        X509Certificate[] chain = new X509Certificate[issuers.length + 1];
        chain[0] = leaf.certificate();
        for (int i = 0; i < issuers.length; i++) {
            chain[i + 1] = issuers[i].certificate();
        }
        TestCertificates.writePem(dir.resolve("chain.pem"), chain);
        TestCertificates.writeKeyPem(dir.resolve("key.pem"), leaf.privateKey());
        return start(dir, port, true, "", "    listen 127.0.0.1:" + port + " " + listenFlags + ";\n"
                + "    ssl_certificate " + dir.resolve("chain.pem") + ";\n"
                + "    ssl_certificate_key " + dir.resolve("key.pem") + ";\n"
                + "    location / { return 200 \"ok\\n\"; }\n");
    }

    /**
     * Starts nginx on a free port with {@code httpDirectives} in its {@code http} block (upstream blocks, proxy
     * settings) and {@code serverBody} after the {@code listen} line of its server (locations), allowing
     * {@code workerConnections} connections: for tests that route to many backends through one nginx.
     */
    public static Nginx configured(String httpDirectives, String serverBody, int workerConnections)
            throws IOException {
        Path dir = Files.createTempDirectory("gatewaycheck-nginx");
        int port = freePort();
        return start(dir, port, false, httpDirectives, "    listen 127.0.0.1:" + port + ";\n    server_name _;\n"
                + serverBody, workerConnections);
    }

    private static Nginx start(Path dir, int port, boolean tls, String httpDirectives, String serverBody)
            throws IOException {
        return start(dir, port, tls, httpDirectives, serverBody, 64);
    }

    private static Nginx start(Path dir, int port, boolean tls, String httpDirectives, String serverBody,
                               int workerConnections) throws IOException {
        if (!installed()) {
            throw new IllegalStateException("nginx is required but " + BINARY + " is missing: install the Debian "
                    + "package (apt-get install nginx); .ci/run installs it on CI");
        }
        String conf = "daemon off;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections " + workerConnections + "; }\n"
                + "http {\n  access_log off;\n"
                + "  client_body_temp_path " + dir.resolve("body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + (httpDirectives.isEmpty() ? "" : "  " + httpDirectives + "\n")
                + "  server {\n" + serverBody + "  }\n}\n";
        Path confFile = Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "-p", dir + "/", "-e",
                dir.resolve("error.log").toString(), "-c", confFile.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx n = new Nginx(p, dir, port, tls);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
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
                    p.waitFor(20, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String log = n.log();
        n.close();
        throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within 10 s:\n" + log);
    }

    /** {@code http://127.0.0.1:port/} for a reverse proxy, {@code https://127.0.0.1:port} when serving TLS. */
    public String url() {
        return tls ? "https://127.0.0.1:" + port : "http://127.0.0.1:" + port + "/";
    }

    /** The port nginx listens on. */
    public int port() {
        return port;
    }

    /** The PID of the master process started here. */
    public long pid() {
        return process.pid();
    }

    /** nginx's error log and output, for failure messages. */
    public String log() {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"error.log", "stdout.log"}) {
            try {
                Path p = dir.resolve(f);
                b.append(Files.exists(p) ? Files.readString(p) : "(no " + f + ")\n");
            } catch (IOException e) {
                b.append("(unreadable ").append(f).append(")\n");
            }
        }
        return b.toString();
    }

    /** Stops the nginx started here (SIGTERM, then SIGKILL to it and its workers) and deletes its directory. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: it stops the process too
        }
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
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
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private static int freePort() {
        return ListenPort.pick();
    }
}
