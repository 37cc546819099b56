package dev.gatewaycheck.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port that refuses connections (TCP RST) for as long as the test JVM lives.
 *
 * <p>Closing a {@code ServerSocket(0)} and using its port races with every other test on the machine: the kernel
 * may hand the port to another listener before the test connects, which then answers instead of refusing. Here a
 * TCP socket is bound without {@code SO_REUSEADDR} and never listens, so connections to the port are refused and no
 * other socket can bind it until the JVM exits.
 *
 * <pre>{@code
 * int port = RefusedPort.take();   // connect() to 127.0.0.1:port -> ConnectException: Connection refused
 * }</pre>
 */
public final class RefusedPort {
    private static final List<Socket> HELD = new ArrayList<>();

    private RefusedPort() {
    }

    /** A port on the loopback address that refuses every connection until the JVM exits. */
    public static synchronized int take() {
        Socket holder = new Socket();
        try {
            holder.setReuseAddress(false);
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind a loopback port", e);
        }
        HELD.add(holder);
        return holder.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} for a port from {@link #take()}. */
    public static String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + take();
    }
}
