package dev.gatewaycheck;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A gateway health probe: what the gateway sends to decide whether a backend is healthy. Profiles carry their
 * default probe; {@link GatewayCheck#probe(ProbeSpec)} checks a custom one. The spec accepts values a gateway would
 * reject (a path without a leading slash, a timeout longer than the interval), because reporting those is the
 * point of {@link Cause#PROBE_MISCONFIGURED}; only values no gateway can express are refused.
 *
 * <pre>{@code
 * ProbeSpec probe = ProbeSpec.builder()
 *         .path("/healthz").host("www.contoso.com")
 *         .interval(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(30)).unhealthyThreshold(3)
 *         .accept(StatusRange.parse("200-399")).bodyContains("OK")
 *         .build();
 * }</pre>
 *
 * @param protocol           "http" or "https", or {@code null} for the backend's own scheme
 * @param host               the Host header (and SNI, on https) the probe sends; {@code null} for the checked Host;
 *                           else a DNS name, an IPv4 or an IPv6 address (bare or in brackets), without a port
 * @param path               the request path, e.g. {@code /}; one without a leading slash is accepted (and reported
 *                           as PROBE_MISCONFIGURED), one with spaces or control characters is refused
 * @param port               the port, or 0 for the backend's port
 * @param interval           time between probes
 * @param timeout            how long the probe waits for the response
 * @param unhealthyThreshold consecutive failures that mark the backend unhealthy
 * @param accepted           status codes counted as healthy
 * @param bodyContains       a substring the body must contain, or {@code null}
 * @since 0.1
 */
public record ProbeSpec(String protocol, String host, String path, int port, Duration interval, Duration timeout,
                        int unhealthyThreshold, List<StatusRange> accepted, String bodyContains) {

    /** Validates what no gateway can express. */
    public ProbeSpec {
        if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
            throw new IllegalArgumentException("protocol must be http, https or null, got '" + protocol + "'");
        }
        if (host != null) {
            host = HostSyntax.require(host, "host");
        }
        Objects.requireNonNull(path, "path");
        if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("path must contain no spaces or control characters (no request line "
                    + "can carry them), got '" + path + "'");
        }
        path = GatewayCheck.percentEncoded(path);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (the backend's) or 1-65535, got " + port);
        }
        GatewayProfile.requireTimeout(interval, "interval");
        GatewayProfile.requireTimeout(timeout, "timeout");
        if (unhealthyThreshold < 1) {
            throw new IllegalArgumentException("unhealthyThreshold must be at least 1, got " + unhealthyThreshold);
        }
        accepted = List.copyOf(Objects.requireNonNull(accepted, "accepted"));
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("accepted must name at least one status range, e.g. 200-399");
        }
    }

    /** Whether {@code status} counts as healthy. */
    public boolean accepts(int status) {
        return accepted.stream().anyMatch(r -> r.contains(status));
    }

    /** A builder starting from {@code GET /}, 30 s interval and timeout, threshold 3, 200-399. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder seeded with this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.protocol = protocol;
        b.host = host;
        b.path = path;
        b.port = port;
        b.interval = interval;
        b.timeout = timeout;
        b.unhealthyThreshold = unhealthyThreshold;
        b.accepted = accepted;
        b.bodyContains = bodyContains;
        return b;
    }

    @Override
    public String toString() {
        return "ProbeSpec[" + (protocol == null ? "" : protocol + "://") + (host == null ? "<host>" : host)
                + (port == 0 ? "" : ":" + port) + path + ", interval=" + interval.toSeconds() + "s, timeout="
                + timeout.toSeconds() + "s, unhealthyThreshold=" + unhealthyThreshold + ", accepted=" + accepted
                + (bodyContains == null ? "" : ", bodyContains='" + bodyContains + "'") + "]";
    }

    /** Builds a {@link ProbeSpec}; not thread-safe. */
    public static final class Builder {
        private String protocol;
        private String host;
        private String path = "/";
        private int port;
        private Duration interval = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(30);
        private int unhealthyThreshold = 3;
        private List<StatusRange> accepted = List.of(new StatusRange(200, 399));
        private String bodyContains;

        private Builder() {
        }

        /** "http", "https", or {@code null} for the backend's scheme. Default: {@code null}. */
        public Builder protocol(String protocol) {
            this.protocol = protocol;
            return this;
        }

        /** Host header (and SNI); {@code null} for the checked Host. Default: {@code null}. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Request path. Default: {@code /}. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Port, 0 for the backend's. Default: 0. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Time between probes. Default: 30 s. */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Probe timeout. Default: 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Consecutive failures before unhealthy. Default: 3. */
        public Builder unhealthyThreshold(int unhealthyThreshold) {
            this.unhealthyThreshold = unhealthyThreshold;
            return this;
        }

        /** Accepted status ranges (replaces the default 200-399). */
        public Builder accept(StatusRange... ranges) {
            this.accepted = List.of(ranges);
            return this;
        }

        /** A substring the body must contain; {@code null} for none. Default: none. */
        public Builder bodyContains(String text) {
            this.bodyContains = text;
            return this;
        }

        /** The spec. */
        public ProbeSpec build() {
            return new ProbeSpec(protocol, host, path, port, interval, timeout, unhealthyThreshold, accepted,
                    bodyContains);
        }
    }
}
