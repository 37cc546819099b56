package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static dev.gatewaycheck.core.tls.Pki.INTERMEDIATE;
import static dev.gatewaycheck.core.tls.Pki.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real nginx (Debian package) serving an expired certificate for the wrong name gets the same findings as the
 * in-JVM server presenting the same chain.
 */
class TlsNginxTest {
    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Held BAD = TestCertificates.leaf("old.example.test", INTERMEDIATE).expired().build();

    private static Process nginx;
    private static Path dir;
    private static int port;

    @BeforeAll
    static void startNginx() throws Exception {
        if (!Files.isExecutable(NGINX)) {
            fail("nginx is not installed at " + NGINX + ": install the Debian package (apt-get install nginx); "
                    + ".ci/run installs it on CI");
        }
        dir = Files.createTempDirectory("gatewaycheck-nginx");
        port = freePort();
        nginx = NginxFixture.start(dir, port, BAD, INTERMEDIATE);
    }

    @AfterAll
    static void stopNginx() throws Exception {
        NginxFixture.stop(nginx, dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Set<String> tlsCauses(Report r) {
        Set<String> s = new TreeSet<>();
        for (Finding f : r.findings(dev.gatewaycheck.Category.TLS)) {
            s.add(f.cause().id());
        }
        return s;
    }

    @Test
    void expiredWrongNameCertificateOnRealNginxGetsTheSameFindingsAsTheInJvmServer() {
        Report onNginx = GatewayCheck.forBackend("https://127.0.0.1:" + port).withHost(HOST).tls()
                .trusting(ROOT.certificate()).timeout(Duration.ofSeconds(15)).run();
        Finding expired = Expect.finding(onNginx, Cause.TLS_CERT_EXPIRED);
        Finding name = Expect.finding(onNginx, Cause.TLS_CERT_HOSTNAME_MISMATCH);
        assertEquals(BAD.certificate().getNotAfter().toInstant().toString(), Expect.evidence(expired, "notAfter"));
        assertEquals("DNS:old.example.test", Expect.evidence(name, "sans"));
        assertEquals(CertFacts.sha256(BAD.certificate()), Expect.evidence(name, "chain[0].sha256"));
        assertEquals(CertFacts.sha256(INTERMEDIATE.certificate()), Expect.evidence(name, "chain[1].sha256"));
        try (FaultServer inJvm = Pki.serve(BAD, BAD.certificate(), INTERMEDIATE.certificate())) {
            Report onJvm = Pki.check(inJvm).trusting(ROOT.certificate()).run();
            assertEquals(tlsCauses(onJvm), tlsCauses(onNginx), () -> "in-JVM:\n" + onJvm + "\nnginx:\n" + onNginx);
        }
    }

    /** Starts and stops nginx from a config written to a temporary directory; shared with the benchmark. */
    static final class NginxFixture {
        private NginxFixture() {
        }

        static Process start(Path dir, int port, Held leaf, Held... issuers) throws IOException, InterruptedException {
            java.security.cert.X509Certificate[] chain = new java.security.cert.X509Certificate[issuers.length + 1];
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
            Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-e",
                    dir.resolve("error.log").toString(), "-c", confFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("nginx exited with " + p.exitValue() + ": "
                            + Files.readString(dir.resolve("stdout.log")) + read(dir.resolve("error.log")));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return p;
                } catch (IOException notYet) {
                    p.waitFor(20, TimeUnit.MILLISECONDS);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + port + " within 10 s: "
                    + read(dir.resolve("error.log")));
        }

        static void stop(Process p, Path dir) throws InterruptedException, IOException {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }

        private static String read(Path f) throws IOException {
            return Files.exists(f) ? Files.readString(f) : "";
        }
    }
}
