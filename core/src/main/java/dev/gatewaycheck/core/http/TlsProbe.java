package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/** Tells whether a port speaks TLS, with one bounded handshake (for a plain-HTTP request that got nonsense). */
final class TlsProbe {
    /** How long the connect, then the handshake, may each take: a TLS port answers a ClientHello at once. */
    private static final int TIMEOUT_MILLIS = 2000;

    private TlsProbe() {
    }

    static boolean speaksTls(RunContext ctx, Target target) {
        try (Socket raw = ctx.register(new Socket())) {
            raw.setTcpNoDelay(true);
            raw.connect(target.address(), ctx.deadline().capMillis(java.time.Duration.ofMillis(TIMEOUT_MILLIS)));
            raw.setSoTimeout(ctx.deadline().capMillis(java.time.Duration.ofMillis(TIMEOUT_MILLIS)));
            try (SSLSocket ssl = (SSLSocket) HttpExchange.trustAll().getSocketFactory()
                    .createSocket(raw, target.host(), target.address().getPort(), true)) {
                ssl.startHandshake();
                return true;
            } finally {
                ctx.unregister(raw);
            }
        } catch (IOException e) {
            return false;
        }
    }
}
