package dev.gatewaycheck;

import java.time.Duration;

/**
 * The values a gateway accepts in a custom health probe. A {@link ProbeSpec} outside them is reported as
 * {@link Cause#PROBE_MISCONFIGURED} without touching the network. Every profile also gets the rules no gateway
 * waives: a path starting with {@code /}, and a timeout no longer than the interval.
 *
 * <pre>{@code
 * ProbeLimits azure = GatewayProfile.AZURE_APP_GATEWAY_V2.probeLimits().orElseThrow();
 * azure.maxUnhealthyThreshold();   // 20
 * }</pre>
 *
 * @param minInterval              shortest interval between probes
 * @param maxInterval              longest interval between probes
 * @param minTimeout               shortest probe timeout
 * @param maxTimeout               longest probe timeout
 * @param minUnhealthyThreshold    smallest unhealthy threshold
 * @param maxUnhealthyThreshold    largest unhealthy threshold
 * @param maxBodyMatchLength       longest body-match string; 0 when the gateway has no body match
 * @param acceptableStatuses       the codes an accepted-status range may name, or {@code null} for any
 * @param protocolMustMatchBackend whether the probe protocol must be the backend setting's (Azure)
 * @since 0.1
 */
public record ProbeLimits(Duration minInterval, Duration maxInterval, Duration minTimeout, Duration maxTimeout,
                          int minUnhealthyThreshold, int maxUnhealthyThreshold, int maxBodyMatchLength,
                          StatusRange acceptableStatuses, boolean protocolMustMatchBackend) {

    /** Validates the limits. */
    public ProbeLimits {
        GatewayProfile.requireTimeout(minInterval, "minInterval");
        GatewayProfile.requireTimeout(maxInterval, "maxInterval");
        GatewayProfile.requireTimeout(minTimeout, "minTimeout");
        GatewayProfile.requireTimeout(maxTimeout, "maxTimeout");
        if (maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("maxInterval must be at least minInterval " + minInterval + ", got "
                    + maxInterval);
        }
        if (maxTimeout.compareTo(minTimeout) < 0) {
            throw new IllegalArgumentException("maxTimeout must be at least minTimeout " + minTimeout + ", got "
                    + maxTimeout);
        }
        if (minUnhealthyThreshold < 1 || maxUnhealthyThreshold < minUnhealthyThreshold) {
            throw new IllegalArgumentException("unhealthy threshold range must be 1 <= min <= max, got "
                    + minUnhealthyThreshold + "-" + maxUnhealthyThreshold);
        }
        if (maxBodyMatchLength < 0) {
            throw new IllegalArgumentException("maxBodyMatchLength must be 0 (no body match) or more, got "
                    + maxBodyMatchLength);
        }
    }

    /** Whether the gateway can match the probe response body at all. */
    public boolean supportsBodyMatch() {
        return maxBodyMatchLength > 0;
    }

    @Override
    public String toString() {
        return "ProbeLimits[interval " + minInterval.toSeconds() + "-" + maxInterval.toSeconds() + "s, timeout "
                + minTimeout.toSeconds() + "-" + maxTimeout.toSeconds() + "s, unhealthyThreshold "
                + minUnhealthyThreshold + "-" + maxUnhealthyThreshold
                + (supportsBodyMatch() ? ", body match <= " + maxBodyMatchLength + " chars" : ", no body match")
                + (acceptableStatuses == null ? "" : ", statuses " + acceptableStatuses)
                + (protocolMustMatchBackend ? ", protocol = backend setting's" : "") + "]";
    }

    static ProbeLimits seconds(long minInterval, long maxInterval, long minTimeout, long maxTimeout, int minThreshold,
                               int maxThreshold, int maxBodyMatch, StatusRange statuses, boolean protocolMustMatch) {
        return new ProbeLimits(Duration.ofSeconds(minInterval), Duration.ofSeconds(maxInterval),
                Duration.ofSeconds(minTimeout), Duration.ofSeconds(maxTimeout), minThreshold, maxThreshold,
                maxBodyMatch, statuses, protocolMustMatch);
    }
}
