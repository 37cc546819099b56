package dev.gatewaycheck.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command-line tool loads to check {@code --checks tls,probe} of a healthy TLS backend: nothing of Bouncy
 * Castle, JUnit or Testcontainers, although all three are on its class path here, nothing of picocli (the options'
 * fast path parses the command line), and no trust store when the CA given with {@code --ca} issued the backend's
 * certificate. Runs the tool in a JVM of its own with {@code -Xlog:class+load} against an in-JVM loopback backend;
 * and {@code --help} the same way, which picocli still answers.
 */
class CliStartClassesTest {

    @Test
    void aTlsAndProbeCheckLoadsNoOptionalLibrary(@TempDir Path dir) throws Exception {
        Held ca = TestCertificates.ca("Start Root CA").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        Path pem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        Path classes = dir.resolve("classes.txt");
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate(),
                ca.certificate()), FaultServer.ok())) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(List.of(java, "-Xlog:class+load=info:file=" + classes, "-cp",
                    System.getProperty("java.class.path"), "dev.gatewaycheck.examples.cli.Main", "--checks",
                    "tls,probe", "--ca", pem.toString(), s.url()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool did not end within 60 s");
            String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("HEALTHY"), out);
        }
        List<String> loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.gatewaycheck.core.tls.TlsCheck ")),
                "the class-load log is the tool's: " + loaded.size() + " lines");
        for (String library : List.of("org.bouncycastle.", "org.junit.", "org.testcontainers.", "picocli.")) {
            List<String> hits = loaded.stream().filter(l -> l.contains("] " + library)).limit(5).toList();
            assertEquals(List.of(), hits, library + " classes loaded by a tls,probe check");
        }
        // work no check needs: the JDK's trust store (--ca ends the chain), httpclient5's public suffix list (a
        // default client's cookies), annotation proxies (picocli's model, when --help needs it, is built in code)
        for (String unneeded : List.of("sun.security.ssl.TrustStoreManager", "org.apache.hc.client5.http.psl.",
                "$Proxy")) {
            List<String> hits = loaded.stream().filter(l -> l.contains(unneeded)).limit(5).toList();
            assertEquals(List.of(), hits, unneeded + " loaded by a tls,probe check");
        }
    }

    /** {@code --help} (which the options' fast path leaves to picocli) in a JVM of its own: picocli's help. */
    @Test
    void helpIsStillPicocliS(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-Xlog:class+load=info:file=" + classes, "-cp",
                System.getProperty("java.class.path"), "dev.gatewaycheck.examples.cli.Main", "--help"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool did not end within 60 s");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("Usage: java -jar gateway-check.jar [options]") && out.contains("--[no-]pool")
                && out.contains("Profiles (--profile):"), out);
        assertTrue(Files.readAllLines(classes, StandardCharsets.UTF_8).stream()
                .anyMatch(l -> l.contains("] picocli.CommandLine ")), "picocli printed the help");
    }
}
