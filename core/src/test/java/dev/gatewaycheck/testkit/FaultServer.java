package dev.gatewaycheck.testkit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A real backend on 127.0.0.1 that misbehaves on purpose: each accepted connection is handed to a
 * {@link Behaviour}. Plain or TLS ({@link #tls(SSLContext, Behaviour)}). Threads are daemons; {@link #close()} stops
 * the listener and every open connection. Shared by the tests, the CLI demo and the benchmarks.
 *
 * <pre>{@code
 * try (FaultServer s = FaultServer.plain(FaultServer.respond("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))) {
 *     GatewayCheck.forBackend(s.url()).run();
 * }
 * }</pre>
 */
public final class FaultServer implements Closeable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    public interface Behaviour {
        /** Handles the connection; the server closes it afterwards unless it was closed already. */
        void handle(Connection c) throws IOException, InterruptedException;
    }

    /** One accepted connection with helpers to read requests and misbehave. */
    public static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final int index;

        Connection(Socket socket, int index) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.index = index;
        }

        /** The socket. */
        public Socket socket() {
            return socket;
        }

        /** 0 for the first connection the server accepted, 1 for the next... */
        public int index() {
            return index;
        }

        /**
         * Reads one request head (up to the blank line); null when the peer closed first. Bounded to 64 KiB. Like a
         * real server, a request that does not start with a method token (a TLS ClientHello, say) is returned at
         * once as read, so the behaviour answers it instead of waiting for a blank line that never comes.
         */
        public String readRequest() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int state = 0;
            while (b.size() < 65536) {
                int c = in.read();
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
                }
                if (b.size() == 0 && (c < 'A' || c > 'Z')) {
                    byte[] rest = new byte[Math.max(0, Math.min(in.available(), 16384))];
                    int n = rest.length == 0 ? 0 : in.read(rest);
                    b.write(c);
                    b.write(rest, 0, Math.max(n, 0));
                    return b.toString(StandardCharsets.ISO_8859_1);
                }
                b.write(c);
                state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                        : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : (c == '\n' ? 2 : 0);
                if (state == 4 || (state == 2 && b.size() >= 2 && endsWithLfLf(b))) {
                    return b.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        private static boolean endsWithLfLf(ByteArrayOutputStream b) {
            byte[] a = b.toByteArray();
            return a.length >= 2 && a[a.length - 1] == '\n' && a[a.length - 2] == '\n';
        }

        /** Writes text as ISO-8859-1 and flushes. */
        public void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Writes bytes and flushes. */
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Closes with FIN. */
        public void close() throws IOException {
            socket.close();
        }

        /** Closes with RST (SO_LINGER 0). */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Sleeps while the peer is connected, at most {@code max}. */
        public void hold(Duration max) throws InterruptedException {
            Thread.sleep(max.toMillis());
        }
    }

    private final ServerSocket server;
    private final boolean tls;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private FaultServer(ServerSocket server, boolean tls, Behaviour behaviour) {
        this.server = server;
        this.tls = tls;
        this.behaviour = behaviour;
        this.acceptor = new Thread(this::acceptLoop, "fault-server-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A plain HTTP fault server on 127.0.0.1 and a free port. */
    public static FaultServer plain(Behaviour behaviour) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            return new FaultServer(s, false, behaviour);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    /**
     * A plain HTTP fault server on this loopback address (127.0.0.0/8 or ::1) and port (0 for a free one), e.g. a
     * second pool member on 127.0.0.2 with the same port as one on 127.0.0.1.
     */
    public static FaultServer plainOn(InetAddress loopback, int port, Behaviour behaviour) {
        if (!loopback.isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback must be a loopback address, got " + loopback);
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(loopback, port), 200);
            return new FaultServer(s, false, behaviour);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + loopback + ":" + port, e);
        }
    }

    /** A TLS fault server on 127.0.0.1 and a free port, with the given server context. */
    public static FaultServer tls(SSLContext context, Behaviour behaviour) {
        return tls(context, behaviour, null);
    }

    /** A TLS fault server whose socket is adjusted first (protocols, ciphers, client auth). */
    public static FaultServer tls(SSLContext context, Behaviour behaviour,
                                  java.util.function.Consumer<SSLServerSocket> adjust) {
        try {
            SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            s.setReuseAddress(true);
            if (adjust != null) {
                adjust.accept(s);
            }
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            return new FaultServer(s, true, behaviour);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(s);
            int index = accepted.getAndIncrement();
            Thread t = new Thread(() -> serve(s, index), "fault-conn-" + server.getLocalPort() + "-" + index);
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s, int index) {
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(60_000);
            behaviour.handle(new Connection(s, index));
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // the client went away or the test closed us
        } finally {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
            open.remove(s);
        }
    }

    /** The port. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:port} or {@code https://127.0.0.1:port} (the bound address). */
    public String url() {
        String ip = server.getInetAddress().getHostAddress();
        return (tls ? "https" : "http") + "://" + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port();
    }

    /** How many connections were accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // best effort
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- common behaviours ------------------------------------------------------------------------------

    /**
     * Reads each request on the connection and writes {@code response}: keep-alive until the client closes, or, as a
     * real server does, closed (FIN) after answering a request that asked for it ({@code Connection: close}).
     */
    public static Behaviour respond(String response) {
        return c -> {
            for (String h; (h = c.readRequest()) != null;) {
                c.write(response);
                if (asksToClose(h)) {
                    c.close();
                    return;
                }
            }
        };
    }

    /** Whether a request head carries {@code Connection: close} (any case, among other tokens). */
    public static boolean asksToClose(String head) {
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("connection")) {
                for (String token : line.substring(colon + 1).split(",")) {
                    if (token.trim().equalsIgnoreCase("close")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A healthy backend that resets one connection in {@code n}: the connections it accepted {@code residue},
     * {@code residue + n}, ... (a steady share of failing connections, whatever the requests), after reading the
     * request, if any.
     */
    public static Behaviour resettingOneConnectionIn(int n, int residue) {
        return c -> {
            if (c.index() % n == residue) {
                c.readRequest();
                c.reset();
                return;
            }
            for (String h; (h = c.readRequest()) != null;) {
                c.write(okResponse("ok\n"));
                if (asksToClose(h)) {
                    c.close();
                    return;
                }
            }
        };
    }

    /** A well-formed 200 with a small body, kept alive. */
    public static Behaviour ok() {
        return respond(okResponse("hello from the backend\n"));
    }

    /**
     * A backend that is still starting: {@code 503 Service Unavailable} (no Server, no Via, as an application
     * answers) until {@code startsIn} has passed from now, a well-formed 200 after.
     */
    public static Behaviour startingUp(Duration startsIn) {
        long readyAt = System.nanoTime() + startsIn.toNanos();
        return c -> {
            for (String h; (h = c.readRequest()) != null;) {
                c.write(System.nanoTime() - readyAt < 0 ? response(503, "Service Unavailable", "starting\n")
                        : okResponse("ready\n"));
                if (asksToClose(h)) {
                    c.close();
                    return;
                }
            }
        };
    }

    /** {@code HTTP/1.1 200 OK} with the body and its Content-Length. */
    public static String okResponse(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** A response with the status and the body. */
    public static String response(int status, String reason, String body, String... extraHeaders) {
        StringBuilder b = new StringBuilder("HTTP/1.1 " + status + " " + reason + "\r\n");
        for (String h : extraHeaders) {
            b.append(h).append("\r\n");
        }
        return b.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body).toString();
    }

    /** Reads the request, then closes with FIN without a byte. */
    public static Behaviour closeAfterRequest() {
        return c -> {
            c.readRequest();
            c.close();
        };
    }

    /** Reads the request, then resets (RST). */
    public static Behaviour resetAfterRequest() {
        return c -> {
            c.readRequest();
            c.reset();
        };
    }

    /** Accepts, reads the request and never answers (until the client or the test closes). */
    public static Behaviour neverAnswer() {
        return c -> {
            c.readRequest();
            c.hold(Duration.ofSeconds(60));
        };
    }

    /** Answers after {@code delay}. */
    public static Behaviour delayed(Duration delay, String response) {
        return c -> {
            while (c.readRequest() != null) {
                Thread.sleep(delay.toMillis());
                c.write(response);
            }
        };
    }

    /** Sends a status line and then header lines forever, one every {@code every}. */
    public static Behaviour streamHeadersForever(Duration every) {
        return c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\n");
            for (int i = 0; i < 1_000_000; i++) {
                c.write("X-Trickle-" + i + ": " + "x".repeat(16) + "\r\n");
                if (!every.isZero()) {
                    Thread.sleep(every.toMillis());
                }
            }
        };
    }

    /**
     * A keep-alive backend to configure: idle timeout (FIN or RST), request limit with or without
     * {@code Connection: close}, an advertised {@code Keep-Alive} header, or keep-alive off. See
     * {@link KeepAliveBehaviour}.
     */
    public static KeepAliveBehaviour keepAlive() {
        return KeepAliveBehaviour.create();
    }
}
