package dev.gatewaycheck.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * The training run of the AppCDS archive that the package step builds: the command line's usual path
 * ({@code --checks tls,probe --ca root.pem URL}, then a plain-HTTP probe) against the demo's own loopback backends,
 * so that the classes a real run loads are in the archive. Maven runs it in the {@code package} phase as
 *
 * <pre>{@code
 * java -XX:ArchiveClassesAtExit=examples/target/gateway-check.jsa \
 *      -cp examples/target/gateway-check.jar dev.gatewaycheck.examples.cli.AppCdsTraining
 * }</pre>
 *
 * and README documents the launcher
 * {@code java -XX:SharedArchiveFile=examples/target/gateway-check.jsa -jar examples/target/gateway-check.jar URL}
 * (the JVM ignores an archive that does not match the jar, with a warning, and starts as usual). Loopback only.
 */
public final class AppCdsTraining {

    private AppCdsTraining() {
    }

    /** Runs the training checks; prints their exit statuses. */
    public static void main(String[] args) throws Exception {
        DemoCertificates.Issued leaf = DemoCertificates.leaf("localhost", Duration.ZERO);
        Path dir = Files.createTempDirectory("gatewaycheck-cds");
        Path pem = dir.resolve("root.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(DemoCertificates.ROOT.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        PrintStream quiet = args.length > 0 ? System.out : new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int tls;
        int plain;
        try (DemoBackend s = DemoBackend.https(DemoCertificates.serving(leaf, true),
                DemoBackend.answering(DemoBackend.ok("ok\n")));
             DemoBackend p = DemoBackend.http(DemoBackend.answering(DemoBackend.ok("ok\n")))) {
            tls = Main.run(quiet, quiet, "--checks", "tls,probe", "--host", "localhost", "--ca", pem.toString(),
                    s.url());
            plain = Main.run(quiet, quiet, "--checks", "probe", p.url());
        } finally {
            Files.deleteIfExists(pem);
            Files.deleteIfExists(dir);
        }
        System.out.println("AppCDS training: tls,probe exit " + tls + ", probe exit " + plain);
    }
}
