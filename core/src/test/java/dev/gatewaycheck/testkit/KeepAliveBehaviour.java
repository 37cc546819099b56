package dev.gatewaycheck.testkit;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link FaultServer.Behaviour} for keep-alive: answers requests on a persistent connection and then closes it the
 * way a misconfigured backend does: after an idle timeout (FIN or RST), after a number of requests (with or without
 * {@code Connection: close} on the last response), while advertising a {@code Keep-Alive} header that may differ from
 * what it does, or with {@code Connection: close} on every response. Immutable; each method returns a new instance.
 *
 * <pre>{@code
 * // Apache with KeepAliveTimeout 2, as seen from the gateway
 * FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(2)).advertise("timeout=2, max=100"));
 * }</pre>
 */
public final class KeepAliveBehaviour implements FaultServer.Behaviour {
    private static final int MAX_REQUESTS_PER_CONNECTION = 10_000;

    private final Duration idleTimeout;
    private final boolean resetOnIdle;
    private final int maxRequests;
    private final boolean announceLast;
    private final String advertise;
    private final boolean connectionClose;
    private final String body;

    private KeepAliveBehaviour(Duration idleTimeout, boolean resetOnIdle, int maxRequests, boolean announceLast,
                               String advertise, boolean connectionClose, String body) {
        this.idleTimeout = idleTimeout;
        this.resetOnIdle = resetOnIdle;
        this.maxRequests = maxRequests;
        this.announceLast = announceLast;
        this.advertise = advertise;
        this.connectionClose = connectionClose;
        this.body = body;
    }

    /** Keeps connections open for 60 s of idle, unlimited requests, no Keep-Alive header. */
    static KeepAliveBehaviour create() {
        return new KeepAliveBehaviour(Duration.ofSeconds(60), false, MAX_REQUESTS_PER_CONNECTION, true, null, false,
                "hello from the backend\n");
    }

    /** Closes an idle connection (FIN) after {@code idle} without a request. */
    public KeepAliveBehaviour idleTimeout(Duration idle) {
        Objects.requireNonNull(idle, "idle");
        return new KeepAliveBehaviour(idle, resetOnIdle, maxRequests, announceLast, advertise, connectionClose, body);
    }

    /** Ends idle connections with RST (SO_LINGER 0) instead of FIN, as Node did in nodejs/node#26166. */
    public KeepAliveBehaviour resetOnIdle() {
        return new KeepAliveBehaviour(idleTimeout, true, maxRequests, announceLast, advertise, connectionClose, body);
    }

    /**
     * Closes the connection (FIN) right after the {@code max}-th response; {@code announce} puts
     * {@code Connection: close} on that response (Apache MaxKeepAliveRequests), otherwise nothing warns the client.
     */
    public KeepAliveBehaviour maxRequests(int max, boolean announce) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        return new KeepAliveBehaviour(idleTimeout, resetOnIdle, max, announce, advertise, connectionClose, body);
    }

    /** Sends {@code Keep-Alive: <value>} (e.g. {@code timeout=5, max=100}) on every kept-alive response. */
    public KeepAliveBehaviour advertise(String value) {
        return new KeepAliveBehaviour(idleTimeout, resetOnIdle, maxRequests, announceLast, value, connectionClose,
                body);
    }

    /** Sends {@code Connection: close} on every response and closes after it (keep-alive off). */
    public KeepAliveBehaviour connectionCloseAlways() {
        return new KeepAliveBehaviour(idleTimeout, resetOnIdle, maxRequests, announceLast, advertise, true, body);
    }

    @Override
    public void handle(FaultServer.Connection c) throws IOException {
        for (int served = 0; served < maxRequests; served++) {
            c.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, idleTimeout.toMillis())));
            String request;
            try {
                request = c.readRequest();
            } catch (SocketTimeoutException idle) {
                if (resetOnIdle) {
                    c.reset();
                } else {
                    c.close();
                }
                return;
            }
            if (request == null) {
                return;
            }
            boolean last = connectionClose || served + 1 == maxRequests;
            StringBuilder r = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");
            if (last && (connectionClose || announceLast)) {
                r.append("Connection: close\r\n");
            } else if (advertise != null) {
                r.append("Connection: keep-alive\r\nKeep-Alive: ").append(advertise).append("\r\n");
            }
            r.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
            c.write(r.toString());
            if (last) {
                c.close();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "keepAlive[idle=" + idleTimeout.toMillis() + "ms" + (resetOnIdle ? " RST" : " FIN")
                + (maxRequests < MAX_REQUESTS_PER_CONNECTION ? ", max=" + maxRequests
                + (announceLast ? " announced" : " unannounced") : "")
                + (advertise != null ? ", advertise=" + advertise : "")
                + (connectionClose ? ", Connection: close" : "") + "]";
    }
}
