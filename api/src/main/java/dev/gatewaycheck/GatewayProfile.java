package dev.gatewaycheck;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The documented limits of one gateway that a backend must meet, and how that gateway treats each cause: idle
 * keep-alive towards the backend, request and connect timeouts, its default health probe, its backend TLS policy
 * and trust model, its response-header limit, and the status it answers per cause. Presets are constants; a custom
 * profile starts from one with {@link #toBuilder()}.
 *
 * <pre>{@code
 * GatewayProfile myAlb = GatewayProfile.AWS_ALB.toBuilder()
 *         .id("my-alb").name("our ALB (idle 120 s)")
 *         .idleTimeout(Duration.ofSeconds(120))
 *         .build();
 * GatewayCheck.forBackend(url).against(myAlb).keepAlive().run();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class GatewayProfile {

    /** How the gateway validates the backend's certificate. */
    public enum CertificateValidation {
        /** No validation: certificate problems are not a 502 cause (ALB, nginx proxy_ssl_verify off). */
        NONE,
        /** Chain to a public (JDK default) root, or to the roots given with {@code trusting(...)}; name checked. */
        PUBLIC_CA,
        /** Azure v2: well-known CA or the uploaded trusted roots ({@code trusting(...)}); name checked. */
        TRUSTED_ROOTS,
        /** Azure v1: the leaf's public key must match an uploaded authentication certificate ({@code trusting}). */
        ALLOWLIST
    }

    /**
     * A conservative generic gateway: keeps idle backend connections 60 s, waits 20 s for a response, 10 s to
     * connect and handshake, accepts 32 KiB of response headers, validates certificates against public roots with
     * SNI, TLS 1.2-1.3, and probes {@code GET /} with the checked Host expecting 200-399 within 5 s. A backend that
     * passes it passes most gateways.
     */
    public static final GatewayProfile GENERIC = builder()
            .id("generic").name("generic gateway (conservative)")
            .idleTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(20))
            .connectTimeout(Duration.ofSeconds(10)).tlsHandshakeTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(ProbeSpec.builder().timeout(Duration.ofSeconds(5)).interval(Duration.ofSeconds(30))
                    .unhealthyThreshold(2).build())
            .tlsProtocols("TLSv1.2", "TLSv1.3").sendsSni(true)
            .certificateValidation(CertificateValidation.PUBLIC_CA)
            .build();

    private final String id;
    private final String name;
    private final Duration idleTimeout;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration tlsHandshakeTimeout;
    private final int maxResponseHeaderBytes;
    private final ProbeSpec defaultProbe;
    private final List<String> tlsProtocols;
    private final List<String> cipherSuites;
    private final boolean sendsSni;
    private final CertificateValidation certificateValidation;
    private final Duration certExpiryWarning;
    private final int maxChainLength;
    private final boolean failsOpen;
    private final int defaultStatus;
    private final Map<Cause, Integer> statuses;
    private final Map<Cause, Severity> severities;

    private GatewayProfile(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.idleTimeout = b.idleTimeout;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.tlsHandshakeTimeout = b.tlsHandshakeTimeout;
        this.maxResponseHeaderBytes = b.maxResponseHeaderBytes;
        this.defaultProbe = b.defaultProbe;
        this.tlsProtocols = List.copyOf(b.tlsProtocols);
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.sendsSni = b.sendsSni;
        this.certificateValidation = b.certificateValidation;
        this.certExpiryWarning = b.certExpiryWarning;
        this.maxChainLength = b.maxChainLength;
        this.failsOpen = b.failsOpen;
        this.defaultStatus = b.defaultStatus;
        this.statuses = Map.copyOf(b.statuses);
        this.severities = Map.copyOf(b.severities);
    }

    /** The short id the command line uses ({@code --profile}), e.g. {@code azure-v2}. */
    public String id() {
        return id;
    }

    /** A readable name, shown in every report. */
    public String name() {
        return name;
    }

    /** How long the gateway keeps an idle connection to the backend for reuse; the backend must keep it longer. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long the gateway waits for the backend's response (first byte). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long the gateway waits for the TCP handshake. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long the gateway waits for the TLS handshake. */
    public Duration tlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    /** The largest response header section the gateway accepts, in bytes. */
    public int maxResponseHeaderBytes() {
        return maxResponseHeaderBytes;
    }

    /** The gateway's default health probe, or {@code null} when it has none (passive health only). */
    public ProbeSpec defaultProbe() {
        return defaultProbe;
    }

    /** The TLS versions the gateway offers to backends, JSSE names ({@code TLSv1.2}). */
    public List<String> tlsProtocols() {
        return tlsProtocols;
    }

    /** The cipher suites the gateway offers (JSSE names); empty for the JDK's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Whether the gateway sends SNI on live traffic to the backend. */
    public boolean sendsSni() {
        return sendsSni;
    }

    /** How the gateway validates the backend certificate. */
    public CertificateValidation certificateValidation() {
        return certificateValidation;
    }

    /** Warn when a certificate expires within this window. Default 30 days. */
    public Duration certExpiryWarning() {
        return certExpiryWarning;
    }

    /** The longest chain (certificates presented) the gateway accepts. */
    public int maxChainLength() {
        return maxChainLength;
    }

    /** Whether the gateway routes to unhealthy members when all are unhealthy (AWS ALB fails open). */
    public boolean failsOpen() {
        return failsOpen;
    }

    /**
     * The status this gateway answers a client when the backend shows {@code cause}: 502 unless the gateway
     * documents another (504 on timeouts, Cloudflare's 52x), 0 when the finding is informational for it.
     */
    public int statusFor(Cause cause) {
        Objects.requireNonNull(cause, "cause");
        if (severityOf(cause) == Severity.INFO) {
            return 0;
        }
        return statuses.getOrDefault(cause, defaultStatus);
    }

    /** How this gateway judges {@code cause}: the profile's override or the cause's default severity. */
    public Severity severityOf(Cause cause) {
        Objects.requireNonNull(cause, "cause");
        Severity s = severities.get(cause);
        if (s != null) {
            return s;
        }
        if (cause.category() == Category.TLS && certificateValidation == CertificateValidation.NONE
                && isCertificateCause(cause)) {
            return Severity.WARNING;
        }
        return cause.defaultSeverity();
    }

    /** Whether the cause is about the certificate (which a non-validating gateway ignores), not the handshake. */
    public static boolean isCertificateCause(Cause cause) {
        switch (cause) {
            case TLS_CERT_EXPIRED: case TLS_CERT_NOT_YET_VALID: case TLS_CERT_EXPIRING_SOON:
            case TLS_CERT_HOSTNAME_MISMATCH: case TLS_SELF_SIGNED: case TLS_CERT_UNTRUSTED_CA:
            case TLS_TRUSTED_ROOT_MISMATCH: case TLS_CERT_NOT_ALLOWLISTED: case TLS_CHAIN_INCOMPLETE:
            case TLS_CHAIN_MISORDERED: case TLS_CERT_PROPERTIES_UNSUPPORTED: case TLS_WEAK_CERTIFICATE:
            case TLS_CERT_REVOKED: case TLS_SNI_NOT_SUPPORTED_BY_BACKEND:
                return true;
            default:
                return false;
        }
    }

    /** The status overrides per cause (for documentation tables). */
    public Map<Cause, Integer> statuses() {
        return statuses;
    }

    /** The severity overrides per cause (for documentation tables). */
    public Map<Cause, Severity> severities() {
        return severities;
    }

    /** The status answered for causes without an override. */
    public int defaultStatus() {
        return defaultStatus;
    }

    /** A builder seeded with this profile, to derive a custom one. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.idleTimeout = idleTimeout;
        b.requestTimeout = requestTimeout;
        b.connectTimeout = connectTimeout;
        b.tlsHandshakeTimeout = tlsHandshakeTimeout;
        b.maxResponseHeaderBytes = maxResponseHeaderBytes;
        b.defaultProbe = defaultProbe;
        b.tlsProtocols = tlsProtocols;
        b.cipherSuites = cipherSuites;
        b.sendsSni = sendsSni;
        b.certificateValidation = certificateValidation;
        b.certExpiryWarning = certExpiryWarning;
        b.maxChainLength = maxChainLength;
        b.failsOpen = failsOpen;
        b.defaultStatus = defaultStatus;
        b.statuses.putAll(statuses);
        b.severities.putAll(severities);
        return b;
    }

    /** A builder with the {@link #GENERIC} defaults for every limit and no name. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every preset, in documentation order. */
    public static List<GatewayProfile> presets() {
        return Presets.ALL;
    }

    /**
     * The preset with this {@link #id()}, ignoring case.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    public static GatewayProfile named(String id) {
        Objects.requireNonNull(id, "profile");
        for (GatewayProfile p : presets()) {
            if (p.id.equalsIgnoreCase(id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile must be one of " + presets().stream().map(GatewayProfile::id)
                .toList() + ", got '" + id + "'");
    }

    static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatewayProfile p && p.id.equals(id) && p.name.equals(name)
                && p.toString().equals(toString()) && p.statuses.equals(statuses) && p.severities.equals(severities);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** One line with the limits, e.g. for jshell. */
    @Override
    public String toString() {
        return "GatewayProfile[" + id + ": " + name + ", idle=" + idleTimeout.toSeconds() + "s, request="
                + requestTimeout.toSeconds() + "s, connect=" + connectTimeout.toSeconds() + "s, tls="
                + tlsProtocols + ", validation=" + certificateValidation + ", sni=" + sendsSni
                + ", maxHeader=" + maxResponseHeaderBytes + "B, probe=" + defaultProbe + "]";
    }

    /** Builds a {@link GatewayProfile}; not thread-safe. */
    public static final class Builder {
        private String id = "custom";
        private String name = "custom gateway";
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
        private int maxResponseHeaderBytes = 32 * 1024;
        private ProbeSpec defaultProbe = ProbeSpec.builder().timeout(Duration.ofSeconds(5)).build();
        private List<String> tlsProtocols = List.of("TLSv1.2", "TLSv1.3");
        private List<String> cipherSuites = List.of();
        private boolean sendsSni = true;
        private CertificateValidation certificateValidation = CertificateValidation.PUBLIC_CA;
        private Duration certExpiryWarning = Duration.ofDays(30);
        private int maxChainLength = 10;
        private boolean failsOpen;
        private int defaultStatus = 502;
        private final Map<Cause, Integer> statuses = new EnumMap<>(Cause.class);
        private final Map<Cause, Severity> severities = new EnumMap<>(Cause.class);

        private Builder() {
        }

        /** Short id, lower case letters, digits and dashes. */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (!id.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("id must be lower-case letters, digits and dashes, got '" + id + "'");
            }
            this.id = id;
            return this;
        }

        /** Readable name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Idle keep-alive towards the backend. Default: 60 s. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = requirePositive(d, "idleTimeout");
            return this;
        }

        /** Response (first byte) timeout. Default: 20 s. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = requirePositive(d, "requestTimeout");
            return this;
        }

        /** Connect timeout. Default: 10 s. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = requirePositive(d, "connectTimeout");
            return this;
        }

        /** TLS handshake timeout. Default: 10 s. */
        public Builder tlsHandshakeTimeout(Duration d) {
            this.tlsHandshakeTimeout = requirePositive(d, "tlsHandshakeTimeout");
            return this;
        }

        /** Response header limit in bytes. Default: 32768. */
        public Builder maxResponseHeaderBytes(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxResponseHeaderBytes must be at least 256, got " + bytes);
            }
            this.maxResponseHeaderBytes = bytes;
            return this;
        }

        /** Default health probe; {@code null} when the gateway has none. */
        public Builder defaultProbe(ProbeSpec probe) {
            this.defaultProbe = probe;
            return this;
        }

        /** TLS versions offered to backends (JSSE names). Default: TLSv1.2, TLSv1.3. */
        public Builder tlsProtocols(String... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("tlsProtocols must name at least one version, e.g. TLSv1.2");
            }
            this.tlsProtocols = List.of(protocols);
            return this;
        }

        /** Cipher suites offered (JSSE names); none for the JDK defaults. Default: none. */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites = List.of(suites);
            return this;
        }

        /** Whether SNI is sent. Default: true. */
        public Builder sendsSni(boolean sendsSni) {
            this.sendsSni = sendsSni;
            return this;
        }

        /** Trust model. Default: {@link CertificateValidation#PUBLIC_CA}. */
        public Builder certificateValidation(CertificateValidation v) {
            this.certificateValidation = Objects.requireNonNull(v, "certificateValidation");
            return this;
        }

        /** Expiry warning window. Default: 30 days. */
        public Builder certExpiryWarning(Duration d) {
            this.certExpiryWarning = requirePositive(d, "certExpiryWarning");
            return this;
        }

        /** Longest accepted chain. Default: 10. */
        public Builder maxChainLength(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxChainLength must be at least 1, got " + n);
            }
            this.maxChainLength = n;
            return this;
        }

        /** Whether the gateway fails open when all members are unhealthy. Default: false. */
        public Builder failsOpen(boolean failsOpen) {
            this.failsOpen = failsOpen;
            return this;
        }

        /** Status answered for causes without an override. Default: 502. */
        public Builder defaultStatus(int status) {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("defaultStatus must be 100-999, got " + status);
            }
            this.defaultStatus = status;
            return this;
        }

        /** The status the gateway answers for {@code cause}. */
        public Builder status(Cause cause, int status) {
            Objects.requireNonNull(cause, "cause");
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status must be 100-999, got " + status);
            }
            statuses.put(cause, status);
            return this;
        }

        /** How the gateway judges {@code cause}. */
        public Builder severity(Cause cause, Severity severity) {
            severities.put(Objects.requireNonNull(cause, "cause"), Objects.requireNonNull(severity, "severity"));
            return this;
        }

        /** The profile. */
        public GatewayProfile build() {
            return new GatewayProfile(this);
        }
    }

    /** Holds the preset list so that class initialisation order cannot leave a null in it. */
    private static final class Presets {
        static final List<GatewayProfile> ALL = List.of(GENERIC);
    }

}
