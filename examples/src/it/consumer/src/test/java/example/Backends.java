package example;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Loopback backends built from the JDK alone (a new user's test has no test kit): a healthy one, one that answers 503
 * while it starts, one that closes every connection without answering, and an HTTPS one whose self-signed
 * certificate (made with the JDK's keytool) is written to root-ca.pem.
 */
final class Backends {

    private Backends() {
    }

    /** Answers 200 after {@code startsIn}, 503 before. */
    static HttpServer http(Duration startsIn) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        long readyAt = System.nanoTime() + startsIn.toNanos();
        s.createContext("/", exchange -> {
            byte[] body = (System.nanoTime() - readyAt < 0 ? "starting\n" : "ready\n")
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(System.nanoTime() - readyAt < 0 ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s.start();
        return s;
    }

    static String url(HttpServer s) {
        return (s instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + s.getAddress().getPort();
    }

    /** HTTPS for www.contoso.com with a fresh self-signed certificate, written to root-ca.pem in the working directory. */
    static HttpsServer https() throws Exception {
        Path dir = Path.of("target");
        Files.createDirectories(dir);
        Path keystore = dir.resolve("backend.p12");
        Files.deleteIfExists(keystore);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        exec(List.of(keytool, "-genkeypair", "-alias", "backend", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=www.contoso.com",
                "-ext", "san=dns:www.contoso.com,ip:127.0.0.1", "-validity", "365", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        exec(List.of(keytool, "-exportcert", "-rfc", "-alias", "backend", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", "root-ca.pem"));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        s.createContext("/", exchange -> {
            byte[] body = "hello over TLS\n".getBytes(StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s.start();
        return s;
    }

    /** Accepts connections and closes each one without a byte: what a crashed worker does. */
    static ServerSocket closingEveryConnection() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    c.setSoTimeout(1000);
                    c.getInputStream().read(new byte[1024]);
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        }, "closing-backend");
        t.setDaemon(true);
        t.start();
        return server;
    }

    static String url(ServerSocket s) {
        return "http://127.0.0.1:" + s.getLocalPort();
    }

    static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " failed: " + out);
        }
    }
}
