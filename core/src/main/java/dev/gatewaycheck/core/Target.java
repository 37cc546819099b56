package dev.gatewaycheck.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;

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
        InetAddress a = address.getAddress();
        String ip = a.getHostAddress();
        if (ip.indexOf(':') >= 0) {
            ip = "[" + ip + "]";
        }
        return (tls ? "https://" : "http://") + ip + ":" + address.getPort();
    }

    /**
     * The {@code Host} header value: the host, an IPv6 literal in brackets ({@code [::1]}), as RFC 9110 requires and
     * nginx insists (a bare {@code ::1} gets 400).
     */
    public String hostHeader() {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The same target with another Host. */
    public Target withHost(String newHost) {
        return new Target(address, tls, newHost, path);
    }

    /** The same target with another scheme. */
    public Target withTls(boolean newTls) {
        return new Target(address, newTls, host, path);
    }

    /** The same target with another path. */
    public Target withPath(String newPath) {
        return new Target(address, tls, host, newPath);
    }
}
