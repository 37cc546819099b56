package dev.gatewaycheck.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The pool benchmark's healthy members, in a process of their own so that the benchmark measures the checker, not
 * the servers: {@code N} HTTP/1.1 listeners on 127.0.0.1 (ports chosen by the kernel), served by one thread with one
 * selector. Each answers every request head with {@code 200 OK} and a 3-byte body, keeps the connection open unless
 * the request says {@code Connection: close}, and closes an idle connection after 70 s.
 *
 * <p>Prints one line {@code ports P1 P2 ... PN} when all listen, then serves until its standard input closes (or
 * after 30 minutes), and prints {@code served C connections, R requests, cpu T ms} on standard error when it ends.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.PoolBackends 10000
 * }</pre>
 */
public final class PoolBackends {
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    static final int BACKLOG = 4096;
    static final int MAX_HEAD = 16 * 1024;
    static final int FIRST_BUFFER = 1024;
    static final long IDLE_NANOS = 70_000_000_000L;
    static final long LIFETIME_NANOS = 30L * 60 * 1_000_000_000L;

    private PoolBackends() {
    }

    /** One accepted connection: the bytes of the head read so far and what is left to write. */
    private static final class Conn {
        /** Starts small (a probe's head is ~150 bytes) and doubles up to {@link #MAX_HEAD}. */
        ByteBuffer in = ByteBuffer.allocate(FIRST_BUFFER);
        ByteBuffer out;
        boolean closeAfterWrite;
        long lastActive = System.nanoTime();
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        if (n < 1 || n > 20_000) {
            throw new IllegalArgumentException("count must be 1-20000, got " + n);
        }
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Selector selector = Selector.open();
        List<ServerSocketChannel> listeners = new ArrayList<>(n);
        StringBuilder ports = new StringBuilder(n * 6 + 8).append("ports");
        for (int i = 0; i < n; i++) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(loopback, 0), BACKLOG);
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_ACCEPT);
            listeners.add(s);
            ports.append(' ').append(s.socket().getLocalPort());
        }
        PrintStream out = System.out;
        out.println(ports);
        out.flush();
        Thread stdin = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the benchmark holds our standard input open while it runs
                }
            } catch (IOException ignored) {
                // closed
            }
            selector.wakeup();
            try {
                selector.close();
            } catch (IOException ignored) {
                // ends the loop below
            }
        }, "pool-backends-stdin");
        stdin.setDaemon(true);
        stdin.start();
        long[] served = serve(selector);
        long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
        System.err.printf(Locale.ROOT, "served %d connections, %d requests, cpu %d ms%n", served[0], served[1], cpu);
        for (ServerSocketChannel s : listeners) {
            s.close();
        }
    }

    /** Serves until the selector is closed or the lifetime ends; returns {connections, requests}. */
    private static long[] serve(Selector selector) {
        long connections = 0;
        long requests = 0;
        long started = System.nanoTime();
        long lastSweep = started;
        while (selector.isOpen() && System.nanoTime() - started < LIFETIME_NANOS) {
            try {
                selector.select(1000);
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                break;
            }
            if (!selector.isOpen()) {
                break;
            }
            Iterator<SelectionKey> it;
            try {
                it = selector.selectedKeys().iterator();
            } catch (java.nio.channels.ClosedSelectorException e) {
                break;
            }
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                try {
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        SocketChannel c;
                        while ((c = ((ServerSocketChannel) k.channel()).accept()) != null) {
                            c.configureBlocking(false);
                            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            c.register(selector, SelectionKey.OP_READ, new Conn());
                            connections++;
                        }
                    } else if (k.isReadable()) {
                        requests += read(k);
                    } else if (k.isWritable()) {
                        write(k);
                    }
                } catch (IOException | RuntimeException e) {
                    close(k);
                }
            }
            long now = System.nanoTime();
            if (now - lastSweep > 5_000_000_000L) {
                lastSweep = now;
                try {
                    for (SelectionKey k : selector.keys()) {
                        if (k.attachment() instanceof Conn c && now - c.lastActive > IDLE_NANOS) {
                            close(k);
                        }
                    }
                } catch (java.nio.channels.ClosedSelectorException e) {
                    break;
                }
            }
        }
        return new long[] {connections, requests};
    }

    /** Reads what arrived; answers each complete head. Returns the number of requests answered. */
    private static int read(SelectionKey k) throws IOException {
        SocketChannel ch = (SocketChannel) k.channel();
        Conn c = (Conn) k.attachment();
        int r = ch.read(c.in);
        if (r < 0) {
            close(k);
            return 0;
        }
        c.lastActive = System.nanoTime();
        int answered = 0;
        while (c.out == null) {
            int end = headEnd(c.in);
            if (end < 0) {
                if (!c.in.hasRemaining() && c.in.capacity() >= MAX_HEAD) {
                    close(k);   // a head larger than we accept
                } else if (!c.in.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD, c.in.capacity() * 2));
                    c.in.flip();
                    c.in = bigger.put(c.in);
                }
                return answered;
            }
            String head = new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            c.closeAfterWrite = head.contains("\nconnection: close") || head.startsWith("get / http/1.0");
            // keep what follows the head (a pipelined request)
            int rest = c.in.position() - end;
            System.arraycopy(c.in.array(), end, c.in.array(), 0, rest);
            c.in.position(rest);
            c.out = ByteBuffer.wrap(RESPONSE);
            answered++;
            write(k);
            if (!k.isValid()) {
                return answered;
            }
        }
        return answered;
    }

    private static void write(SelectionKey k) throws IOException {
        SocketChannel ch = (SocketChannel) k.channel();
        Conn c = (Conn) k.attachment();
        ch.write(c.out);
        if (c.out.hasRemaining()) {
            k.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        c.out = null;
        if (c.closeAfterWrite) {
            close(k);
            return;
        }
        k.interestOps(SelectionKey.OP_READ);
    }

    /** The index just past the blank line ending the first head in the buffer, or -1. */
    static int headEnd(ByteBuffer in) {
        byte[] a = in.array();
        int n = in.position();
        for (int i = 3; i < n; i++) {
            if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static void close(SelectionKey k) {
        k.cancel();
        try {
            k.channel().close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
