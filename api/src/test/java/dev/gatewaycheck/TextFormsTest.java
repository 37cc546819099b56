package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The report's numbers and finding lines, made without a Formatter, read exactly as the Formatter's. */
class TextFormsTest {

    @Test
    void millisecondsWithOneDecimalAreWhatTheFormatterPrints() {
        for (long micros = 0; micros < 10_000; micros++) {
            assertEquals(String.format(Locale.ROOT, "%.1fms", micros / 1000.0),
                    Timings.ms(Duration.ofNanos(micros * 1000 + 999)), micros + " µs");
        }
        assertEquals("10ms", Timings.ms(Duration.ofMillis(10)));
        assertEquals("-", Timings.ms(null));
    }

    @Test
    void findingLinesAreWhatTheFormatterPrints() {
        for (Severity s : Severity.values()) {
            for (int n : new int[] {1, 9, 10, 99, 100, 1000}) {
                Finding f = new Finding(Cause.CONNECTION_REFUSED, s, "http://127.0.0.1:1", "refused", Evidence.EMPTY,
                        Cause.CONNECTION_REFUSED.remedy(), 502);
                assertEquals(String.format(Locale.ROOT, "%3d. %-7s %s", n, s, f.cause().id()),
                        Report.findingLine(n, f));
            }
        }
    }
}
