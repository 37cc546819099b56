package dev.gatewaycheck.core.connect;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.ConnectRules;
import dev.gatewaycheck.core.judge.ConnectSeen;
import dev.gatewaycheck.core.judge.TransportFailure;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens a TCP connection to every address of the backend, within the gateway's connect timeout, and reports each
 * address that refuses, times out or is unreachable on its own.
 */
public final class ConnectCheck {

    private ConnectCheck() {
    }

    /**
     * The addresses that accepted a connection, in order. The connection to a backend's only address stays open for
     * the gateway's first use of it when the run says so ({@link RunContext#keepsConnection}), as a gateway connects
     * once and then uses that connection.
     */
    public static List<InetSocketAddress> connectAll(RunContext ctx, List<InetAddress> addresses, int port) {
        List<InetSocketAddress> reachable = new ArrayList<>();
        boolean keep = ctx.keepsConnection(addresses.size());
        for (InetAddress a : addresses) {
            if (ctx.cutShort()) {
                break;
            }
            InetSocketAddress sa = new InetSocketAddress(a, port);
            if (connect(ctx, sa, ctx.plan().isTls(), keep) != null) {
                reachable.add(sa);
            }
        }
        return reachable;
    }

    /**
     * Connects once; returns the connect time, or null after reporting why it failed. {@code keep}: the open
     * connection goes to {@link RunContext#keepConnection}, else it is closed.
     */
    private static Duration connect(RunContext ctx, InetSocketAddress address, boolean tls, boolean keep) {
        String label = new Target(address, tls, "", "/").label();
        Duration timeout = ctx.profile().connectTimeout();
        int millis = ctx.deadline().capMillis(timeout);
        long start = System.nanoTime();
        Socket s = ctx.register(new Socket());
        boolean kept = false;
        try {
            s.setTcpNoDelay(true);
            s.connect(address, millis);
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            ctx.connectTime(d);
            if (keep) {
                ctx.keepConnection(s);
                kept = true;
            }
            return d;
        } catch (IOException e) {
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            Kind kind = e instanceof SocketTimeoutException ? Kind.CONNECT_TIMED_OUT
                    : e instanceof NoRouteToHostException || isUnreachable(e) ? Kind.UNREACHABLE
                    : e instanceof ConnectException ? Kind.REFUSED : Kind.UNRECOGNIZED;
            // the run's deadline capped the wait, or closed the socket: says nothing about the backend
            boolean cut = kind == Kind.CONNECT_TIMED_OUT ? ctx.cutShort() && millis < timeout.toMillis()
                    : kind == Kind.UNRECOGNIZED && ctx.cutShort();
            if (!cut) {
                ctx.observe(ConnectRules.of(new ConnectSeen(label, address, d,
                        new TransportFailure(kind, e.getClass().getName(), e.getMessage())), ctx.profile()));
            }
            return null;
        } finally {
            if (!kept) {
                ctx.closeQuietly(s);
            }
        }
    }

    /** EHOSTUNREACH/ENETUNREACH arrive as NoRouteToHostException or a plain SocketException. */
    static boolean isUnreachable(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("unreachable") || m.contains("no route");
    }

}
