package dev.gatewaycheck.core.difftest;

import dev.gatewaycheck.testkit.FaultServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The generator of backend behaviours for the differential test: status lines, header bytes (control characters
 * and NUL included), framing, chunking, compression, truncation, pauses, FIN/RST at every stage, and TLS garbage
 * on an https upstream. A behaviour is a script of {@link Step}s the backend runs on <b>every</b> connection, so
 * nginx's single connection and gateway-check's several ones (the forwarded request, the second looks) see the
 * same backend. Deterministic: behaviour {@code i} of seed {@code s} is always the same script.
 *
 * <p>Which kinds run: the first behaviours of a run sweep every kind once; after that each kind is drawn by its
 * weight, which follows how much a kind varies (well-formed responses vary in status, framing, size, headers and
 * pauses and weigh most; a framing conflict is one fixed byte pattern and runs only in the sweep).
 *
 * <pre>{@code
 * List<Behaviours.Behaviour> all = Behaviours.generate(20261201L, 1000);
 * FaultServer.plain(all.get(0)::serve);
 * }</pre>
 */
final class Behaviours {
    /** A pause well inside the gateway's read timeout. */
    static final int SHORT_MIN = 20;
    static final int SHORT_MAX = 250;
    /** A pause well past the gateway's read timeout (1 s in the test's nginx and profile). */
    static final int LONG_MIN = 1600;
    static final int LONG_MAX = 2000;
    /** How long a backend waits for the peer after answering (keep-alive), then closes. */
    static final int LINGER_MILLIS = 3000;

    private Behaviours() {
    }

    /** How nginx reaches the backend. */
    enum Upstream {
        /** plain HTTP. */
        HTTP,
        /** TLS with a real handshake, then the HTTP script. */
        HTTPS,
        /** an https upstream whose port speaks no TLS: the script answers the ClientHello itself. */
        HTTPS_RAW
    }

    /** One thing the backend does on a connection. */
    sealed interface Step permits Read, Write, Pause, Fin, Rst, Linger {
    }

    /** Reads one request head (or the ClientHello); stops the script when the peer closed. */
    record Read() implements Step {
        @Override
        public String toString() {
            return "read";
        }
    }

    /** Writes bytes. */
    record Write(byte[] bytes) implements Step {
        @Override
        public String toString() {
            return "write " + escape(bytes, 140);
        }
    }

    /** Sleeps. */
    record Pause(int millis) implements Step {
        @Override
        public String toString() {
            return "pause " + millis + "ms";
        }
    }

    /** Closes with FIN. */
    record Fin() implements Step {
        @Override
        public String toString() {
            return "FIN";
        }
    }

    /** Closes with RST. */
    record Rst() implements Step {
        @Override
        public String toString() {
            return "RST";
        }
    }

    /** Keeps the connection open until the peer closes it or {@link #LINGER_MILLIS} pass, then FIN. */
    record Linger() implements Step {
        @Override
        public String toString() {
            return "keep-alive";
        }
    }

    /**
     * One generated backend.
     *
     * @param id            its index in the run
     * @param kind          its class, e.g. {@code header/nul-in-value} (the disagreement table's key)
     * @param upstream      how nginx reaches it
     * @param steps         what it does on every connection
     * @param backendStatus the status its status line carries, or 0 (no valid status line)
     */
    record Behaviour(int id, String kind, Upstream upstream, List<Step> steps, int backendStatus) {
        /** Runs the script on one accepted connection. */
        void serve(FaultServer.Connection c) throws IOException, InterruptedException {
            for (Step s : steps) {
                if (s instanceof Read) {
                    if (c.readRequest() == null) {
                        return;
                    }
                } else if (s instanceof Write w) {
                    c.write(w.bytes());
                } else if (s instanceof Pause p) {
                    Thread.sleep(p.millis());
                } else if (s instanceof Fin) {
                    c.close();
                    return;
                } else if (s instanceof Rst) {
                    c.reset();
                    return;
                } else if (s instanceof Linger) {
                    linger(c);
                    return;
                }
            }
        }

        private static void linger(FaultServer.Connection c) throws IOException {
            c.socket().setSoTimeout(LINGER_MILLIS);
            InputStream in = c.socket().getInputStream();
            byte[] sink = new byte[4096];
            long end = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            try {
                while (System.nanoTime() < end && in.read(sink) >= 0) {
                    // a second request on the connection is not answered: no test sends one
                }
            } catch (SocketTimeoutException quiet) {
                // nobody came back
            }
            c.close();
        }

        /** {@code #12 header/nul-in-value (http): read; write "HTTP/1.1 200 OK\r\n..."; keep-alive}. */
        String describe() {
            StringBuilder b = new StringBuilder("#" + id + " " + kind + " (" + upstream.name().toLowerCase() + "): ");
            for (int i = 0; i < steps.size(); i++) {
                b.append(i == 0 ? "" : "; ").append(steps.get(i));
            }
            return b.toString();
        }
    }

    // ---- generation ----------------------------------------------------------------------------------------------

    /** A class of behaviours, its relative weight and how nginx reaches it. */
    private record Kind(String name, int weight, Upstream upstream, BiFunction<Random, Kind, Behaviour0> make) {
    }

    /** A behaviour without its id. */
    private record Behaviour0(List<Step> steps, int backendStatus) {
    }

    /** {@code count} behaviours of {@code seed}. */
    static List<Behaviour> generate(long seed, int count) {
        List<Kind> kinds = kinds();
        int total = kinds.stream().mapToInt(Kind::weight).sum();
        List<Behaviour> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Random r = new Random(seed * 1_000_003L + i);
            int pick = r.nextInt(total);
            // the sweep: the first behaviours take every kind once, then the weights choose
            Kind k = i < kinds.size() ? kinds.get(i) : null;
            for (Kind candidate : kinds) {
                if (k != null) {
                    break;
                }
                if (pick < candidate.weight()) {
                    k = candidate;
                    break;
                }
                pick -= candidate.weight();
            }
            Behaviour0 b = k.make().apply(r, k);
            out.add(new Behaviour(i, k.name(), k.upstream(), List.copyOf(b.steps()), b.backendStatus()));
        }
        return out;
    }

    /** Every kind with its weight. */
    static List<String> kindNames() {
        return kinds().stream().map(Kind::name).toList();
    }

    private static final int[] STATUSES = {201, 202, 203, 204, 206, 301, 302, 304, 307, 400, 401, 403, 404, 410,
        418, 429, 500, 501, 502, 503, 504, 505, 599};

    private static List<Kind> kinds() {
        List<Kind> k = new ArrayList<>();
        Upstream h = Upstream.HTTP;
        // ---- controls: well-formed responses (status, framing, keep-alive or close) ----
        k.add(new Kind("control/valid", 120, h, (r, kind) -> Resp.base(r, true).steps(r)));
        k.add(new Kind("control/connection-close", 20, h, (r, kind) -> {
            Resp p = Resp.base(r, true);
            p.headers.add("Connection: close");
            p.ending = new Fin();
            return p.steps(r);
        }));
        k.add(new Kind("control/http10", 15, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.statusLine = "HTTP/1.0 200 OK";
            p.framing = r.nextBoolean() ? Framing.CL : Framing.CLOSE;
            p.ending = new Fin();
            return p.steps(r);
        }));
        k.add(new Kind("control/close-delimited", 15, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CLOSE;
            return p.steps(r);
        }));
        k.add(new Kind("control/short-pauses", 25, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.pauseBeforeHead = shortPause(r);
            p.pauseInHead = shortPause(r);
            p.pauseInBody = shortPause(r);
            return p.steps(r);
        }));
        k.add(new Kind("control/big-headers-under-limit", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.headers.add("X-Big: " + letters(r, 1500 + r.nextInt(1500)));
            return p.steps(r);
        }));
        k.add(new Kind("control/many-headers", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            for (int i = 0; i < 20 + r.nextInt(40); i++) {
                p.headers.add("X-H" + i + ": " + letters(r, 5 + r.nextInt(20)));
            }
            return p.steps(r);
        }));
        k.add(new Kind("control/high-bytes-in-value", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.headers.add("X-Latin: caf\u00e9 " + (char) (0x80 + r.nextInt(0x80)) + letters(r, 4));
            return p.steps(r);
        }));
        k.add(new Kind("control/gzip", 12, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.headers.add("Content-Encoding: gzip");
            p.body = gzip(p.body);
            return p.steps(r);
        }));
        k.add(new Kind("control/deflate", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.headers.add("Content-Encoding: deflate");
            p.body = deflate(p.body);
            return p.steps(r);
        }));
        k.add(new Kind("control/chunk-extensions-trailers", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CHUNKED;
            p.chunkExtension = r.nextBoolean() ? ";name=value" : "";
            p.trailer = r.nextBoolean() || p.chunkExtension.isEmpty() ? "X-Trailer: t\r\n" : "";
            return p.steps(r);
        }));
        k.add(new Kind("control/interim-100", 5, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.preamble = "HTTP/1.1 100 Continue\r\n\r\n";
            return p.steps(r);
        }));
        // ---- the connection ----
        k.add(new Kind("conn/fin-on-accept", 12, h, (r, kind) -> new Behaviour0(List.of(new Fin()), 0)));
        k.add(new Kind("conn/rst-on-accept", 12, h, (r, kind) -> new Behaviour0(List.of(new Rst()), 0)));
        k.add(new Kind("conn/fin-after-request", 12, h, (r, kind) ->
                new Behaviour0(List.of(new Read(), new Pause(shortPause(r)), new Fin()), 0)));
        k.add(new Kind("conn/rst-after-request", 12, h, (r, kind) ->
                new Behaviour0(List.of(new Read(), new Pause(shortPause(r)), new Rst()), 0)));
        k.add(new Kind("conn/no-answer", 10, h, (r, kind) ->
                new Behaviour0(List.of(new Read(), new Pause(longPause(r) + 500), new Fin()), 0)));
        // ---- the status line ----
        k.add(new Kind("status/garbage", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.statusLine = letters(r, 3 + r.nextInt(10)).toUpperCase() + " " + letters(r, 8);
            return p.steps(r);
        }));
        k.add(new Kind("status/body-only", 6, h, (r, kind) -> new Behaviour0(List.of(new Read(),
                new Write(latin1("<html>" + letters(r, 50 + r.nextInt(200)) + "</html>\n")), new Fin()), 0)));
        k.add(new Kind("status/bad-version", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            String[] v = {"HTTP/2.0 200 OK", "HTTP/1 200 OK", "HTTP/1.1.1 200 OK", "HTTPS/1.1 200 OK",
                "HTTP/11 200 OK"};
            p.statusLine = v[r.nextInt(v.length)];
            return p.steps(r);
        }));
        k.add(new Kind("status/bad-code", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            String[] v = {"HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 2x0 OK", "HTTP/1.1 OK", "HTTP/1.1  200 OK",
                "HTTP/1.1 -200 OK"};
            p.statusLine = v[r.nextInt(v.length)];
            return p.steps(r);
        }));
        k.add(new Kind("status/lowercase-protocol", 5, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.statusLine = "http/1.1 200 OK";
            return p.steps(r);
        }));
        k.add(new Kind("status/no-reason", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.statusLine = r.nextBoolean() ? "HTTP/1.1 200" : "HTTP/1.1 200 ";
            return p.steps(r);
        }));
        k.add(new Kind("status/ctl-in-reason", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.statusLine = "HTTP/1.1 200 O" + ctl(r) + "K";
            return p.steps(r);
        }));
        k.add(new Kind("status/lf-only", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.eol = "\n";
            return p.steps(r);
        }));
        // ---- header bytes ----
        k.add(new Kind("header/no-colon", 10, h, (r, kind) -> Resp.withHeader(r, "X-Broken " + letters(r, 6))));
        k.add(new Kind("header/space-before-colon", 8, h, (r, kind) ->
                Resp.withHeader(r, "X-Spaced : " + letters(r, 6))));
        k.add(new Kind("header/space-in-name", 8, h, (r, kind) ->
                Resp.withHeader(r, "X Spaced: " + letters(r, 6))));
        k.add(new Kind("header/empty-name", 6, h, (r, kind) -> Resp.withHeader(r, ": " + letters(r, 6))));
        k.add(new Kind("header/ctl-in-value", 12, h, (r, kind) ->
                Resp.withHeader(r, "X-Ctl: a" + ctl(r) + letters(r, 4))));
        k.add(new Kind("header/del-in-value", 6, h, (r, kind) -> Resp.withHeader(r, "X-Del: a\u007fb")));
        k.add(new Kind("header/nul-in-value", 8, h, (r, kind) ->
                Resp.withHeader(r, "X-Nul: " + letters(r, 3) + "\u0000" + letters(r, 3))));
        k.add(new Kind("header/nul-in-name", 6, h, (r, kind) -> Resp.withHeader(r, "X-N\u0000ul: v")));
        k.add(new Kind("header/ctl-in-name", 6, h, (r, kind) -> Resp.withHeader(r, "X-C" + ctl(r) + "tl: v")));
        k.add(new Kind("header/obs-fold", 8, h, (r, kind) -> Resp.withHeader(r, "X-Folded: a\r\n  b")));
        k.add(new Kind("header/bare-cr", 8, h, (r, kind) -> Resp.withHeader(r, "X-Cr: a\rb")));
        k.add(new Kind("header/too-big", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.headers.add("X-Huge: " + letters(r, 6000 + r.nextInt(6000)));
            return p.steps(r);
        }));
        // ---- framing ----
        k.add(new Kind("framing/cl-and-chunked", 0, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CHUNKED;
            p.headers.add("Content-Length: " + (r.nextBoolean() ? p.body.length : 3));
            return p.steps(r);
        }));
        k.add(new Kind("framing/duplicate-cl-same", 0, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CL;
            p.headers.add("Content-Length: " + p.body.length);
            return p.steps(r);
        }));
        k.add(new Kind("framing/duplicate-cl-different", 0, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CL;
            p.headers.add("Content-Length: " + (p.body.length + 5));
            return p.steps(r);
        }));
        k.add(new Kind("framing/cl-invalid", 0, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.NONE;
            String[] v = {"-1", "abc", "1e3", "0x10", "12 34", "+5", ""};
            p.headers.add("Content-Length: " + v[r.nextInt(v.length)]);
            return p.steps(r);
        }));
        k.add(new Kind("framing/te-unknown", 0, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CLOSE;
            p.headers.add("Transfer-Encoding: " + (r.nextBoolean() ? "gzip" : "identity"));
            return p.steps(r);
        }));
        k.add(new Kind("framing/te-chunked-not-last", 0, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CLOSE;
            p.headers.add("Transfer-Encoding: chunked, gzip");
            return p.steps(r);
        }));
        // ---- chunking ----
        k.add(new Kind("chunked/bad-size", 10, h, (r, kind) -> Resp.chunkedBroken(r, "zz\r\nhello\r\n0\r\n\r\n")));
        k.add(new Kind("chunked/missing-crlf", 8, h, (r, kind) -> Resp.chunkedBroken(r, "5\r\nhelloX0\r\n\r\n")));
        k.add(new Kind("chunked/short-then-fin", 10, h, (r, kind) -> Resp.chunkedCut(r, new Fin())));
        k.add(new Kind("chunked/short-then-rst", 8, h, (r, kind) -> Resp.chunkedCut(r, new Rst())));
        k.add(new Kind("chunked/no-last-chunk-fin", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CHUNKED;
            p.omitLastChunk = true;
            p.ending = new Fin();
            return p.steps(r);
        }));
        // ---- compression ----
        k.add(new Kind("compression/gzip-garbage", 8, h, (r, kind) -> Resp.coded(r, "gzip", garbage(r, 40))));
        k.add(new Kind("compression/gzip-truncated", 6, h, (r, kind) -> {
            byte[] z = gzip(latin1(letters(r, 400)));
            return Resp.coded(r, "gzip", java.util.Arrays.copyOf(z, z.length / 2));
        }));
        k.add(new Kind("compression/deflate-garbage", 6, h, (r, kind) -> Resp.coded(r, "deflate", garbage(r, 40))));
        k.add(new Kind("compression/br-garbage", 4, h, (r, kind) -> Resp.coded(r, "br", garbage(r, 40))));
        // ---- truncation ----
        k.add(new Kind("truncation/body-fin", 12, h, (r, kind) -> Resp.cutBody(r, new Fin())));
        k.add(new Kind("truncation/body-rst", 12, h, (r, kind) -> Resp.cutBody(r, new Rst())));
        k.add(new Kind("truncation/head-fin", 10, h, (r, kind) -> Resp.cutHead(r, new Fin())));
        k.add(new Kind("truncation/head-rst", 10, h, (r, kind) -> Resp.cutHead(r, new Rst())));
        k.add(new Kind("truncation/status-line-fin", 8, h, (r, kind) -> new Behaviour0(List.of(new Read(),
                new Write(latin1("HTTP/1.1 2")), new Fin()), 0)));
        k.add(new Kind("truncation/status-line-rst", 6, h, (r, kind) -> new Behaviour0(List.of(new Read(),
                new Write(latin1("HTTP/1.1 2")), new Rst()), 0)));
        k.add(new Kind("tls/body-rst", 6, Upstream.HTTPS, (r, kind) -> Resp.cutBody(r, new Rst())));
        k.add(new Kind("truncation/head-then-rst", 8, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CL;
            p.body = new byte[0];
            p.declaredExtra = 10 + r.nextInt(100);
            p.ending = new Rst();
            return p.steps(r);
        }));
        // ---- pauses ----
        k.add(new Kind("pause/before-head-long", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.pauseBeforeHead = longPause(r);
            return p.steps(r);
        }));
        k.add(new Kind("pause/in-head-long", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.pauseInHead = longPause(r);
            return p.steps(r);
        }));
        k.add(new Kind("pause/in-body-long", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = r.nextBoolean() ? Framing.CL : Framing.CHUNKED;
            p.pauseInBody = longPause(r);
            return p.steps(r);
        }));
        k.add(new Kind("pause/slow-steady-body", 6, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CL;
            p.body = latin1(letters(r, 150));
            p.trickle = 100;
            return p.steps(r);
        }));
        // ---- extra bytes ----
        k.add(new Kind("extra/after-cl-body", 10, h, (r, kind) -> {
            Resp p = Resp.base(r, false);
            p.framing = Framing.CL;
            p.extra = latin1(letters(r, 5 + r.nextInt(50)));
            return p.steps(r);
        }));
        // ---- TLS upstreams ----
        Upstream t = Upstream.HTTPS;
        k.add(new Kind("tls/valid", 25, t, (r, kind) -> Resp.base(r, true).steps(r)));
        k.add(new Kind("tls/body-fin", 8, t, (r, kind) -> Resp.cutBody(r, new Fin())));
        k.add(new Kind("tls/head-fin", 8, t, (r, kind) -> Resp.cutHead(r, new Fin())));
        k.add(new Kind("tls/no-answer", 6, t, (r, kind) ->
                new Behaviour0(List.of(new Read(), new Pause(longPause(r) + 500), new Fin()), 0)));
        k.add(new Kind("tls/header-nul", 3, t, (r, kind) -> Resp.withHeader(r, "X-Nul: a\u0000b")));
        Upstream raw = Upstream.HTTPS_RAW;
        k.add(new Kind("tls/garbage-answer", 10, raw, (r, kind) ->
                new Behaviour0(List.of(new Read(), new Write(garbage(r, 16 + r.nextInt(200))), new Fin()), 0)));
        k.add(new Kind("tls/plain-http-answer", 8, raw, (r, kind) -> new Behaviour0(List.of(new Read(),
                new Write(latin1("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 48\r\n"
                        + "Connection: close\r\n\r\n<html>The plain HTTP request was sent</html>\n\n\n\n")),
                new Fin()), 400)));
        k.add(new Kind("tls/fin-on-hello", 8, raw, (r, kind) -> new Behaviour0(List.of(new Read(), new Fin()), 0)));
        k.add(new Kind("tls/rst-on-hello", 8, raw, (r, kind) -> new Behaviour0(List.of(new Read(), new Rst()), 0)));
        k.add(new Kind("tls/silent", 6, raw, (r, kind) ->
                new Behaviour0(List.of(new Read(), new Pause(longPause(r) + 500), new Fin()), 0)));
        return k;
    }

    // ---- responses -----------------------------------------------------------------------------------------------

    /** How the body is delimited. */
    enum Framing { CL, CHUNKED, CLOSE, NONE }

    /** A response being built, then turned into steps. */
    private static final class Resp {
        String preamble = "";
        String statusLine;
        int status;
        final List<String> headers = new ArrayList<>();
        byte[] body;
        Framing framing;
        String eol = "\r\n";
        String chunkExtension = "";
        String trailer = "";
        boolean omitLastChunk;
        int declaredExtra;
        byte[] extra;
        int pauseBeforeHead;
        int pauseInHead;
        int pauseInBody;
        int trickle;
        Step ending = new Linger();

        /** A well-formed response; any status when {@code anyStatus}, else 200. */
        static Resp base(Random r, boolean anyStatus) {
            Resp p = new Resp();
            p.status = anyStatus && r.nextInt(3) == 0 ? STATUSES[r.nextInt(STATUSES.length)] : 200;
            p.statusLine = "HTTP/1.1 " + p.status + " " + reason(p.status);
            p.headers.add("Content-Type: text/plain");
            p.headers.add("Server: difftest/" + r.nextInt(10));
            if (r.nextBoolean()) {
                p.headers.add("X-Request-Id: " + letters(r, 12));
            }
            boolean bodiless = p.status == 204 || p.status == 304;
            p.body = bodiless ? new byte[0] : latin1(letters(r, 1 + r.nextInt(r.nextBoolean() ? 100 : 2000)));
            int f = r.nextInt(10);
            p.framing = bodiless ? Framing.NONE : f < 6 ? Framing.CL : f < 9 ? Framing.CHUNKED : Framing.CLOSE;
            return p;
        }

        /** A 200 with one extra header line. */
        static Behaviour0 withHeader(Random r, String line) {
            Resp p = base(r, false);
            p.headers.add(r.nextInt(p.headers.size() + 1), line);
            return p.steps(r);
        }

        /** A chunked 200 whose chunked body is {@code chunks}, verbatim. */
        static Behaviour0 chunkedBroken(Random r, String chunks) {
            Resp p = base(r, false);
            p.framing = Framing.NONE;
            p.headers.add("Transfer-Encoding: chunked");
            p.body = latin1(chunks);
            return p.steps(r);
        }

        /** A chunked 200 whose chunk announces more than comes, then {@code end}. */
        static Behaviour0 chunkedCut(Random r, Step end) {
            Resp p = base(r, false);
            p.framing = Framing.NONE;
            p.headers.add("Transfer-Encoding: chunked");
            p.body = latin1("64\r\n" + letters(r, 10 + r.nextInt(80)));
            p.ending = end;
            return p.steps(r);
        }

        /** A 200 with Content-Encoding {@code coding} and this body. */
        static Behaviour0 coded(Random r, String coding, byte[] body) {
            Resp p = base(r, false);
            p.headers.add("Content-Encoding: " + coding);
            p.body = body;
            if (p.framing == Framing.CLOSE) {
                p.framing = Framing.CL;
            }
            return p.steps(r);
        }

        /** A Content-Length 200 whose body stops short, then {@code end}. */
        static Behaviour0 cutBody(Random r, Step end) {
            Resp p = base(r, false);
            p.framing = Framing.CL;
            p.declaredExtra = 1 + r.nextInt(500);
            p.ending = end;
            return p.steps(r);
        }

        /** A 200 whose head stops inside a header line or before the blank line, then {@code end}. */
        static Behaviour0 cutHead(Random r, Step end) {
            Resp p = base(r, false);
            byte[] head = p.head();
            int cut = p.statusLine.length() + 2 + r.nextInt(head.length - p.statusLine.length() - 3);
            return new Behaviour0(List.of(new Read(), new Write(java.util.Arrays.copyOf(head, cut)), end), p.status);
        }

        byte[] head() {
            StringBuilder b = new StringBuilder(preamble).append(statusLine).append(eol);
            List<String> all = new ArrayList<>(headers);
            if (framing == Framing.CL) {
                all.add("Content-Length: " + (body.length + declaredExtra));
            } else if (framing == Framing.CHUNKED) {
                all.add("Transfer-Encoding: chunked");
            }
            for (String line : all) {
                b.append(line).append(eol);
            }
            return latin1(b.append(eol).toString());
        }

        byte[] bodyBytes() {
            if (framing != Framing.CHUNKED) {
                return body;
            }
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            int at = 0;
            int size = Math.max(1, body.length / 2);
            while (at < body.length) {
                int n = Math.min(size, body.length - at);
                o.writeBytes(latin1(Integer.toHexString(n) + chunkExtension + "\r\n"));
                o.write(body, at, n);
                o.writeBytes(latin1("\r\n"));
                at += n;
            }
            if (!omitLastChunk) {
                o.writeBytes(latin1("0\r\n" + trailer + "\r\n"));
            }
            return o.toByteArray();
        }

        Behaviour0 steps(Random r) {
            List<Step> s = new ArrayList<>();
            s.add(new Read());
            if (pauseBeforeHead > 0) {
                s.add(new Pause(pauseBeforeHead));
            }
            byte[] head = head();
            byte[] b = bodyBytes();
            if (pauseInHead > 0) {
                int at = statusLine.length() + preamble.length() + 2;
                s.add(new Write(java.util.Arrays.copyOfRange(head, 0, at)));
                s.add(new Pause(pauseInHead));
                s.add(new Write(java.util.Arrays.copyOfRange(head, at, head.length)));
            } else if (pauseInBody == 0 && trickle == 0) {
                // head and body in one write, as most servers send a small response
                byte[] all = java.util.Arrays.copyOf(head, head.length + b.length);
                System.arraycopy(b, 0, all, head.length, b.length);
                s.add(new Write(all));
                b = new byte[0];
            } else {
                s.add(new Write(head));
            }
            if (trickle > 0) {
                for (int at = 0; at < b.length; at += 10) {
                    s.add(new Pause(trickle));
                    s.add(new Write(java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + 10))));
                }
            } else if (b.length > 0) {
                if (pauseInBody > 0) {
                    int half = b.length / 2;
                    s.add(new Write(java.util.Arrays.copyOfRange(b, 0, half)));
                    s.add(new Pause(pauseInBody));
                    s.add(new Write(java.util.Arrays.copyOfRange(b, half, b.length)));
                } else {
                    s.add(new Write(b));
                }
            }
            if (extra != null) {
                s.add(new Write(extra));
            }
            s.add(framing == Framing.CLOSE || (framing == Framing.NONE && !(ending instanceof Rst)
                    && status != 204 && status != 304) ? new Fin() : ending);
            return new Behaviour0(s, status);
        }
    }

    // ---- small helpers -------------------------------------------------------------------------------------------

    static int shortPause(Random r) {
        return SHORT_MIN + r.nextInt(SHORT_MAX - SHORT_MIN);
    }

    static int longPause(Random r) {
        return LONG_MIN + r.nextInt(LONG_MAX - LONG_MIN);
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 204: return "No Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 304: return "Not Modified";
            case 404: return "Not Found";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status";
        }
    }

    /** A control character other than NUL, TAB, CR and LF. */
    private static char ctl(Random r) {
        char[] c = {1, 2, 7, 8, 11, 12, 14, 27, 31};
        return c[r.nextInt(c.length)];
    }

    static String letters(Random r, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int x = r.nextInt(28);
            b.append(x < 26 ? (char) ('a' + x) : x == 26 ? ' ' : '.');
        }
        return b.toString();
    }

    private static byte[] garbage(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        // never a TLS record header or an HTTP status line by accident
        b[0] = (byte) (0x80 | (b[0] & 0x7f));
        return b;
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return o.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(o, new Deflater())) {
            z.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return o.toByteArray();
    }

    /** Bytes as a quoted ASCII string with escapes, at most {@code max} characters of them. */
    static String escape(byte[] b, int max) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < b.length && i < max; i++) {
            int c = b[i] & 0xff;
            if (c == '\r') {
                s.append("\\r");
            } else if (c == '\n') {
                s.append("\\n");
            } else if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7f) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        s.append('"');
        if (b.length > max) {
            s.append("+").append(b.length - max).append(" bytes");
        }
        return s.toString();
    }
}
