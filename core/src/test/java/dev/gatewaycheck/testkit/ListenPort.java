package dev.gatewaycheck.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port for a server process the tests start (nginx, HAProxy, Prometheus), which must be written into its
 * configuration before it binds.
 *
 * <p>A port taken from {@code ServerSocket(0)} lies in the kernel's ephemeral range, where every other test's
 * in-JVM servers and outgoing connections take theirs: between closing the probe socket and the process binding, it
 * may be taken. Ports here come from below Linux's default ephemeral range (32768-60999), where only servers started
 * through this class listen, and are checked to be free before they are handed out.
 *
 * <pre>{@code
 * int port = ListenPort.pick();   // write "listen 127.0.0.1:" + port into the config, then start the process
 * }</pre>
 */
public final class ListenPort {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final int TRIES = 200;

    private ListenPort() {
    }

    /** A free loopback port outside the ephemeral range. */
    public static int pick() {
        IOException last = null;
        for (int i = 0; i < TRIES; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new UncheckedIOException("no free loopback port in " + LOW + "-" + HIGH + " after " + TRIES + " tries", last);
    }
}
