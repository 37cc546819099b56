package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.ReportSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated responses from a real loopback server: no exception escapes {@code run()}, the deadline
 * holds, and a run reads a bounded amount. Seeded, so a failure is reproducible; bounded to 40 cases.
 */
class HostileBackendFuzzTest {
    private static final String VALID = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    private static final GatewayProfile FAST = GatewayProfile.GENERIC.toBuilder()
            .requestTimeout(Duration.ofMillis(500)).build();

    @Test
    void randomAndMutatedResponsesNeverThrowAndRespectTheDeadline() {
        Random random = new Random(20261123L);
        for (int i = 0; i < 40; i++) {
            byte[] payload = i % 2 == 0 ? randomBytes(random) : mutate(random, VALID.getBytes(StandardCharsets.ISO_8859_1));
            boolean close = random.nextBoolean();
            try (FaultServer s = FaultServer.plain(c -> {
                c.readRequest();
                c.write(payload);
                if (close) {
                    c.close();
                } else {
                    c.hold(Duration.ofSeconds(3));
                }
            })) {
                long start = System.nanoTime();
                Report r = GatewayCheck.forBackend(s.url()).against(FAST).probe().timeout(Duration.ofSeconds(2)).run();
                ReportSchema.valid(r);
                long took = System.nanoTime() - start;
                assertTrue(took < Duration.ofMillis(2250).toNanos(), "case " + i + " took " + took / 1_000_000 + " ms");
                assertTrue(r.toJson().startsWith("{\"schema\":2"), "case " + i);
            }
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[1 + random.nextInt(4096)];
        random.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random random, byte[] valid) {
        byte[] b = valid.clone();
        int flips = 1 + random.nextInt(6);
        for (int k = 0; k < flips; k++) {
            b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0) {
            return java.util.Arrays.copyOf(b, random.nextInt(b.length));
        }
        return b;
    }
}
