package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A healthy TLS backend for scripts: a real nginx ({@link Nginx#serving}) presenting a leaf for 127.0.0.1 and
 * localhost issued by a fresh private CA. Writes the CA to {@code DIR/ca.pem}, prints one line
 * {@code PORT <port> PID <nginx pid> CA <path>}, and runs until its standard input closes, then stops nginx.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.TlsBackend /tmp/dir
 * }</pre>
 */
public final class TlsBackend {
    private TlsBackend() {
    }

    /** {@code DIR}: where to write {@code ca.pem}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TlsBackend DIR");
            System.exit(2);
        }
        Held ca = TestCertificates.ca("Bench Root CA").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        Path pem = TestCertificates.writePem(Files.createDirectories(Path.of(args[0])).resolve("ca.pem"),
                ca.certificate());
        try (Nginx nginx = Nginx.serving(leaf, ca)) {
            System.out.println("PORT " + nginx.port() + " PID " + nginx.pid() + " CA " + pem.toAbsolutePath());
            System.out.flush();
            byte[] sink = new byte[256];
            while (System.in.read(sink) >= 0) {
                // until the script closes our standard input
            }
        }
    }
}
