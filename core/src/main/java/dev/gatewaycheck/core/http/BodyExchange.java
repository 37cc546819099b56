package dev.gatewaycheck.core.http;

import dev.gatewaycheck.RequestBody;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The forwarded request with a body, sent as a gateway sends a client's upload: the head with
 * {@code Content-Length} and {@code Expect: 100-continue}, a wait of {@link #CONTINUE_WAIT} for {@code 100 Continue}
 * (then the body anyway, as curl and gateways do), the body in chunks while a reader thread notes every response head
 * as it arrives and how many body bytes were written by then, and a watcher that ends the write when it makes no
 * progress for the gateway's timeout (the backend does not read). An observation: {@code judge.UploadRules} decides.
 *
 * <pre>{@code
 * BodyExchange.Observation o = BodyExchange.send(ctx, target, RequestBody.ofSize(1 << 20), Duration.ofSeconds(20));
 * o.interims();   // [100 after 0.001s]
 * }</pre>
 */
public final class BodyExchange {
    /** How long the request waits for {@code 100 Continue} before sending the body anyway (curl's default). */
    public static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);
    /** The send buffer asked for, so that a backend that does not read stops the write within a few MiB. */
    static final int SEND_BUFFER = 64 * 1024;
    /** The size of one body write. */
    private static final int CHUNK = 16 * 1024;
    /** The most bytes one response head may take. */
    private static final int MAX_HEAD = 64 * 1024;
    /** The most response heads read (interim ones and the final one). */
    private static final int MAX_HEADS = 20;
    /** How often the watcher looks at the write's progress. */
    private static final long WATCH_MILLIS = 20;
    /** How long a finished exchange waits for its reader or watcher thread to end. */
    private static final long JOIN_MILLIS = 1000;

    /** One response head as it arrived. */
    public record Head(int status, String reason, List<String> headers, Duration at, long bodyBytesWritten) {
        /** {@code 100 after 0.001s (0 body bytes written)}. */
        @Override
        public String toString() {
            return status + " after " + Text.seconds(at) + " (" + bodyBytesWritten + " body bytes written)";
        }
    }

    /**
     * What the exchange showed.
     *
     * @param method        the method sent
     * @param bodyBytes     the body's size
     * @param interims      the 1xx heads in order
     * @param response      the final head, or null
     * @param bytesWritten  body bytes written in all
     * @param bodyComplete  whether the whole body was written
     * @param stalledFor    how long the last write made no progress when the watcher ended it, or null
     * @param writeLimit    the no-progress limit the watcher applied (the gateway's timeout)
     * @param end           how the connection ended: {@code FIN}, {@code RST}, {@code TIMEOUT}, {@code CLOSED},
     *                      {@code OPEN}, or {@code ERROR} (not made)
     * @param elapsed       the whole exchange
     * @param failure       the connect/handshake failure, or null
     */
    public record Observation(String method, long bodyBytes, List<Head> interims, Head response, long bytesWritten,
                              boolean bodyComplete, Duration stalledFor, Duration writeLimit, String end,
                              Duration elapsed, Throwable failure) {

        /** How many {@code 100 Continue} heads came. */
        public long continues() {
            return interims.stream().filter(h -> h.status() == 100).count();
        }
    }

    private BodyExchange() {
    }

    /**
     * Sends {@code body} to {@code target} with its path and Host; the write may make no progress for at most
     * {@code writeLimit}, and the final response is awaited as long after the body (both capped by the deadline).
     */
    public static Observation send(RunContext ctx, Target target, RequestBody body, Duration writeLimit) {
        long start = System.nanoTime();
        Duration limit = ctx.deadline().cap(writeLimit);
        RawConnection conn;
        try {
            conn = RawConnection.open(ctx, target, limit.plus(CONTINUE_WAIT), SEND_BUFFER);
        } catch (IOException | RuntimeException e) {
            return new Observation(body.method(), body.size(), List.of(), null, 0, false, null, limit, "ERROR",
                    Duration.ofNanos(System.nanoTime() - start), e);
        }
        State state = new State();
        Thread reader = new Thread(() -> read(conn.socket(), state, start), "gateway-check-body-reader");
        reader.setDaemon(true);
        long[] written = {0};
        Duration stalled = null;
        try {
            OutputStream out = conn.socket().getOutputStream();
            String head = body.method() + " " + target.path() + " HTTP/1.1\r\nHost: " + target.host()
                    + "\r\nUser-Agent: gateway-check/0.1\r\nAccept: */*\r\nContent-Type: " + body.contentType()
                    + "\r\nContent-Length: " + body.size() + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            reader.start();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // wait for 100 Continue (or any head) before the body, as a gateway does
            state.awaitHead(ctx.deadline().cap(CONTINUE_WAIT));
            if (state.finalHead() == null) {
                stalled = writeBody(ctx, conn, out, body, state, written, limit);
            }
            if (stalled == null && written[0] == body.size()) {
                // the body is out: wait for the final response as the gateway would
                state.awaitFinal(ctx.deadline().cap(limit));
            }
        } catch (IOException e) {
            // the backend ended the connection while we wrote: the reader saw how
        } finally {
            conn.abort();
            join(reader);
        }
        synchronized (state) {
            return new Observation(body.method(), body.size(), List.copyOf(state.interims), state.response,
                    written[0], written[0] == body.size(), stalled, limit, state.end,
                    Duration.ofNanos(System.nanoTime() - start), null);
        }
    }

    /** Writes the body; returns how long the write stalled when it was ended for making no progress, else null. */
    private static Duration writeBody(RunContext ctx, RawConnection conn, OutputStream out, RequestBody body,
                                      State state, long[] written, Duration limit) throws IOException {
        long[] lastProgress = {System.nanoTime()};
        boolean[] done = {false};
        Duration[] stalled = {null};
        Thread watcher = new Thread(() -> {
            // bounded: ends when the write is done, the deadline passes or the limit strikes
            while (true) {
                synchronized (done) {
                    if (done[0]) {
                        return;
                    }
                    long idle = System.nanoTime() - lastProgress[0];
                    if (idle >= limit.toNanos() || ctx.cutShort()) {
                        stalled[0] = Duration.ofNanos(idle);
                        conn.abort();
                        return;
                    }
                }
                try {
                    Thread.sleep(WATCH_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gateway-check-body-watcher");
        watcher.setDaemon(true);
        watcher.start();
        byte[] chunk = new byte[CHUNK];
        try {
            while (written[0] < body.size() && state.finalHead() == null) {
                int n = body.copy((int) written[0], chunk, CHUNK);
                out.write(chunk, 0, n);
                synchronized (done) {
                    written[0] += n;
                    state.written(written[0]);
                    lastProgress[0] = System.nanoTime();
                }
            }
            out.flush();
        } catch (IOException e) {
            if (stalled[0] == null && !(e instanceof SocketException)) {
                throw e;
            }
        } finally {
            synchronized (done) {
                done[0] = true;
            }
            watcher.interrupt();
            join(watcher);
        }
        synchronized (done) {
            return stalled[0];
        }
    }

    /** Waits at most {@link #JOIN_MILLIS} for {@code t} to end. */
    private static void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads response heads until the final one, noting each with the body bytes written by then. */
    private static void read(Socket socket, State state, long start) {
        try {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < MAX_HEADS; i++) {
                List<String> lines = readHead(in);
                if (lines == null) {
                    state.end("FIN");
                    return;
                }
                String[] status = lines.get(0).split(" ", 3);
                int code = status.length >= 2 && status[1].matches("[0-9]{3}") ? Integer.parseInt(status[1]) : 0;
                Head h = new Head(code, status.length == 3 ? status[2] : "", List.copyOf(lines.subList(1,
                        lines.size())), Duration.ofNanos(System.nanoTime() - start), state.written());
                if (state.head(h)) {
                    state.end("OPEN");
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            state.end("TIMEOUT");
        } catch (IOException e) {
            state.end(Text.isReset(e.getMessage()) ? "RST" : "CLOSED");
        }
    }

    /** One head's lines (status line first), or null at EOF before any byte. */
    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int total = 0;
        while (total < MAX_HEAD) {
            int c = in.read();
            if (c < 0) {
                if (lines.isEmpty() && line.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a response head");
            }
            total++;
            if (c == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1);
                if (l.endsWith("\r")) {
                    l = l.substring(0, l.length() - 1);
                }
                line.reset();
                if (l.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue;   // tolerate a stray CRLF between heads
                    }
                    return lines;
                }
                lines.add(l);
            } else {
                line.write(c);
            }
        }
        throw new IOException("response head longer than " + MAX_HEAD + " bytes");
    }

    /** What the reader saw, shared with the writer. */
    private static final class State {
        private final List<Head> interims = new ArrayList<>();
        private Head response;
        private String end = "OPEN";
        private long written;

        synchronized void written(long n) {
            written = n;
        }

        synchronized long written() {
            return written;
        }

        /** Records a head; true when it is the final one. */
        synchronized boolean head(Head h) {
            if (h.status() >= 100 && h.status() < 200) {
                interims.add(h);
                notifyAll();
                // the request asked for no upgrade: after a 101 nothing HTTP can follow, so reading stops
                return h.status() == 101;
            }
            response = h;
            notifyAll();
            return true;
        }

        synchronized void end(String how) {
            if (response == null || !how.equals("OPEN")) {
                end = how;
            }
            notifyAll();
        }

        synchronized Head finalHead() {
            return response;
        }

        synchronized void awaitHead(Duration max) {
            await(() -> !interims.isEmpty() || response != null, max);
        }

        synchronized void awaitFinal(Duration max) {
            await(() -> response != null, max);
        }

        /** Waits until {@code arrived} holds, the connection ended or {@code max} passed; called holding the lock. */
        private void await(BooleanSupplier arrived, Duration max) {
            long until = System.nanoTime() + max.toNanos();
            while (!arrived.getAsBoolean() && end.equals("OPEN")) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
