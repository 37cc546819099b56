package dev.gatewaycheck.examples.bench;

import java.util.Locale;

/**
 * One line of the benchmark table: what was measured, its figure, the floor or peer it is held against, the ratio,
 * the budget and whether it is met. Each benchmark prints its rows as {@code ROW\t...} lines on standard output;
 * {@link Suite} collects them into one table.
 *
 * <pre>{@code
 * Row.of("pool of 10,000: wall", "14.2 s", "-", "-", "< 20 s", true).print();
 * }</pre>
 *
 * @param name    what was measured
 * @param figure  the measured figure, with its unit
 * @param floor   the floor or peer it is compared with, or "-"
 * @param ratio   figure / floor, or "-"
 * @param budget  the budget (design.md, Budgets)
 * @param verdict MET, MISSED or "-" for a figure without a budget
 */
public record Row(String name, String figure, String floor, String ratio, String budget, String verdict) {
    static final String PREFIX = "ROW\t";

    /** A row with a verdict from {@code met}. */
    public static Row of(String name, String figure, String floor, String ratio, String budget, boolean met) {
        return new Row(name, figure, floor, ratio, budget, met ? "MET" : "MISSED");
    }

    /** Prints the row for {@link Suite}. */
    public void print() {
        System.out.println(PREFIX + String.join("\t", name, figure, floor, ratio, budget, verdict));
        System.out.flush();
    }

    /** Parses a printed row, or null when the line is not one. */
    static Row parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        String[] f = line.substring(PREFIX.length()).split("\t", -1);
        return f.length == 6 ? new Row(f[0], f[1], f[2], f[3], f[4], f[5]) : null;
    }

    /** {@code 2.54x}. */
    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }

    /** {@code 12.3 ms}. */
    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : millis < 100 ? "%.1f ms" : "%.0f ms", millis);
    }

    /** {@code 14.21 s}. */
    static String s(double seconds) {
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
