package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Warm in-process cost of a check against a healthy loopback backend, as a ratio to the cheapest possible client:
 * a bare JDK socket that sends one GET and reads the answer. Both run in this JVM, one after the other, against the
 * same backend; the medians of {@code ROUNDS} runs are compared (one run, one machine: report the ratio).
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.CheckVsBareSocketBench
 * }</pre>
 */
public final class CheckVsBareSocketBench {
    private static final int WARMUP = 300;
    private static final int ROUNDS = 500;

    private CheckVsBareSocketBench() {
    }

    public static void main(String[] args) throws IOException {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            GatewayCheck request = GatewayCheck.forBackend(s.url()).checks(Check.PROBE);
            for (int i = 0; i < WARMUP; i++) {
                bare(s.port());
                request.run();
            }
            long[] bare = new long[ROUNDS];
            long[] check = new long[ROUNDS];
            Report last = null;
            for (int i = 0; i < ROUNDS; i++) {
                long t0 = System.nanoTime();
                bare(s.port());
                bare[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                last = request.run();
                check[i] = System.nanoTime() - t0;
            }
            if (last == null || !last.isHealthy()) {
                throw new IllegalStateException("the check found problems:\n" + last);
            }
            double b = median(bare);
            double c = median(check);
            System.out.printf(Locale.ROOT, "plain HTTP, warm, median of %d: bare socket GET %.3f ms, "
                    + "GatewayCheck probe() %.3f ms, ratio %.2fx%n", ROUNDS, b / 1e6, c / 1e6, c / b);
            System.out.println("phases of the last check: " + last.phases());
        }
    }

    static void bare(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            if (n <= 0) {
                throw new IOException("no answer");
            }
        }
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
