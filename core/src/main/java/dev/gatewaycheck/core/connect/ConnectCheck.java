package dev.gatewaycheck.core.connect;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
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

    /** The addresses that accepted a connection, in order. */
    public static List<InetSocketAddress> connectAll(RunContext ctx, List<InetAddress> addresses, int port) {
        List<InetSocketAddress> reachable = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (ctx.cutShort()) {
                break;
            }
            InetSocketAddress sa = new InetSocketAddress(a, port);
            if (connect(ctx, sa, ctx.plan().isTls()) != null) {
                reachable.add(sa);
            }
        }
        return reachable;
    }

    /** Connects once; returns the connect time, or null after reporting why it failed. */
    public static Duration connect(RunContext ctx, InetSocketAddress address, boolean tls) {
        String label = new Target(address, tls, "", "/").label();
        Duration timeout = ctx.profile().connectTimeout();
        int millis = ctx.deadline().capMillis(timeout);
        long start = System.nanoTime();
        try (Socket s = ctx.register(new Socket())) {
            s.setTcpNoDelay(true);
            s.connect(address, millis);
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            ctx.connectTime(d);
            ctx.unregister(s);
            return d;
        } catch (IOException e) {
            Duration d = Duration.ofNanos(System.nanoTime() - start);
            Evidence ev = Evidence.builder().put("address", address.getAddress().getHostAddress())
                    .put("port", address.getPort()).put("elapsedSeconds", d)
                    .put("gatewayConnectTimeoutSeconds", timeout)
                    .put("exception", e.getClass().getName()).put("exceptionMessage", e.getMessage())
                    .put("vantagePoint", "connected from this machine; the gateway's network path may differ")
                    .build();
            if (e instanceof SocketTimeoutException) {
                if (ctx.cutShort() && millis < timeout.toMillis()) {
                    return null;
                }
                ctx.observe(Observation.of(Cause.CONNECT_TIMEOUT, label, "No answer to the TCP handshake within " + Text.seconds(d)
                        + " (likely NETWORK_PATH_BLOCKED: a firewall or security group drops the packets)", ev));
            } else if (e instanceof NoRouteToHostException || isUnreachable(e)) {
                ctx.observe(Observation.of(Cause.HOST_UNREACHABLE, label, "No route to " + address.getAddress().getHostAddress()
                        + " (" + e.getMessage() + ")", ev));
            } else if (e instanceof ConnectException) {
                ctx.observe(Observation.of(Cause.CONNECTION_REFUSED, label, "Port " + address.getPort() + " refused the "
                        + "connection (TCP RST) after " + Text.seconds(d), ev));
            } else if (!ctx.cutShort()) {
                ctx.observe(Observation.of(Cause.CONNECTION_REFUSED, label, "The connection failed: " + e, ev));
            }
            return null;
        }
    }

    /** EHOSTUNREACH/ENETUNREACH arrive as NoRouteToHostException or a plain SocketException. */
    static boolean isUnreachable(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("unreachable") || m.contains("no route");
    }

}
