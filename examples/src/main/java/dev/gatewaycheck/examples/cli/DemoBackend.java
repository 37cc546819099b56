package dev.gatewaycheck.examples.cli;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * One misbehaving backend of the demo on 127.0.0.1 and a free port: every accepted connection is handed to a
 * {@link Conduct}. Small on purpose: the demo's backends answer the checker's GET requests, nothing more (core's
 * tests have the full fault server). Threads are daemons; {@link #close()} stops the listener and open connections.
 */
final class DemoBackend implements Closeable {

    /** What the backend does with one connection. */
    @FunctionalInterface
    interface Conduct {
        void on(Socket socket, InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final String scheme;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private DemoBackend(ServerSocket listener, String scheme, Conduct conduct) {
        this.listener = listener;
        this.scheme = scheme;
        Thread acceptor = new Thread(() -> accept(conduct), "demo-backend-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Plain HTTP. */
    static DemoBackend http(Conduct conduct) {
        try {
            return new DemoBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), "http", conduct);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /** HTTPS with the certificates of {@code tls}. */
    static DemoBackend https(SSLContext tls, Conduct conduct) {
        try {
            return new DemoBackend(tls.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress()), "https", conduct);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return scheme + "://127.0.0.1:" + port();
    }

    private void accept(Conduct conduct) {
        try {
            for (int n = 0; n < 1_000_000; n++) {
                serve(listener.accept(), conduct);
            }
        } catch (IOException listenerClosed) {
            // close() ends the demo backend
        }
    }

    private void serve(Socket s, Conduct conduct) {
        open.add(s);
        Thread t = new Thread(() -> {
            try (s) {
                s.setTcpNoDelay(true);
                conduct.on(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream());
            } catch (IOException | InterruptedException | RuntimeException gone) {
                // the checker closed or reset the connection: that is the point of most demos
            } finally {
                open.remove(s);
            }
        }, "demo-connection-" + s.getPort());
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }

    // ---- conducts ---------------------------------------------------------------------------------------

    /** Answers every request on the connection with {@code response}, as long as the client keeps it open. */
    static Conduct answering(String response) {
        return (s, in, out) -> {
            while (requestHead(in)) {
                send(out, response);
            }
        };
    }

    /** Waits {@code delay} after the request, then answers. */
    static Conduct answeringAfter(Duration delay, String response) {
        return (s, in, out) -> {
            if (requestHead(in)) {
                Thread.sleep(delay.toMillis());
                send(out, response);
            }
        };
    }

    /** Reads the request, then ends the connection: with RST when {@code reset}, else with FIN and no byte. */
    static Conduct hangingUp(boolean reset) {
        return (s, in, out) -> {
            if (requestHead(in) && reset) {
                s.setSoLinger(true, 0);
            }
        };
    }

    /**
     * Keeps connections alive for {@code idle} between requests, then closes (FIN); after {@code maxRequests}
     * responses it closes without {@code Connection: close}. {@code keepAliveHeader} is sent when not null.
     */
    static Conduct keepingAlive(Duration idle, int maxRequests, String keepAliveHeader) {
        String body = "kept alive\n";
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + (keepAliveHeader == null ? "" : "Keep-Alive: " + keepAliveHeader + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return (s, in, out) -> {
            s.setSoTimeout((int) idle.toMillis());
            try {
                for (int served = 0; served < maxRequests && requestHead(in); served++) {
                    send(out, response);
                }
            } catch (SocketTimeoutException idleTimeout) {
                // idle for longer than the backend keeps connections: close, as a server's keep-alive timer does
            }
        };
    }

    /** A 200 with this body. */
    static String ok(String body) {
        return status(200, "OK", body, "Content-Type: text/plain");
    }

    /** A response with this status line, extra header lines and body. */
    static String status(int code, String reason, String body, String... headers) {
        return "HTTP/1.1 " + code + " " + reason + "\r\n" + String.join("", java.util.Arrays.stream(headers)
                .map(h -> h + "\r\n").toList()) + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /**
     * Reads one request head (to the blank line), or what came when it does not start like HTTP; false when the
     * client closed first. Bounded to 64 KiB.
     */
    static boolean requestHead(InputStream in) throws IOException {
        int last4 = 0;
        for (int n = 0; n < 65_536; n++) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            if (n == 0 && (b < 'A' || b > 'Z')) {
                in.skip(in.available());   // not HTTP (a TLS ClientHello): answer it at once, as a web server does
                return true;
            }
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a || (last4 & 0xffff) == 0x0a0a) {
                return true;
            }
        }
        return true;
    }

    private static void send(OutputStream out, String response) throws IOException {
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
