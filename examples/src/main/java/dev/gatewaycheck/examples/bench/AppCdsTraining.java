package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.examples.cli.Main;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of the AppCDS archive that the package step builds: the command-line tool's usual path
 * ({@code --checks tls,probe --ca ca.pem URL}, then a plain-HTTP probe) against in-JVM loopback backends, so that
 * the classes a real run loads are in the archive. Run by Maven in the {@code package} phase as
 *
 * <pre>{@code
 * java -XX:ArchiveClassesAtExit=examples/target/gateway-check.jsa \
 *      -cp examples/target/gateway-check.jar dev.gatewaycheck.examples.bench.AppCdsTraining
 * }</pre>
 *
 * and used with the one-line launcher
 * {@code java -XX:SharedArchiveFile=examples/target/gateway-check.jsa -jar examples/target/gateway-check.jar URL}
 * (the JVM ignores an archive that does not match the jar, with a warning, and starts as usual). Only loopback.
 */
public final class AppCdsTraining {

    private AppCdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Held ca = TestCertificates.ca("Training Root CA").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        Path dir = Files.createTempDirectory("gatewaycheck-cds");
        Path pem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(sink, true, StandardCharsets.UTF_8);
        int tls;
        int plain;
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate(),
                ca.certificate()), FaultServer.ok());
             FaultServer p = FaultServer.plain(FaultServer.ok())) {
            tls = Main.run(quiet, quiet, "--checks", "tls,probe", "--ca", pem.toString(), s.url());
            plain = Main.run(quiet, quiet, "--checks", "probe", p.url());
        } finally {
            Files.deleteIfExists(pem);
            Files.deleteIfExists(dir);
        }
        System.out.println("AppCDS training: tls,probe exit " + tls + ", probe exit " + plain);
    }
}
