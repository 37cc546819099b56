package dev.gatewaycheck.testkit;

import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A real JSSE server that speaks only TLS 1.0 and 1.1, as an old backend does. This JDK refuses to enable those
 * versions even on a server socket with explicit protocols ({@code jdk.tls.disabledAlgorithms} applies to both sides:
 * the handshake fails with "No appropriate protocol"), and changing that security property inside the test JVM would
 * change every other test's TLS. So the server runs in a child JVM started here with its own
 * {@code -Djava.security.properties} file that leaves TLS 1.0/1.1 enabled; {@link #close()} stops exactly that
 * process, by its PID.
 *
 * <pre>{@code
 * try (OldTlsServer old = OldTlsServer.start()) {
 *     GatewayCheck.forBackend(old.url()).against(GatewayProfile.AZURE_APP_GATEWAY_V2).tls().run();
 * }
 * }</pre>
 */
public final class OldTlsServer implements Closeable {
    private final Process process;
    private final Path dir;
    private final int port;

    private OldTlsServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts the child JVM and waits (at most 30 s) until it listens. */
    public static OldTlsServer start() throws IOException {
        Path dir = Files.createTempDirectory("gatewaycheck-oldtls");
        Path security = Files.writeString(dir.resolve("old-tls.security"), "jdk.tls.disabledAlgorithms=SSLv3, RC4, "
                + "DES, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-Djava.security.properties=" + security, "-cp", System.getProperty("java.class.path"),
                OldTlsServer.class.getName())).redirectError(dir.resolve("stderr.log").toFile()).start();
        OldTlsServer server = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            if (line == null || !line.matches("[0-9]+")) {
                throw new IllegalStateException("the old-TLS server did not start: " + line + "\n"
                        + Files.readString(dir.resolve("stderr.log")));
            }
            server = new OldTlsServer(p, dir, Integer.parseInt(line));
            return server;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the old-TLS server did not start", e);
        }
    }

    /** {@code https://127.0.0.1:port}. */
    public String url() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(dir.resolve("old-tls.security"));
            Files.deleteIfExists(dir.resolve("stderr.log"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /** The child JVM: listens on 127.0.0.1, prints its port, answers 200 over TLS 1.0/1.1 for two minutes. */
    public static void main(String[] args) throws Exception {
        Held leaf = TestCertificates.leaf("localhost", null).build();
        SSLServerSocket ss = (SSLServerSocket) TestCertificates.serving(leaf.privateKey(), leaf.certificate())
                .getServerSocketFactory().createServerSocket();
        ss.setEnabledProtocols(new String[] {"TLSv1", "TLSv1.1"});
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        System.out.println(ss.getLocalPort());
        System.out.flush();
        Thread stop = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException ignored) {
                // exit now
            }
            System.exit(0);
        });
        stop.setDaemon(true);
        stop.start();
        for (int i = 0; i < 1000; i++) {
            Socket s = ss.accept();
            Thread t = new Thread(() -> serve((SSLSocket) s));
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(SSLSocket s) {
        try (s) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            byte[] buf = new byte[8192];
            int n = s.getInputStream().read(buf);
            if (n > 0) {
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nold"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException ignored) {
            // the client gave up: what an old backend sees
        }
    }
}
