package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Category;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.CertificateValidation;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one place that turns what the checks observed into findings for a gateway: whether an observation is a 502
 * cause for that gateway, how severe it is, which status the gateway answers, and the remedy. Every rule is here,
 * as data where it is data (the profile's overrides, the cause's category, {@link #CERTIFICATE_CAUSES},
 * {@link #NO_ANSWER_TODAY}) and as a few named rules otherwise; the checks only observe. Pure: no network, no
 * clock, so the rules are tested in tables ({@code JudgeTest}).
 *
 * <pre>{@code
 * Finding f = Judge.finding(Observation.of(Cause.TLS_CERT_EXPIRED, label, message, evidence), GatewayProfile.AWS_ALB);
 * f.severity();        // WARNING: the ALB does not validate backend certificates
 * f.gatewayStatus();   // 0: it answers nothing different
 * }</pre>
 */
public final class Judge {

    /** Causes about the certificate (which a gateway that does not validate certificates ignores). */
    public static final Set<Cause> CERTIFICATE_CAUSES = EnumSet.of(Cause.TLS_CERT_EXPIRED,
            Cause.TLS_CERT_NOT_YET_VALID, Cause.TLS_CERT_EXPIRING_SOON, Cause.TLS_CERT_HOSTNAME_MISMATCH,
            Cause.TLS_SELF_SIGNED, Cause.TLS_CERT_UNTRUSTED_CA, Cause.TLS_TRUSTED_ROOT_MISMATCH,
            Cause.TLS_CERT_NOT_ALLOWLISTED, Cause.TLS_CHAIN_INCOMPLETE, Cause.TLS_CHAIN_MISORDERED,
            Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, Cause.TLS_WEAK_CERTIFICATE, Cause.TLS_CERT_REVOKED,
            Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND);

    /**
     * Warnings about the future, about strength or about part of a pool: the gateway answers nothing different
     * today, so they carry no status.
     */
    public static final Set<Cause> NO_ANSWER_TODAY = EnumSet.of(Cause.TLS_CERT_EXPIRING_SOON,
            Cause.TLS_WEAK_CERTIFICATE, Cause.SOME_BACKENDS_UNHEALTHY);

    /**
     * The upload behaviours ({@code kind} of {@link Cause#UNEXPECTED_INTERIM_OR_EARLY_RESPONSE}) each gateway
     * documents as a failure, by profile id prefix ({@code ""}: every gateway): a second {@code 100 Continue} for
     * CloudFront (CFBEH), an unsupported 1xx and an early non-error response for Google Cloud LB (GCPLOG
     * {@code backend_interim_response_not_supported}, {@code backend_early_response_with_non_error_status}), a
     * {@code 101} nobody asked for everywhere. Elsewhere they are warnings without a status of their own: RFC 9110
     * allows them, and the other gateways do not say they fail on them.
     */
    public static final java.util.Map<String, List<String>> UPLOAD_FAILURES = java.util.Map.of(
            "second-continue", List.of("aws-cloudfront"),
            "unsupported-interim", List.of("gcp"),
            "early-response", List.of("gcp"),
            "switching-protocols", List.of(""));

    /** A value above this share of the gateway's limit is worth a warning (a response after 80% of its timeout). */
    public static final double NEAR_LIMIT_RATIO = 0.8;

    /** The label of findings about a pool as a whole. */
    public static final String POOL_LABEL = "pool";

    private Judge() {
    }

    /** The finding {@code o} is for a gateway with {@code profile}. */
    public static Finding finding(Observation o, GatewayProfile profile) {
        Objects.requireNonNull(o, "observation");
        Objects.requireNonNull(profile, "profile");
        Cause c = o.cause();
        Severity severity = severity(o, profile);
        boolean relayed = o.has(Qualifier.AFTER_HEAD) && profile.streamsResponseHead();
        int status = severity == Severity.INFO || o.has(Qualifier.NO_HEALTH_PROBE) || relayed ? 0
                : o.answeredStatus() != 0 && !o.has(Qualifier.AFTER_HEAD) ? o.answeredStatus() : status(c, profile);
        String message = o.message();
        if (relayed && severity != Severity.INFO) {
            message += "; " + profile.name() + " has already passed the backend's status " + o.answeredStatus()
                    + " on to the client, which gets this body as it comes, not a 5xx";
        } else if (ignoresCertificates(profile) && isCertificateCause(c)) {
            message += " (not a 502 cause for this gateway: " + profile.name()
                    + " does not validate backend certificates)";
        } else if (o.has(Qualifier.NO_HEALTH_PROBE)) {
            message += "; " + profile.name() + " has no health probe, so clients get this answer, not a 502";
        }
        String upload = uploadKind(o);
        if (upload != null) {
            List<String> documented = UPLOAD_FAILURES.get(upload);
            if (documentsUploadFailure(upload, profile)) {
                message += documented.contains("") ? "" : "; " + profile.name() + " documents this as a failure";
            } else {
                status = 0;
                message += "; " + (documented == null ? "no gateway" : String.join(" and ", documented.stream()
                        .map(Judge::gatewayName).toList())) + " fails on this, " + profile.name()
                        + " does not document it";
            }
        }
        return new Finding(c, severity, o.backend(), message, o.evidence(), o.remedy() == null ? c.remedy()
                : o.remedy(), status);
    }

    /** How severe {@code o} is for {@code profile}: the cause's severity, then the observation's qualifiers. */
    static Severity severity(Observation o, GatewayProfile profile) {
        Severity s = severity(o.cause(), profile);
        String upload = uploadKind(o);
        if (upload != null && !documentsUploadFailure(upload, profile)) {
            return milder(s, Severity.WARNING);
        }
        if (o.has(Qualifier.MARKS_MEMBER_DOWN)) {
            return Severity.ERROR;
        }
        if (o.has(Qualifier.NEAR_LIMIT) || o.has(Qualifier.NO_HEALTH_PROBE) || o.has(Qualifier.UNTESTABLE_HERE)) {
            return milder(s, Severity.WARNING);
        }
        return s;
    }

    /**
     * How this gateway judges {@code cause}: a backend needing SNI is a warning for a gateway that sends it (its
     * probe to 127.0.0.1 or an IP-only member does not), then the profile's override, then a certificate problem is
     * a warning for a gateway that does not validate certificates, else the cause's default.
     */
    public static Severity severity(Cause cause, GatewayProfile profile) {
        if (cause == Cause.TLS_SNI_REQUIRED_NOT_SENT && profile.sendsSni()) {
            return Severity.WARNING;
        }
        Severity s = profile.severities().get(cause);
        if (s != null) {
            return s;
        }
        if (ignoresCertificates(profile) && isCertificateCause(cause)) {
            return Severity.WARNING;
        }
        return cause.defaultSeverity();
    }

    /**
     * The status this gateway answers a client when the backend shows {@code cause}: 0 when the finding is
     * informational for it, for a pool that fails open, the profile's override, 0 for a certificate problem a
     * gateway that does not validate certificates ignores and for {@link #NO_ANSWER_TODAY}; a failing health probe
     * takes the status of {@link Cause#ALL_BACKENDS_UNHEALTHY} (the pool's verdict for a single backend), or none
     * for a gateway that fails open; else the profile's default status.
     */
    public static int status(Cause cause, GatewayProfile profile) {
        if (severity(cause, profile) == Severity.INFO) {
            return 0;
        }
        boolean unhealthy = cause == Cause.ALL_BACKENDS_UNHEALTHY || cause.category() == Category.PROBE;
        if (profile.failsOpen() && cause == Cause.ALL_BACKENDS_UNHEALTHY) {
            return 0;
        }
        Integer s = profile.statuses().get(cause);
        if (s != null) {
            return s;
        }
        if (ignoresCertificates(profile) && isCertificateCause(cause) && !profile.severities().containsKey(cause)
                || NO_ANSWER_TODAY.contains(cause)) {
            return 0;
        }
        if (unhealthy) {
            return profile.failsOpen() ? 0 : profile.statuses().getOrDefault(Cause.ALL_BACKENDS_UNHEALTHY,
                    profile.defaultStatus());
        }
        return profile.defaultStatus();
    }

    /** Whether the cause is about the certificate (which a non-validating gateway ignores), not the handshake. */
    public static boolean isCertificateCause(Cause cause) {
        return CERTIFICATE_CAUSES.contains(cause);
    }

    private static boolean ignoresCertificates(GatewayProfile profile) {
        return profile.certificateValidation() == CertificateValidation.NONE;
    }

    /** The upload behaviour an observation names, or null. */
    private static String uploadKind(Observation o) {
        return o.cause() == Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE ? o.evidence().get("kind").orElse(null) : null;
    }

    /** Whether {@code profile} (or the preset it was built from, by id prefix) documents the upload behaviour. */
    private static boolean documentsUploadFailure(String kind, GatewayProfile profile) {
        List<String> prefixes = UPLOAD_FAILURES.get(kind);
        return prefixes != null && prefixes.stream().anyMatch(prefix -> profile.id().startsWith(prefix));
    }

    private static String gatewayName(String idPrefix) {
        return idPrefix.startsWith("gcp") ? "Google Cloud LB" : idPrefix.startsWith("aws-cloudfront") ? "CloudFront"
                : idPrefix;
    }

    /** The milder of two severities. */
    static Severity milder(Severity a, Severity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Adds {@code f} to {@code kept} unless a finding with the same cause about the same backend is there (two
     * phases seeing one failure): the more severe one stays, the earlier one on a tie. Returns the finding kept.
     */
    public static Finding keep(List<Finding> kept, Finding f) {
        for (int i = 0; i < kept.size(); i++) {
            Finding k = kept.get(i);
            if (k.cause() == f.cause() && k.backend().equals(f.backend())) {
                if (f.severity().compareTo(k.severity()) < 0) {
                    kept.set(i, f);
                    return f;
                }
                return k;
            }
        }
        kept.add(f);
        return f;
    }

    /** {@code f} with {@code extra} facts appended (a pool naming the member and the resolver that answered). */
    public static Finding annotate(Finding f, Evidence extra) {
        return new Finding(f.cause(), f.severity(), f.backend(), f.message(),
                f.evidence().toBuilder().putAll(extra).build(), f.remedy(), f.gatewayStatus());
    }

    /** The finding for a pool without members, judged without the network. */
    public static Finding emptyPool(GatewayProfile p) {
        Cause c = Cause.EMPTY_BACKEND_POOL;
        return finding(Observation.of(c, POOL_LABEL, "The pool has no members: " + p.name() + " has nowhere to send "
                + "requests and answers " + status(c, p) + " to every one", Evidence.builder().put("members", 0)
                .put("checkedWithoutNetwork", true).build()), p);
    }

    /**
     * The pool's findings from its members' reports: every member unhealthy (an ERROR finding) is
     * ALL_BACKENDS_UNHEALTHY (a fail-open gateway routes to them anyway), some is SOME_BACKENDS_UNHEALTHY.
     */
    public static List<Finding> pool(GatewayProfile p, List<PoolReport.Member> members) {
        // unhealthy: an ERROR finding; unchecked: cut short by the deadline before anything was found
        List<PoolReport.Member> unhealthy = members.stream().filter(m -> hasError(m.report())).toList();
        long unchecked = members.stream().filter(m -> !m.report().complete() && !hasError(m.report())).count();
        long healthy = members.size() - unhealthy.size() - unchecked;
        if (unhealthy.isEmpty()) {
            return List.of();
        }
        Evidence.Builder ev = Evidence.builder().put("addresses", members.size()).put("unhealthy", unhealthy.size())
                .put("healthy", healthy).put("unchecked", unchecked == 0 ? null : unchecked);
        for (int i = 0; i < unhealthy.size(); i++) {
            PoolReport.Member m = unhealthy.get(i);
            Finding worst = m.report().findings().get(0);
            ev.put("unhealthy[" + i + "]", m.address() + " " + worst.cause().id()
                    + (m.member().equals(m.address()) ? "" : " (member " + m.member() + ")"));
        }
        List<Finding> out = new ArrayList<>();
        if (unhealthy.size() == members.size()) {
            Cause c = Cause.ALL_BACKENDS_UNHEALTHY;
            ev.put("failsOpen", p.failsOpen());
            Observation o = p.failsOpen()
                    ? Observation.of(c, POOL_LABEL, "Every one of the " + members.size() + " addresses fails "
                            + p.name() + "'s checks, but it fails open: it keeps routing to all of them, so clients "
                            + "get the members' own answers rather than a gateway error", ev.build())
                            .remedy("Fix the members' findings; " + p.name() + " hides the outage behind fail-open "
                                    + "routing, so its health dashboard, not a 5xx, is the alarm.")
                    : Observation.of(c, POOL_LABEL, "Every one of the " + members.size() + " addresses fails "
                            + p.name() + "'s checks: it has no healthy member and answers " + status(c, p)
                            + " to every request", ev.build());
            out.add(finding(o, p));
        } else {
            String rest = healthy > 0 ? "the " + healthy + " healthy one(s) carry all traffic"
                    : "the other " + unchecked + " were cut short by the deadline, so whether any member is healthy "
                            + "is unknown";
            out.add(finding(Observation.of(Cause.SOME_BACKENDS_UNHEALTHY, POOL_LABEL, unhealthy.size() + " of "
                    + members.size() + " addresses fail " + p.name() + "'s checks; " + rest, ev.build()), p));
        }
        return out;
    }

    /** Whether the report has an ERROR finding (the gateway would take the backend out, or answer 5xx for it). */
    public static boolean hasError(Report r) {
        return r.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }
}
