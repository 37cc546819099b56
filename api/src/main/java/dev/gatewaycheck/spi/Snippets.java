package dev.gatewaycheck.spi;

import java.util.Locale;

/**
 * The one place that makes text from a backend safe to print: a backend chooses its reason phrase, its
 * {@code Server} and {@code Via} headers and its body, and a terminal obeys the escape sequences in them. Engines
 * escape what they quote from the wire with {@link #escape(String)} (or {@link #snippet(String, int)}); reports
 * escape every field once more with {@link #printable(String)} when they render text, so that nothing a backend
 * sent reaches a terminal raw.
 *
 * <pre>{@code
 * Snippets.escape("HTTP/1.1 200 \u001b[2JOK\r\n");   // "HTTP/1.1 200 \\x1b[2JOK\\r\\n"
 * Snippets.printable("caf\u00e9 \u001b]0;pwned\u0007"); // "café \\x1b]0;pwned\\x07"
 * }</pre>
 *
 * @since 0.1
 */
public final class Snippets {

    private Snippets() {
    }

    /**
     * Bytes from the wire (a string decoded as ISO-8859-1, one char per byte) as printable ASCII: {@code \r},
     * {@code \n}, {@code \t} and {@code \xNN} for every other byte below 0x20 or from 0x7f.
     *
     * @throws NullPointerException when {@code wire} is null
     */
    public static String escape(String wire) {
        StringBuilder b = new StringBuilder(wire.length() + 8);
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(c <= 0xff ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                        : String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The first {@code max} characters of wire text, escaped as {@link #escape(String)}, with {@code ...} when cut.
     *
     * @throws IllegalArgumentException when {@code max} is negative
     */
    public static String snippet(String wire, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be zero or more, got " + max);
        }
        return wire.length() > max ? escape(wire.substring(0, max)) + "..." : escape(wire);
    }

    /**
     * Any text as it may be printed on a terminal: control characters (C0 but for nothing, DEL, C1, and the line
     * and paragraph separators) become {@code \r}, {@code \n}, {@code \xNN} or {@code \\uNNNN}; every other
     * character, non-ASCII letters included, stays. Null stays null.
     */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                b.append(c);
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c <= 0xff) {
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
