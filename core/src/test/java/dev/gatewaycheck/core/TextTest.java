package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The text made without a Formatter reads exactly as the Formatter's. */
class TextTest {

    @Test
    void ipLiteralsAreAddressesNotNames() {
        for (String ip : new String[] {"127.0.0.1", "10.0.0.4", "::1", "[::1]", "fe80::1%eth0", "2001:db8::8:800:200c:417a",
            "::ffff:192.0.2.1"}) {
            assertTrue(Text.isIpLiteral(ip), ip);
        }
        for (String name : new String[] {"www.contoso.com", "localhost", "a1.example", "my_host.internal", "host-1"}) {
            assertFalse(Text.isIpLiteral(name), name);
        }
    }

    @Test
    void secondsAreWhatTheFormatterPrints() {
        SplittableRandom random = new SplittableRandom(20261201);
        long[] edges = {0, 1, 499_999, 500_000, 500_001, 999_999, 1_000_000, 1_234_500_000L, 1_234_499_999L,
            9_999_500_000L, 59_999_499_999L, 60_000_000_000L, 86_400_000_000_000L};
        for (long nanos : edges) {
            assertSame(nanos);
        }
        for (int i = 0; i < 20_000; i++) {
            assertSame(random.nextLong(0, 120_000_000_000L));
        }
        for (int i = 0; i < 2_000; i++) {
            // whole and half milliseconds, where rounding turns
            assertSame(random.nextLong(0, 100_000) * 500_000L);
        }
    }

    private static void assertSame(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        assertEquals(String.format(Locale.ROOT, "%.3fs", nanos / 1e9), Text.seconds(d), () -> nanos + " ns");
        assertEquals(String.format(Locale.ROOT, "%.3f", nanos / 1e9), Text.decimalSeconds(d), () -> nanos + " ns");
    }

    @Test
    void aNegativeDurationStillReads() {
        assertEquals("-1.500s", Text.seconds(Duration.ofMillis(-1500)));
    }
}
