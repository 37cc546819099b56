package dev.gatewaycheck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** What {@link Report}, {@link PoolReport} and {@link FrontendReport} do alike with their findings, once. */
final class Findings {

    private Findings() {
    }

    /** A copy, most severe first (the order of equally severe findings kept). */
    static List<Finding> sorted(List<Finding> findings) {
        if (findings.size() < 2) {
            return List.copyOf(findings);   // nothing to order (and no comparator to make in a fresh JVM)
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity));
        return List.copyOf(sorted);
    }

    /** The findings with this cause, in order. */
    static List<Finding> withCause(List<Finding> findings, Cause cause) {
        Objects.requireNonNull(cause, "cause");
        return findings.stream().filter(f -> f.cause() == cause).toList();
    }
}
