package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.Text;
import java.time.Duration;
import java.util.Locale;

/**
 * The backend settings that keep idle connections open longer than the gateway does: the gateway's idle timeout
 * plus {@link #HEADROOM}, in the syntax of the common servers (Azure's advice for its 60 s is 90-120 s).
 */
public final class ServerSettings {

    /** How much longer than the gateway the backend should keep idle connections. */
    static final Duration HEADROOM = Duration.ofSeconds(30);
    /** How far Node's {@code headersTimeout} is set above its {@code keepAliveTimeout}, which it must exceed. */
    static final Duration NODE_HEADERS_ABOVE = Duration.ofSeconds(1);

    private ServerSettings() {
    }

    /** The recommended backend idle timeout in whole seconds for a gateway that keeps {@code gatewayIdle}. */
    static long recommendedSeconds(Duration gatewayIdle) {
        long ms = gatewayIdle.toMillis();
        return (ms + 999) / 1000 + HEADROOM.toSeconds();
    }

    /** Adds {@code recommendedApache}, {@code recommendedNginx}, {@code recommendedNode}, {@code recommendedTomcat}. */
    public static Evidence.Builder addTo(Evidence.Builder b, Duration gatewayIdle) {
        long s = recommendedSeconds(gatewayIdle);
        long ms = Duration.ofSeconds(s).toMillis();
        return b.put("recommendedApache", "KeepAliveTimeout " + s)
                .put("recommendedNginx", "keepalive_timeout " + s + "s;")
                .put("recommendedNode", "server.keepAliveTimeout = " + ms + "; server.headersTimeout = "
                        + (ms + NODE_HEADERS_ABOVE.toMillis()))
                .put("recommendedTomcat", "keepAliveTimeout=\"" + ms + "\"");
    }

    /** One sentence for the remedy. */
    public static String remedy(Duration gatewayIdle) {
        long s = recommendedSeconds(gatewayIdle);
        long ms = Duration.ofSeconds(s).toMillis();
        return "Keep idle connections open longer than the gateway's " + Text.duration(gatewayIdle) + ", e.g. " + s
                + " s: Apache 'KeepAliveTimeout " + s + "', nginx 'keepalive_timeout " + s + "s;', Node "
                + "'server.keepAliveTimeout = " + ms + "' (and headersTimeout above it), Tomcat "
                + "keepAliveTimeout=\"" + ms + "\"; or turn keep-alive off on the backend.";
    }
}
