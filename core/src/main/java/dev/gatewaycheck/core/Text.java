package dev.gatewaycheck.core;

import java.time.Duration;
import java.util.Locale;

/**
 * The few text helpers every check shares, once: durations in messages, escaped snippets of what a backend sent,
 * IP literals and their brackets, and the message of a TCP reset.
 *
 * <pre>{@code
 * Text.seconds(Duration.ofMillis(1234));   // "1.234s"
 * Text.duration(Duration.ofMillis(700));   // "700ms"
 * Text.snippet("a\r\nb");                  // "a\\r\\nb"
 * }</pre>
 */
public final class Text {
    /** The longest body snippet evidence carries. */
    public static final int SNIPPET_CHARS = 120;

    private Text() {
    }

    /** A measured duration, in seconds with three decimals: {@code 1.234s}. */
    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }

    /** A configured duration: {@code 60s}, or {@code 700ms} when not whole seconds. */
    public static String duration(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    /** Control bytes as {@code \r}, {@code \n}, {@code \xNN}. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The start of a body, escaped: at most {@value #SNIPPET_CHARS} characters, then {@code ...}. */
    public static String snippet(String body) {
        return escape(body.length() > SNIPPET_CHARS ? body.substring(0, SNIPPET_CHARS) + "..." : body);
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (no lookup, no SNI). */
    public static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || (host.indexOf(':') >= 0 && host.matches("\\[?[0-9A-Fa-f:.%a-zA-Z]+]?"));
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
}
