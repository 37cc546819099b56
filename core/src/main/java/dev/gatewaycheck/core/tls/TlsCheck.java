package dev.gatewaycheck.core.tls;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpExchange;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The TLS handshake as the gateway makes it: with SNI (when the profile sends it and the Host is a name), within
 * the profile's handshake timeout. Reports a plaintext answer to the ClientHello (PROTOCOL_PORT_MISMATCH), a
 * handshake that times out, and handshake alerts.
 */
public final class TlsCheck {

    private TlsCheck() {
    }

    /** Runs the TLS check; returns a skip reason, or null when it ran. */
    public static String run(RunContext ctx, Target target) {
        Duration timeout = ctx.profile().tlsHandshakeTimeout();
        long start = System.nanoTime();
        try (Socket raw = ctx.register(new Socket())) {
            raw.setTcpNoDelay(true);
            raw.connect(target.address(), ctx.deadline().capMillis(ctx.profile().connectTimeout()));
            raw.setSoTimeout(ctx.deadline().capMillis(timeout));
            start = System.nanoTime();
            try (SSLSocket ssl = (SSLSocket) HttpExchange.trustAll().getSocketFactory()
                    .createSocket(raw, target.host(), target.address().getPort(), true)) {
                ctx.register(ssl);
                SSLParameters p = ssl.getSSLParameters();
                if (ctx.profile().sendsSni() && !isIp(target.host())) {
                    p.setServerNames(List.of(new SNIHostName(target.host())));
                } else {
                    p.setServerNames(List.of());
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                ctx.tlsTime(Duration.ofNanos(System.nanoTime() - start));
                ctx.unregister(ssl);
            }
            ctx.unregister(raw);
            return null;
        } catch (IOException e) {
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            if (ctx.cutShort() && !(e instanceof SocketTimeoutException)) {
                return "the run's deadline ended the handshake";
            }
            Cause c = e instanceof SocketTimeoutException ? Cause.TLS_HANDSHAKE_TIMEOUT
                    : FailureClassifier.classify(e).orElse(Cause.TLS_NO_SHARED_CIPHER);
            if (c == Cause.CONNECTION_REFUSED || c == Cause.CONNECT_TIMEOUT || c == Cause.BACKEND_RESET_CONNECTION) {
                c = Cause.BACKEND_RESET_CONNECTION;
            }
            Evidence ev = Evidence.builder().put("sni", ctx.profile().sendsSni() ? target.host() : "(none)")
                    .put("elapsed", String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9))
                    .put("gatewayTlsHandshakeTimeout", timeout.toSeconds() + "s")
                    .put("exception", e.getClass().getName()).put("exceptionMessage", e.getMessage()).build();
            String message = c == Cause.PROTOCOL_PORT_MISMATCH
                    ? "The port answered the TLS ClientHello with plaintext: it speaks HTTP, not HTTPS"
                    : c == Cause.TLS_HANDSHAKE_TIMEOUT
                            ? "The TLS handshake did not complete within " + String.format(Locale.ROOT, "%.3fs",
                                    d.toNanos() / 1e9)
                            : "The TLS handshake failed: " + e.getMessage();
            ctx.report(c, target.label(), message, ev);
            ctx.tlsFailed(c.id());
            return null;
        }
    }

    static boolean isIp(String host) {
        return host.matches("[0-9.]+") || host.indexOf(':') >= 0;
    }
}
