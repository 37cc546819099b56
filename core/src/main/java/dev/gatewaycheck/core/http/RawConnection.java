package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A raw connection to a target, as the gateway opens it: TCP_NODELAY, the profile's connect timeout and a read
 * timeout, both capped by the run's deadline, TLS layered on it (with the gateway's client certificate, any server
 * certificate accepted) for https targets; registered with the run's watchdog. For the second looks that need the
 * bytes httpclient5 hides.
 */
final class RawConnection implements Closeable {
    private final RunContext ctx;
    private final Socket raw;
    private final Socket socket;

    private RawConnection(RunContext ctx, Socket raw, Socket socket) {
        this.ctx = ctx;
        this.raw = raw;
        this.socket = socket;
    }

    /** Connects (and handshakes); on failure closes what it opened and throws. */
    static RawConnection open(RunContext ctx, Target target, Duration readTimeout) throws IOException {
        return open(ctx, target, readTimeout, 0);
    }

    /** Same, asking for this send buffer size (0: the system's) before connecting. */
    static RawConnection open(RunContext ctx, Target target, Duration readTimeout, int sendBuffer) throws IOException {
        List<String> versions = ctx.httpTlsVersions(target);
        boolean[] handshaking = new boolean[1];
        try {
            return open(ctx, target, readTimeout, sendBuffer, versions, handshaking);
        } catch (IOException e) {
            if (!HttpExchange.unpinAfter(ctx, versions, handshaking[0], e)) {
                throw e;
            }
            // the handshake failed offering only the pinned version: once more offering every version, as a gateway
            return open(ctx, target, readTimeout, sendBuffer, List.of(), handshaking);
        }
    }

    private static RawConnection open(RunContext ctx, Target target, Duration readTimeout, int sendBuffer,
                                      List<String> versions, boolean[] handshaking) throws IOException {
        Socket raw = ctx.register(new Socket());
        SSLSocket ssl = null;
        try {
            raw.setTcpNoDelay(true);
            if (sendBuffer > 0) {
                raw.setSendBufferSize(sendBuffer);
            }
            ctx.connecting(() -> raw.connect(target.address(),
                    ctx.deadline().capMillis(ctx.profile().connectTimeout())));
            raw.setSoTimeout(ctx.deadline().capMillis(readTimeout));
            if (!target.tls()) {
                return new RawConnection(ctx, raw, raw);
            }
            ssl = ctx.register(HttpExchange.gatewaySocket(ctx, raw, target, versions));
            handshaking[0] = true;
            ssl.startHandshake();
            return new RawConnection(ctx, raw, ssl);
        } catch (IOException | RuntimeException e) {
            new RawConnection(ctx, raw, ssl == null ? raw : ssl).close();
            throw e;
        }
    }

    /** The TCP socket (for timeouts). */
    Socket raw() {
        return raw;
    }

    /** The socket to read and write: the TLS socket on https, else the TCP one. */
    Socket socket() {
        return socket;
    }

    /**
     * Ends the connection from another thread while a write may be blocked in it: the TCP socket first (a TLS close
     * would wait for the blocked writer to send its close_notify), then the TLS one.
     */
    void abort() {
        ctx.unregister(raw);
        try {
            raw.close();
        } catch (IOException ignored) {
            // best effort
        }
        close();
    }

    @Override
    public void close() {
        ctx.unregister(socket);
        ctx.unregister(raw);
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
        try {
            raw.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
