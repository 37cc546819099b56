package dev.gatewaycheck;

/**
 * The checks a user selects with {@link GatewayCheck#probe()}, {@link GatewayCheck#keepAlive()} and
 * {@link GatewayCheck#tls()}. Name resolution and TCP connect always run, because every check needs them.
 *
 * <pre>{@code
 * GatewayCheck.forBackend(uri).checks(Check.TLS, Check.PROBE).run();
 * }</pre>
 *
 * @since 0.1
 */
public enum Check {
    /** The TLS handshake and certificate chain, judged the way the gateway validates (https backends only). */
    TLS,
    /** The HTTP exchange the gateway makes: the forwarded request and the gateway's health probe. */
    PROBE,
    /** The backend's idle keep-alive timeout and close behaviour, against the gateway's. */
    KEEP_ALIVE;

    /**
     * Parses a check name as the command line writes it ({@code tls}, {@code probe}, {@code keepalive} or
     * {@code keep-alive}), ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Check parse(String name) {
        java.util.Objects.requireNonNull(name, "check");
        String n = name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (n.equals("KEEPALIVE")) {
            return KEEP_ALIVE;
        }
        for (Check c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("check must be one of tls, probe, keepalive, got '" + name + "'");
    }
}
