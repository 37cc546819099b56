package dev.gatewaycheck.core;

import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The few text helpers every check shares, once: durations in messages, the snippet length, IP literals and their
 * brackets, and the message of a TCP reset ({@link Snippets} escapes what a backend sent).
 *
 * <pre>{@code
 * Text.seconds(Duration.ofMillis(1234));   // "1.234s"
 * Text.duration(Duration.ofMillis(700));   // "700ms"
 * }</pre>
 */
public final class Text {
    /** The longest body snippet evidence carries. */
    public static final int SNIPPET_CHARS = 120;

    private Text() {
    }

    /** A measured duration, in seconds with three decimals: {@code 1.234s}. */
    public static String seconds(Duration d) {
        return decimalSeconds(d) + "s";
    }

    /**
     * A duration in seconds with three decimals, rounded half up, without a unit: {@code 1.234}, what
     * {@code String.format(Locale.ROOT, "%.3f", seconds)} prints, made without {@link java.util.Formatter} (whose first
     * use costs a fresh JVM some 25 ms of locale data).
     */
    public static String decimalSeconds(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 0) {
            return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
        }
        long millis = (nanos + 500_000) / 1_000_000;
        long thousandths = millis % 1000;
        return (millis / 1000) + (thousandths < 10 ? ".00" : thousandths < 100 ? ".0" : ".") + thousandths;
    }

    /** A configured duration: {@code 60s}, or {@code 700ms} when not whole seconds. */
    public static String duration(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    /** The start of a body, escaped ({@link Snippets#snippet}): at most {@value #SNIPPET_CHARS} characters. */
    public static String snippet(String body) {
        return Snippets.snippet(body, SNIPPET_CHARS);
    }

    /** {@link #isIpLiteral}'s shapes, compiled once: it is asked several times per run. */
    private static final Pattern IPV4_SHAPE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_SHAPE = Pattern.compile("\\[?[0-9A-Fa-f:.%a-zA-Z]+]?");

    /** Whether {@code host} is an IPv4 or IPv6 literal (no lookup, no SNI). */
    public static boolean isIpLiteral(String host) {
        return IPV4_SHAPE.matcher(host).matches()
                || (host.indexOf(':') >= 0 && IPV6_SHAPE.matcher(host).matches());
    }

    /** An IPv6 literal in brackets, as a URI authority or Host header needs it; anything else as it is. */
    public static String bracketed(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Whether an exception message (any case) names a TCP reset, or a write into a reset connection. */
    public static boolean isReset(String message) {
        String m = String.valueOf(message).toLowerCase(Locale.ROOT);
        return m.contains("reset") || m.contains("broken pipe");
    }

    /**
     * Whether {@code e}, or a socket or TLS exception in its cause chain, is a TCP reset or a write into a reset
     * connection.
     */
    public static boolean isReset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if ((t instanceof java.net.SocketException || t instanceof javax.net.ssl.SSLException)
                    && isReset(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
