package dev.gatewaycheck;

/**
 * An inclusive range of HTTP status codes a probe accepts, e.g. {@code 200-399}.
 *
 * <pre>{@code
 * StatusRange.parse("200-399").contains(302);   // true
 * }</pre>
 *
 * @param from the lowest accepted code (100-599)
 * @param to   the highest accepted code (from-599)
 * @since 0.1
 */
public record StatusRange(int from, int to) {

    /** Validates the range. */
    public StatusRange {
        if (from < 100 || from > 599) {
            throw new IllegalArgumentException("from must be an HTTP status 100-599, got " + from);
        }
        if (to < from || to > 599) {
            throw new IllegalArgumentException("to must be " + from + "-599, got " + to);
        }
    }

    /** A single code. */
    public static StatusRange of(int code) {
        return new StatusRange(code, code);
    }

    /**
     * Parses {@code "200"} or {@code "200-399"}.
     *
     * @throws IllegalArgumentException when the text is not a code or a range of codes
     */
    public static StatusRange parse(String text) {
        java.util.Objects.requireNonNull(text, "text");
        String t = text.trim();
        try {
            int dash = t.indexOf('-');
            if (dash < 0) {
                return of(Integer.parseInt(t));
            }
            return new StatusRange(Integer.parseInt(t.substring(0, dash).trim()),
                    Integer.parseInt(t.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("status range must look like 200 or 200-399, got '" + text + "'");
        }
    }

    /** Whether {@code status} is in the range. */
    public boolean contains(int status) {
        return status >= from && status <= to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
