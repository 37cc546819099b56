package dev.gatewaycheck.core.probe;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.ProbeLimits;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.core.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates a probe configuration against a gateway's documented rules, without the network: the rules every
 * gateway shares (a path starting with {@code /}, a timeout no longer than the interval) and the profile's
 * {@link ProbeLimits} (ranges, body match, accepted statuses, protocol of the backend setting). Pure.
 *
 * <pre>{@code
 * ProbeSpec p = ProbeSpec.builder().path("health").timeout(Duration.ofSeconds(40)).build();
 * ProbeRules.check(p, GatewayProfile.AZURE_APP_GATEWAY_V2, false);
 * // [PATH_NOT_ABSOLUTE: path='health' ..., TIMEOUT_LONGER_THAN_INTERVAL: timeout=40s (allowed: <= interval 30s)]
 * }</pre>
 */
public final class ProbeRules {

    /** One rule a probe configuration can break. */
    public enum Rule {
        /** The path does not start with {@code /} (AG502: "a valid path starts with '/'"). */
        PATH_NOT_ABSOLUTE,
        /** The probe waits longer than the time between probes. */
        TIMEOUT_LONGER_THAN_INTERVAL,
        /** The interval is outside the gateway's range. */
        INTERVAL_OUT_OF_RANGE,
        /** The timeout is outside the gateway's range. */
        TIMEOUT_OUT_OF_RANGE,
        /** The unhealthy threshold is outside the gateway's range. */
        THRESHOLD_OUT_OF_RANGE,
        /** A body match on a gateway that has none (ALB). */
        BODY_MATCH_UNSUPPORTED,
        /** A body match longer than the gateway accepts (Azure 4090 characters). */
        BODY_MATCH_TOO_LONG,
        /** An accepted status range the gateway cannot express (ALB matcher 200-499). */
        STATUS_RANGE_NOT_ALLOWED,
        /** The probe protocol is not the backend setting's (Azure: the probe uses the backend HTTP setting's). */
        PROTOCOL_NOT_BACKENDS
    }

    /**
     * One broken rule.
     *
     * @param rule    the rule
     * @param field   the probe field, e.g. {@code timeout}
     * @param value   the configured value
     * @param allowed what the gateway allows
     */
    public record Violation(Rule rule, String field, String value, String allowed) {
        /** {@code timeout=40s (allowed: <= interval 30s)}. */
        @Override
        public String toString() {
            return rule + ": " + field + "=" + value + " (allowed: " + allowed + ")";
        }
    }

    private ProbeRules() {
    }

    /** Every rule {@code spec} breaks for {@code profile}, when the backend speaks TLS or not. */
    public static List<Violation> check(ProbeSpec spec, GatewayProfile profile, boolean backendTls) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(profile, "profile");
        List<Violation> v = new ArrayList<>();
        if (!spec.path().startsWith("/")) {
            v.add(new Violation(Rule.PATH_NOT_ABSOLUTE, "path", "'" + spec.path() + "'", "a path starting with /"));
        }
        if (spec.timeout().compareTo(spec.interval()) > 0) {
            v.add(new Violation(Rule.TIMEOUT_LONGER_THAN_INTERVAL, "timeout", Text.duration(spec.timeout()),
                    "<= interval " + Text.duration(spec.interval())));
        }
        ProbeLimits l = profile.probeLimits().orElse(null);
        if (l == null) {
            return List.copyOf(v);
        }
        if (outside(spec.interval(), l.minInterval(), l.maxInterval())) {
            v.add(new Violation(Rule.INTERVAL_OUT_OF_RANGE, "interval", Text.duration(spec.interval()),
                    Text.duration(l.minInterval()) + "-" + Text.duration(l.maxInterval())));
        }
        if (outside(spec.timeout(), l.minTimeout(), l.maxTimeout())) {
            v.add(new Violation(Rule.TIMEOUT_OUT_OF_RANGE, "timeout", Text.duration(spec.timeout()),
                    Text.duration(l.minTimeout()) + "-" + Text.duration(l.maxTimeout())));
        }
        if (spec.unhealthyThreshold() < l.minUnhealthyThreshold()
                || spec.unhealthyThreshold() > l.maxUnhealthyThreshold()) {
            v.add(new Violation(Rule.THRESHOLD_OUT_OF_RANGE, "unhealthyThreshold",
                    Integer.toString(spec.unhealthyThreshold()),
                    l.minUnhealthyThreshold() + "-" + l.maxUnhealthyThreshold()));
        }
        if (spec.bodyContains() != null) {
            if (!l.supportsBodyMatch()) {
                v.add(new Violation(Rule.BODY_MATCH_UNSUPPORTED, "bodyContains", "'" + spec.bodyContains() + "'",
                        "no body match on " + profile.name()));
            } else if (spec.bodyContains().length() > l.maxBodyMatchLength()) {
                v.add(new Violation(Rule.BODY_MATCH_TOO_LONG, "bodyContains", spec.bodyContains().length()
                        + " characters", "<= " + l.maxBodyMatchLength() + " characters"));
            }
        }
        StatusRange allowed = l.acceptableStatuses();
        if (allowed != null) {
            for (StatusRange r : spec.accepted()) {
                if (!allowed.contains(r.from()) || !allowed.contains(r.to())) {
                    v.add(new Violation(Rule.STATUS_RANGE_NOT_ALLOWED, "accepted", r.toString(),
                            "codes within " + allowed));
                }
            }
        }
        if (l.protocolMustMatchBackend() && spec.protocol() != null
                && spec.protocol().equals("https") != backendTls) {
            v.add(new Violation(Rule.PROTOCOL_NOT_BACKENDS, "protocol", spec.protocol(),
                    "the backend setting's protocol, " + (backendTls ? "https" : "http")));
        }
        return List.copyOf(v);
    }

    private static boolean outside(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 || d.compareTo(max) > 0;
    }

}
