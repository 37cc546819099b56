package dev.gatewaycheck;

/**
 * The layer a {@link Cause} belongs to, in the order a gateway meets them.
 *
 * <pre>{@code
 * report.findings(Category.TLS);
 * }</pre>
 *
 * @since 0.1
 */
public enum Category {
    /** Name resolution of the backend. */
    DNS,
    /** TCP connection establishment. */
    CONNECT,
    /** The TLS handshake and the certificate chain. */
    TLS,
    /** Persistent-connection behaviour: idle timeouts and closes. */
    KEEPALIVE,
    /** The HTTP response: framing, headers, timing, status. */
    RESPONSE,
    /** The gateway's health probe. */
    PROBE,
    /** The backend pool as a whole. */
    POOL,
    /** Gateway configuration, checked without the network. */
    CONFIG,
    /** The front door (CDN or load balancer) in front of the backends. */
    FRONTEND
}
