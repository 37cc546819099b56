package dev.gatewaycheck;

import java.time.Duration;
import java.util.Optional;

/**
 * How long each phase of the first successful exchange took, as the gateway would experience it. A phase that
 * did not happen (no TLS on plain HTTP, connect failed) is empty.
 *
 * <pre>{@code
 * report.timings().firstByte().ifPresent(d -> System.out.println("TTFB " + d.toMillis() + " ms"));
 * }</pre>
 *
 * @param dnsOrNull       name resolution
 * @param connectOrNull   TCP connect (SYN to SYN-ACK)
 * @param tlsOrNull       TLS handshake
 * @param firstByteOrNull request sent to first response byte
 * @param total           the whole run
 * @since 0.1
 */
public record Timings(Duration dnsOrNull, Duration connectOrNull, Duration tlsOrNull, Duration firstByteOrNull,
                      Duration total) {

    /** Validates the timings. */
    public Timings {
        java.util.Objects.requireNonNull(total, "total");
    }

    /** Name resolution, if it ran. */
    public Optional<Duration> dns() {
        return Optional.ofNullable(dnsOrNull);
    }

    /** TCP connect, if it succeeded. */
    public Optional<Duration> connect() {
        return Optional.ofNullable(connectOrNull);
    }

    /** TLS handshake, if it ran. */
    public Optional<Duration> tls() {
        return Optional.ofNullable(tlsOrNull);
    }

    /** Time to first response byte, if a response started. */
    public Optional<Duration> firstByte() {
        return Optional.ofNullable(firstByteOrNull);
    }

    @Override
    public String toString() {
        return "dns=" + ms(dnsOrNull) + " connect=" + ms(connectOrNull) + " tls=" + ms(tlsOrNull)
                + " firstByte=" + ms(firstByteOrNull) + " total=" + ms(total);
    }

    static String ms(Duration d) {
        if (d == null) {
            return "-";
        }
        long micros = d.toNanos() / 1000;
        if (micros >= 0 && micros < 10_000) {
            // "%.1fms" of micros / 1000.0, without a Formatter (its first use costs a fresh JVM some 25 ms)
            long tenths = (micros + 50) / 100;
            return (tenths / 10) + "." + (tenths % 10) + "ms";
        }
        return (micros / 1000) + "ms";
    }
}
