package dev.gatewaycheck.examples.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as the command line and the exporter's config write them: {@code 30s}, {@code 500ms}, {@code 2m}.
 *
 * <pre>{@code
 * Durations.parse("1.5s");   // PT1.5S
 * Durations.parse("0s");     // IllegalArgumentException: must be positive, got '0s'
 * }</pre>
 */
public final class Durations {
    /** The longest duration the library accepts for a timeout, interval or deadline. */
    private static final Duration LONGEST = Duration.ofDays(7);

    private Durations() {
    }

    /**
     * Parses {@code 30s}, {@code 1.5s}, {@code 500ms}, {@code 2m}, a bare number of seconds or ISO-8601
     * {@code PT30S}: positive and at most 7 days.
     *
     * @throws IllegalArgumentException with a reason that reads after the option's name ("must be positive, ...")
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String tooLong = "must be at most 7 days, got '" + text + "'";
        Duration d;
        try {
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                double seconds = Double.parseDouble(t.substring(0, t.length() - 1));
                if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e9) {
                    throw new IllegalArgumentException(tooLong);
                }
                d = Duration.ofMillis(Math.round(seconds * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(tooLong);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() == tooLong) {
                throw e;
            }
            throw new IllegalArgumentException("must look like 30s, 500ms or 2m, got '" + text + "'");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("must look like 30s, 500ms or 2m, got '" + text + "'");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive, got '" + text + "'");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(tooLong);
        }
        return d;
    }
}
