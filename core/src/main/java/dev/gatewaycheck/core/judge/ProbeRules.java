package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.ProbeLimits;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.judge.ProbeSeriesSeen.Answer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The health probe's rules, without the network: the configuration against a gateway's documented rules (the rules
 * every gateway shares, a path starting with {@code /} and a timeout no longer than the interval, and the profile's
 * {@link ProbeLimits}: ranges, body match, accepted statuses, protocol of the backend setting), and what a probe
 * series ({@link ProbeSeriesSeen}) means for the gateway. Pure.
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

    /**
     * The PROBE_MISCONFIGURED observation listing every rule {@code spec} breaks for {@code profile}
     * ({@link #check}), or none.
     *
     * @param custom whether the plan gave the probe (else it is the profile's default probe)
     */
    public static List<Observation> misconfigured(String label, ProbeSpec spec, List<Violation> violations,
                                                  boolean custom, GatewayProfile profile) {
        if (violations.isEmpty()) {
            return List.of();
        }
        Evidence.Builder ev = Evidence.builder()
                .put("probe", spec)
                .put("probeSource", source(custom, profile))
                .put("rules", violations.stream().map(v -> v.rule().name()).collect(Collectors.joining(", ")));
        for (int i = 0; i < violations.size(); i++) {
            ev.put("violation[" + i + "]", violations.get(i));
        }
        ev.put("checkedWithoutNetwork", true);
        String what = violations.stream().map(v -> v.field() + " " + v.value() + " (allowed: " + v.allowed() + ")")
                .collect(Collectors.joining("; "));
        return List.of(Observation.of(Cause.PROBE_MISCONFIGURED, label, profile.name()
                + " rejects or mis-runs this probe: " + what, ev.build()));
    }

    /** What one probe's answer is for the gateway. */
    private enum Verdict { PASS, STATUS, BODY, TIMEOUT, TRANSPORT }

    private static Verdict verdict(ProbeSpec spec, Answer a) {
        return a.failure() != null ? a.timedOut() ? Verdict.TIMEOUT : Verdict.TRANSPORT
                : !spec.accepts(a.status()) ? Verdict.STATUS
                : spec.bodyContains() != null && !a.body().contains(spec.bodyContains()) ? Verdict.BODY
                : Verdict.PASS;
    }

    /** Whether the gateway counts {@code a} as a failed probe. */
    public static boolean fails(ProbeSpec spec, Answer a) {
        return verdict(spec, a) != Verdict.PASS;
    }

    /**
     * Whether the gateway would count the probe failed for the Host it sends or the port's protocol rather than the
     * backend's health (a status it does not accept, or a transport failure other than a timeout): then the check
     * asks the port whether it speaks TLS and the backend what it answers the site's Host.
     */
    public static boolean askAsSite(ProbeSpec spec, Answer a) {
        Verdict v = verdict(spec, a);
        return v == Verdict.STATUS || v == Verdict.TRANSPORT;
    }

    /**
     * What a probe series means for the gateway: nothing when every probe passed; when every probe failed, the first
     * one's reason (PROBE_STATUS_MISMATCH, PROBE_BODY_MISMATCH, PROBE_TIMEOUT, the transport failure's cause,
     * PROTOCOL_PORT_MISMATCH when a plain probe hit a TLS port, PROBE_HOST_NOT_SERVED when the site's Host is
     * served); when some failed, PROBE_INTERMITTENT_FAILURE, marking the member down when the failures were
     * consecutive for the unhealthy threshold.
     */
    public static List<Observation> of(ProbeSeriesSeen seen, GatewayProfile profile) {
        ProbeSpec spec = seen.spec();
        Target probe = seen.probe();
        List<Answer> probes = seen.probes();
        long failed = probes.stream().filter(a -> fails(spec, a)).count();
        if (failed == 0) {
            return List.of();
        }
        Evidence.Builder base = Evidence.builder()
                .put("path", probe.path()).put("hostSent", probe.host()).put("protocol", probe.tls() ? "https" : "http")
                .put("port", probe.address().getPort()).put("accepted", ranges(spec))
                .put("probeTimeoutSeconds", spec.timeout())
                .put("probesSent", probes.size()).put("probesFailed", failed)
                .put("outcomes", probes.stream().map(a -> describe(spec, a)).collect(Collectors.joining(",")))
                .put("probeSource", source(seen.custom(), profile));
        return List.of(failed == probes.size() ? allFailed(seen, profile, base)
                : intermittent(seen, failed, base));
    }

    private static Observation allFailed(ProbeSeriesSeen seen, GatewayProfile profile, Evidence.Builder base) {
        ProbeSpec spec = seen.spec();
        Target probe = seen.probe();
        Answer first = seen.probes().get(0);
        Answer asSite = seen.asSite();
        boolean siteServed = asSite != null && asSite.failure() == null && spec.accepts(asSite.status());
        String label = probe.label();
        String fix = "add a default site that answers any Host (or " + probe.host() + "), or set the probe's "
                + "host name to " + seen.siteHost();
        switch (verdict(spec, first)) {
            case STATUS:
                if (seen.tlsPage() != null) {
                    // the probe's plain HTTP hit a TLS port: the port, not the status, is what is wrong
                    return Observation.of(Cause.PROTOCOL_PORT_MISMATCH, label, "The health probe sends plain HTTP, "
                            + "but port " + probe.address().getPort() + " speaks TLS: it answered " + first.status()
                            + " '" + seen.tlsPage() + "' (a TLS handshake on it succeeds)", base
                            .put("status", first.status()).put("gatewayProtocol", "http").put("portSpeaks", "https")
                            .put("page", seen.tlsPage()).build());
                }
                if (siteServed) {
                    return Observation.of(Cause.PROBE_HOST_NOT_SERVED, label, "The backend answers "
                            + asSite.status() + " on " + probe.path() + " for Host " + seen.siteHost() + " but "
                            + first.status() + " for the probe's Host " + probe.host() + ": " + fix,
                            base.put("status", first.status()).put("siteHost", seen.siteHost())
                                    .put("siteStatus", asSite.status()).put("server", first.server()).build());
                }
                if (asSite != null) {
                    base.put("siteHost", seen.siteHost()).put("siteStatus", asSite.failure() == null
                            ? asSite.status() : "no response");
                }
                return Observation.of(Cause.PROBE_STATUS_MISMATCH, label, "The health probe GET " + probe.path()
                        + " with Host " + probe.host() + " got " + first.status() + " " + first.reason() + "; "
                        + profile.name() + " accepts " + ranges(spec) + " (Expected:" + ranges(spec) + " Received:"
                        + first.status() + ")", base.put("status", first.status()).put("server", first.server())
                        .put("location", first.location()).build());
            case BODY:
                return Observation.of(Cause.PROBE_BODY_MISMATCH, label, "The health probe's response to GET "
                        + probe.path() + " does not contain '" + spec.bodyContains() + "'", base
                        .put("status", first.status()).put("expectedBodyContains", spec.bodyContains())
                        .put("bodyStart", Text.snippet(first.body())).put("bodyBytes", first.body().length()).build());
            case TIMEOUT:
                return Observation.of(Cause.PROBE_TIMEOUT, label, "The health probe GET " + probe.path()
                        + " with Host " + probe.host() + " got no response within its "
                        + Text.duration(spec.timeout()) + " timeout", base.put("elapsedSeconds", first.elapsed())
                        .build());
            default: {
                Cause transport = transport(first);
                if (siteServed) {
                    // a default vhost that drops or resets unknown Hosts (nginx 'return 444'): the site still works
                    return Observation.of(Cause.PROBE_HOST_NOT_SERVED, label, "The backend answers "
                            + asSite.status() + " on " + probe.path() + " for Host " + seen.siteHost()
                            + " but drops the probe's Host " + probe.host() + " (" + transport.id() + "): " + fix,
                            base.put("probeOutcome", transport.id()).put("siteHost", seen.siteHost())
                                    .put("siteStatus", asSite.status()).build());
                }
                TransportFailure f = first.failure();
                return Observation.of(transport, label, "The health probe GET " + probe.path() + " failed: "
                        + transport.title(), base.put("exception", f.exception())
                        .put("exceptionMessage", f.exception() == null ? null : String.valueOf(f.message())).build());
            }
        }
    }

    private static Observation intermittent(ProbeSeriesSeen seen, long failed, Evidence.Builder base) {
        ProbeSpec spec = seen.spec();
        List<Answer> probes = seen.probes();
        int maxRun = 0;
        int run = 0;
        for (Answer a : probes) {
            run = fails(spec, a) ? run + 1 : 0;
            maxRun = Math.max(maxRun, run);
        }
        boolean marksDown = maxRun >= spec.unhealthyThreshold();
        double rate = (double) failed / probes.size();
        Answer firstFailure = probes.stream().filter(a -> fails(spec, a)).findFirst().orElseThrow();
        String msg = String.format(Locale.ROOT, "%d of %d health probes failed (%.0f%%) within %s; %d in a row at "
                        + "most, the gateway marks the backend down after %d", failed, probes.size(), rate * 100,
                Text.seconds(seen.window()), maxRun, spec.unhealthyThreshold())
                + (marksDown ? ": it would mark this backend unhealthy" : ": it flaps towards unhealthy");
        return Observation.of(Cause.PROBE_INTERMITTENT_FAILURE, seen.probe().label(), msg, base
                .put("failureRate", BigDecimal.valueOf(rate).setScale(2, RoundingMode.HALF_UP))
                .put("maxConsecutiveFailures", maxRun).put("unhealthyThreshold", spec.unhealthyThreshold())
                .put("windowSeconds", seen.window()).put("spacingSeconds", seen.spacing())
                .put("firstFailure", describe(spec, firstFailure))
                .put("note", "probes sent back to back on new connections instead of every "
                        + Text.duration(spec.interval()))
                .build()).withIf(marksDown, Qualifier.MARKS_MEMBER_DOWN);
    }

    /** The transport failure's cause (a probe the check kept always names one). */
    private static Cause transport(Answer a) {
        return TransportRules.cause(a.failure()).orElseThrow();
    }

    /** {@code 200}, {@code 503!}, {@code 200 body!}, {@code timeout} or the transport failure's cause id. */
    private static String describe(ProbeSpec spec, Answer a) {
        return switch (verdict(spec, a)) {
            case PASS -> Integer.toString(a.status());
            case STATUS -> a.status() + "!";
            case BODY -> a.status() + " body!";
            case TIMEOUT -> "timeout";
            case TRANSPORT -> transport(a).id();
        };
    }

    private static String source(boolean custom, GatewayProfile profile) {
        return custom ? "custom probe" : "default probe of " + profile.name();
    }

    private static String ranges(ProbeSpec spec) {
        return spec.accepted().stream().map(StatusRange::toString).collect(Collectors.joining(","));
    }

    private static boolean outside(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 || d.compareTo(max) > 0;
    }
}
