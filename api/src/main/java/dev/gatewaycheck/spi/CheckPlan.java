package dev.gatewaycheck.spi;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.ClientCertificate;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.KeepAliveCheck;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.RequestBody;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link CheckEngine} needs to run one check: the value behind a configured
 * {@link dev.gatewaycheck.GatewayCheck}. For engine implementers, not applications.
 *
 * @param backend         where to connect: an absolute http(s) URI, validated
 * @param host            who we claim to be: Host header, SNI and expected certificate name
 * @param path            the request path and query, starting with {@code /}
 * @param profile         the gateway whose limits judge the findings
 * @param checks          the selected checks; never empty (none selected means all)
 * @param timeout         the overall deadline of {@code run()}
 * @param trusted         the gateway's trusted roots or authentication certificates; empty for the profile's default
 * @param clientCertificate the client certificate to present, or {@code null}
 * @param probe           the health probe to use, or {@code null} for the profile's default
 * @param keepAlive       keep-alive options
 * @param resolver        how names are resolved
 * @param clock           the clock certificate dates are judged by
 * @param checkRevocation whether to check OCSP/CRL (needs the network)
 * @param requestBody     the body to send with the forwarded request, or {@code null} (GET only)
 * @since 0.1
 */
public record CheckPlan(URI backend, String host, String path, GatewayProfile profile, Set<Check> checks,
                        Duration timeout, List<X509Certificate> trusted, ClientCertificate clientCertificate,
                        ProbeSpec probe, KeepAliveCheck keepAlive, NameResolver resolver, Clock clock,
                        boolean checkRevocation, RequestBody requestBody) {

    /** Validates and copies. */
    public CheckPlan {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(profile, "profile");
        checks = checks.isEmpty() ? Set.copyOf(EnumSet.allOf(Check.class)) : Set.copyOf(checks);
        Objects.requireNonNull(timeout, "timeout");
        trusted = List.copyOf(trusted);
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(clock, "clock");
    }

    /** This plan connecting to another backend address (a pool member's resolved address). */
    public CheckPlan withBackend(URI value) {
        return change(p -> p.backend = value);
    }

    /** This plan with another Host (and SNI, certificate name). */
    public CheckPlan withHost(String value) {
        return change(p -> p.host = value);
    }

    /** This plan with another request path. */
    public CheckPlan withPath(String value) {
        return change(p -> p.path = value);
    }

    /** This plan judged against another profile. */
    public CheckPlan withProfile(GatewayProfile value) {
        return change(p -> p.profile = value);
    }

    /** This plan with other checks (none: all). */
    public CheckPlan withChecks(Set<Check> value) {
        return change(p -> p.checks = value);
    }

    /** This plan with another overall deadline. */
    public CheckPlan withTimeout(Duration value) {
        return change(p -> p.timeout = value);
    }

    /** This plan with other trusted certificates. */
    public CheckPlan withTrusted(List<X509Certificate> value) {
        return change(p -> p.trusted = value);
    }

    /** This plan presenting another client certificate ({@code null}: none). */
    public CheckPlan withClientCertificate(ClientCertificate value) {
        return change(p -> p.clientCertificate = value);
    }

    /** This plan with another health probe ({@code null}: the profile's). */
    public CheckPlan withProbe(ProbeSpec value) {
        return change(p -> p.probe = value);
    }

    /** This plan with other keep-alive options. */
    public CheckPlan withKeepAlive(KeepAliveCheck value) {
        return change(p -> p.keepAlive = value);
    }

    /** This plan resolving names with another resolver. */
    public CheckPlan withResolver(NameResolver value) {
        return change(p -> p.resolver = value);
    }

    /** This plan judging certificate dates by another clock. */
    public CheckPlan withClock(Clock value) {
        return change(p -> p.clock = value);
    }

    /** The clock of a run over {@code plans}: the first one's, or the system's UTC clock when there is none. */
    public static Clock clockOf(java.util.List<CheckPlan> plans) {
        return plans.isEmpty() ? Clock.systemUTC() : plans.get(0).clock();
    }

    /** This plan sending this request body with the forwarded request ({@code null}: GET only). */
    public CheckPlan withRequestBody(RequestBody value) {
        return change(p -> p.requestBody = value);
    }

    /** This plan with revocation checking on or off. */
    public CheckPlan withRevocation(boolean value) {
        return change(p -> p.checkRevocation = value);
    }

    /** The components of a plan, changed one at a time by the {@code with...} methods. */
    private static final class Parts {
        private URI backend;
        private String host;
        private String path;
        private GatewayProfile profile;
        private Set<Check> checks;
        private Duration timeout;
        private List<X509Certificate> trusted;
        private ClientCertificate clientCertificate;
        private ProbeSpec probe;
        private KeepAliveCheck keepAlive;
        private NameResolver resolver;
        private Clock clock;
        private boolean checkRevocation;
        private RequestBody requestBody;

        Parts(CheckPlan p) {
            backend = p.backend;
            host = p.host;
            path = p.path;
            profile = p.profile;
            checks = p.checks;
            timeout = p.timeout;
            trusted = p.trusted;
            clientCertificate = p.clientCertificate;
            probe = p.probe;
            keepAlive = p.keepAlive;
            resolver = p.resolver;
            clock = p.clock;
            checkRevocation = p.checkRevocation;
            requestBody = p.requestBody;
        }
    }

    private CheckPlan change(java.util.function.Consumer<Parts> change) {
        Parts p = new Parts(this);
        change.accept(p);
        return new CheckPlan(p.backend, p.host, p.path, p.profile, p.checks, p.timeout, p.trusted,
                p.clientCertificate, p.probe, p.keepAlive, p.resolver, p.clock, p.checkRevocation, p.requestBody);
    }

    /** Whether the backend is reached over TLS. */
    public boolean isTls() {
        return "https".equalsIgnoreCase(backend.getScheme());
    }

    /** The backend's port, with the scheme's default filled in. */
    public int port() {
        int p = backend.getPort();
        return p > 0 ? p : isTls() ? 443 : 80;
    }

    /** The backend's host as written in the URI, without IPv6 brackets. */
    public String backendHost() {
        String h = backend.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The probe to run: the plan's own or the profile's default (may be {@code null}: no active probe). */
    public ProbeSpec effectiveProbe() {
        return probe != null ? probe : profile.defaultProbe();
    }

    /** Whether a check is selected. */
    public boolean has(Check check) {
        return checks.contains(check);
    }
}
