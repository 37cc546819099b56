package dev.gatewaycheck.core;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One backend address as the gateway reaches it: where to connect, and who to claim to be.
 *
 * @param address the address and port to connect to
 * @param tls     whether the gateway speaks TLS to it
 * @param host    Host header, SNI and certificate name
 * @param path    request path
 */
public record Target(InetSocketAddress address, boolean tls, String host, String path) {

    /** {@code https://127.0.0.1:8443} (IPv6 in brackets), the label findings carry. */
    public String label() {
        return (tls ? "https://" : "http://") + Text.bracketed(address.getAddress().getHostAddress()) + ":"
                + address.getPort();
    }

    /**
     * The {@code Host} header value: the host, an IPv6 literal in brackets ({@code [::1]}), as RFC 9110 requires and
     * nginx insists (a bare {@code ::1} gets 400).
     */
    public String hostHeader() {
        return Text.bracketed(host);
    }

    /** The same target with another Host. */
    public Target withHost(String newHost) {
        return new Target(address, tls, newHost, path);
    }

    // equals and hashCode written out: a record's generated ones bootstrap through java.lang.invoke on their first
    // call, 30-50 ms of a fresh JVM's CPU spent on the forwarded request's way (the gateway connection's target check)

    @Override
    public boolean equals(Object o) {
        return o instanceof Target t && tls == t.tls && Objects.equals(address, t.address)
                && Objects.equals(host, t.host) && Objects.equals(path, t.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, tls, host, path);
    }
}
