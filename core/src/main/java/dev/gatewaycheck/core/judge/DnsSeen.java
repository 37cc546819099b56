package dev.gatewaycheck.core.judge;

import java.time.Duration;

/**
 * One lookup of a backend's name with the plan's resolver, and what this machine's resolver answered for comparison.
 *
 * @param backend       the backend as a finding names it, e.g. {@code https://api.example.test:443}
 * @param name          the name looked up
 * @param resolver      the plan's resolver, as it describes itself
 * @param lookup        what the lookup did
 * @param error         the resolver's error message ({@link Lookup#UNKNOWN_HOST}), else null
 * @param elapsed       how long the lookup took
 * @param lookupTimeout the longest a lookup may take
 * @param systemAnswer  this machine's resolver's answer when the plan uses another resolver, else null
 */
public record DnsSeen(String backend, String name, String resolver, Lookup lookup, String error, Duration elapsed,
                      Duration lookupTimeout, String systemAnswer) {

    /** What the lookup did. */
    public enum Lookup {
        /** The name resolved to at least one address. */
        RESOLVED,
        /** No answer within the lookup timeout. */
        TIMED_OUT,
        /** The resolver said the name does not exist, or gave no address. */
        UNKNOWN_HOST
    }
}
