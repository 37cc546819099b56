package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The design budget "a warm in-process check of a healthy TLS backend on loopback (tls + probe, no keep-alive
 * wait): at most 3x the time of a bare JDK {@code SSLSocket} request with a fresh context", measured in one run
 * against two healthy backends: an in-JVM TLS {@link FaultServer} and a real nginx ({@link Nginx#serving}), both
 * presenting a leaf for 127.0.0.1/localhost issued by a private CA that the check trusts
 * ({@code .trusting(ca)}), so the check finds nothing.
 *
 * <p>Per backend, after a warm-up of the same rounds (at least half the measured rounds and at least
 * {@link #WARMUP}, and then until the JIT is quiet ({@link JitQuiet}: it compiled for less than 3% of the last 10 s),
 * at most {@link #MAX_WARMUP}, so that the JIT has compiled what each of them runs; a smoke run of fewer than
 * {@link #QUIET_ROUNDS} rounds, {@code run-all.sh --quick}, does not wait for the JIT), each round times, one after the
 * other:
 * <ul>
 *   <li>bare, reused context: one {@code SSLContext} trusting the CA for the whole run (what an ordinary client
 *       does; TLS 1.3 may resume the session), {@code TCP_NODELAY}, host-name verification on, one
 *       {@code GET / Connection: close}, the whole response read;</li>
 *   <li>the same offering only the version a whole offer negotiates when that is TLS 1.2 (what the check's
 *       connections after its handshake offer: no TLS 1.3 key shares), else the same again;</li>
 *   <li>bare, fresh context: the same with a new {@code SSLContext} per request (always a full handshake, as the
 *       check's TLS phase does on purpose so the chain is presented);</li>
 *   <li>the check {@code tls + probe}, and the check {@code tls} alone.</li>
 * </ul>
 * Medians are compared; a timed window in which the JIT compiled for more than 5% of the time (a burst of
 * recompilation after the quiet warm-up) is printed and timed again, at most three windows in all, the last counting.
 * The check's phases are printed too (median per phase; over TLS the request and probe phases
 * run beside the rest of the TLS phase), and the connections one check opens, counted at the in-JVM server, so the cost per
 * connection can be compared with the bare request's one; and the floor of those connections: one full handshake
 * and the rest resumed, as the bare requests offering what they offer cost them, on all cores at once.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.TlsCheckVsBareSslSocketBench [rounds]
 * }</pre>
 */
public final class TlsCheckVsBareSslSocketBench {
    private static final double BUDGET = 3.0;
    /** The least warm-up per backend: both the bare requests and the check run that long before they are timed. */
    private static final java.time.Duration WARMUP = java.time.Duration.ofSeconds(20);
    /** The longest warm-up, quiet JIT or not. */
    private static final java.time.Duration MAX_WARMUP = java.time.Duration.ofSeconds(180);
    /** Runs of at least this many measured rounds warm up until the JIT is quiet; fewer are a smoke run. */
    private static final int QUIET_ROUNDS = 100;
    /** A timed window in which the JIT compiled for more than this share of the time is timed again. */
    private static final double TIMED_QUIET = 0.05;
    /** The most timed windows per backend: the last one counts. */
    private static final int MAX_WINDOWS = 3;
    /** The most warm-up rounds, whatever the time. */
    private static final int MAX_WARMUP_ROUNDS = 100_000;

    private TlsCheckVsBareSslSocketBench() {
    }

    /** Runs the comparison; the optional argument is the number of measured rounds per backend (default 200). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = Math.max(50, rounds / 2);
        Held ca = TestCertificates.ca("Bench Root CA").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        SSLContext server = TestCertificates.serving(leaf.privateKey(), leaf.certificate(), ca.certificate());
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; at least %d warm-up rounds and %d s%s, then %d "
                + "measured rounds per backend%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), warmup, WARMUP.toSeconds(),
                rounds >= QUIET_ROUNDS ? " and until the JIT is quiet" : " (a smoke run: the JIT not waited for)",
                rounds);
        try (FaultServer s = FaultServer.tls(server, FaultServer.ok())) {
            run("in-JVM TLS FaultServer", s.url(), s.port(), ca.certificate(), warmup, rounds, false, s::accepted);
        }
        if (Nginx.installed()) {
            try (Nginx n = Nginx.serving(leaf, ca)) {
                run("nginx (pid " + n.pid() + ")", n.url(), n.port(), ca.certificate(), warmup, rounds, true, null);
            }
        } else {
            System.out.println("nginx is not installed (apt-get install nginx): its row is skipped");
            new Row("warm tls+probe check vs bare fresh-context SSLSocket GET (nginx)", "not measured",
                    "nginx is not installed", "-", "<= 3.00x", "MISSED").print();
        }
    }

    /** Connections one tls+probe check opens, counted at the in-JVM server (its run comes first). */
    private static int connections = 1;

    private static void run(String label, String url, int port, X509Certificate ca, int warmup, int rounds,
                            boolean budgeted, java.util.function.IntSupplier accepted)
            throws Exception {
        GatewayCheck tlsProbe = GatewayCheck.forBackend(url).trusting(ca).checks(Check.TLS, Check.PROBE);
        GatewayCheck tlsOnly = GatewayCheck.forBackend(url).trusting(ca).checks(Check.TLS);
        SSLContext reused = trusting(ca);
        // what the check's connections after its handshake offer: the version a whole offer negotiates, if TLS 1.2
        String version = negotiated(trusting(ca), port);
        String[] pinned = version.equals("TLSv1.3") ? null : new String[] {version};
        // warm: at least the rounds asked and WARMUP of the same rounds, then until the JIT is quiet, so that the JIT
        // has compiled what each runs (on 2 cores it compiled for 45 to 130 s), at most MAX_WARMUP
        JitQuiet jit = new JitQuiet();
        boolean untilQuiet = rounds >= QUIET_ROUNDS;
        int warmed = 0;
        for (;; warmed++) {
            boolean quiet = jit.quiet();   // measures the JIT's share window by window, also when not waited for
            boolean tooLong = warmed >= MAX_WARMUP_ROUNDS || jit.elapsed().compareTo(MAX_WARMUP) >= 0;
            if (tooLong || warmed >= warmup && jit.elapsed().compareTo(WARMUP) >= 0 && (quiet || !untilQuiet)) {
                break;
            }
            bare(reused, port, null);
            bare(reused, port, pinned);
            bare(trusting(ca), port, null);
            healthy(tlsProbe.run());
            healthy(tlsOnly.run());
        }
        long warmNanos = jit.elapsed().toNanos();
        double br;
        double bp;
        double bf;
        double c;
        double ct;
        double timedJit;
        Map<Phase, long[]> phases;
        int window = 1;
        // timed again (at most MAX_WINDOWS in all) while the JIT compiled for more than TIMED_QUIET of a timed window:
        // a burst of recompilation after the quiet warm-up measures the compiler, not the warm code; every window's
        // figures are printed
        for (;; window++) {
            long[] bareReused = new long[rounds];
            long[] bareResumed = new long[rounds];
            long[] bareFresh = new long[rounds];
            long[] check = new long[rounds];
            long[] checkTls = new long[rounds];
            phases = new EnumMap<>(Phase.class);
            long compiledBefore = jit.compiledMillis();
            long timedStart = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                bare(reused, port, null);
                bareReused[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                bare(reused, port, pinned);
                bareResumed[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                bare(trusting(ca), port, null);
                bareFresh[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                Report r = tlsProbe.run();
                check[i] = System.nanoTime() - t0;
                healthy(r);
                for (PhaseResult p : r.phases()) {
                    phases.computeIfAbsent(p.phase(), k -> new long[rounds])[i] = p.elapsed().toNanos();
                }
                t0 = System.nanoTime();
                healthy(tlsOnly.run());
                checkTls[i] = System.nanoTime() - t0;
            }
            timedJit = (jit.compiledMillis() - compiledBefore) / ((System.nanoTime() - timedStart) / 1e6);
            br = median(bareReused);
            bp = median(bareResumed);
            bf = median(bareFresh);
            c = median(check);
            ct = median(checkTls);
            if (timedJit <= TIMED_QUIET || window >= MAX_WINDOWS || rounds < QUIET_ROUNDS) {
                break;
            }
            System.out.printf(Locale.ROOT, "timed window %d (%s): the JIT compiled for %.1f%% of it (over %.0f%%): "
                    + "check tls+probe %.3f ms, bare fresh %.3f ms, %.2fx; timed again%n", window, label,
                    timedJit * 100, TIMED_QUIET * 100, c / 1e6, bf / 1e6, c / bf);
        }
        if (accepted != null) {
            int before = accepted.getAsInt();
            healthy(tlsProbe.run());
            connections = accepted.getAsInt() - before;
        }
        System.out.printf(Locale.ROOT, "%n== %s, %s, %d warm-up rounds in %.0f s (JIT %.1f%% of the last %d s), "
                + "median of %d (JIT %.1f%% while timed, timed window %d); a whole offer negotiates %s ==%n", label,
                url, warmed, warmNanos / 1e9, jit.lastShare() * 100, JitQuiet.WINDOW.toSeconds(), rounds,
                timedJit * 100, window, version);
        System.out.printf(Locale.ROOT, "bare SSLSocket GET, reused SSLContext : %8.3f ms%n", br / 1e6);
        System.out.printf(Locale.ROOT, "the same offering only %-14s: %8.3f ms (what the check's connections after "
                + "its handshake offer)%n", pinned == null ? "(every version)" : version, bp / 1e6);
        System.out.printf(Locale.ROOT, "bare SSLSocket GET, fresh SSLContext  : %8.3f ms%n", bf / 1e6);
        System.out.printf(Locale.ROOT, "check tls+probe                       : %8.3f ms  ratio %.1fx (reused) "
                + "%.1fx (fresh), budget %.1fx (fresh): %s%n", c / 1e6, c / br, c / bf, BUDGET,
                c / bf <= BUDGET ? "MET" : "MISSED");
        System.out.printf(Locale.ROOT, "check tls only                        : %8.3f ms  ratio %.1fx (reused) "
                + "%.1fx (fresh)%n", ct / 1e6, ct / br, ct / bf);
        StringBuilder b = new StringBuilder("phases of tls+probe (median ms):");
        for (Map.Entry<Phase, long[]> e : phases.entrySet()) {
            b.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), median(e.getValue()) / 1e6));
        }
        System.out.println(b);
        rows(label, budgeted, c, ct, bf);
        System.out.printf(Locale.ROOT, "connections per check (counted at the in-JVM server): %d, the bare request "
                + "makes 1; per connection: %.3f ms, %.2fx a bare fresh-context request%n", connections,
                c / connections / 1e6, c / connections / bf);
        floor(label, budgeted, bp, bf);
    }

    /**
     * The floor of a check that opens the connections it opens: one TLS connection with a full handshake (the chain
     * capture, a fresh context: what a bare fresh-context request costs) and the others resumed (what a bare
     * reused-context request offering what they offer costs: the negotiated version only after a TLS 1.2
     * handshake), every one of them CPU-bound on loopback, shared perfectly by the cores. Every connection of the
     * check is a TLS one: the gateway's handshake goes on the connect check's connection.
     */
    private static void floor(String label, boolean budgeted, double bareReused, double bareFresh) {
        int cores = Runtime.getRuntime().availableProcessors();
        int resumed = connections - 1;
        double floor = (bareFresh + resumed * bareReused) / cores;
        System.out.printf(Locale.ROOT, "floor of %d TLS connections (1 full handshake %.3f ms + %d resumed x %.3f ms) "
                + "on %d cores: %.3f ms, %.2fx a bare fresh-context request%n", resumed + 1, bareFresh / 1e6, resumed,
                bareReused / 1e6, cores, floor / 1e6, floor / bareFresh);
        if (budgeted) {
            new Row("floor of that check: 1 full + " + resumed + " resumed TLS connections on " + cores + " cores",
                    Row.ms(floor / 1e6), Row.ms(bareFresh / 1e6) + " bare", Row.ratio(floor / bareFresh), "-", "-")
                    .print();
        }
    }

    private static void rows(String label, boolean budgeted, double check, double tlsOnly, double bareFresh) {
        String peer = Row.ms(bareFresh / 1e6) + " bare";
        String where = budgeted ? "nginx" : "in-JVM TLS server";
        if (budgeted) {
            Row.of("warm tls+probe check vs bare fresh-context SSLSocket GET (" + where + ")", Row.ms(check / 1e6),
                    peer, Row.ratio(check / bareFresh), "<= 3.00x", check / bareFresh <= BUDGET).print();
        } else {
            new Row("warm tls+probe check vs bare fresh-context SSLSocket GET (" + where + ")", Row.ms(check / 1e6),
                    peer, Row.ratio(check / bareFresh), "-", "-").print();
        }
        new Row("warm tls check alone vs the same (" + where + ")", Row.ms(tlsOnly / 1e6), peer,
                Row.ratio(tlsOnly / bareFresh), "-", "-").print();
    }

    private static void healthy(Report r) {
        if (!r.isHealthy() || !r.findings().isEmpty() || !r.complete()) {
            throw new IllegalStateException("the check is not clean, the benchmark would be meaningless:\n" + r);
        }
    }


    /** A context trusting only {@code ca}, as a bare client configured for this backend would build it. */
    static SSLContext trusting(X509Certificate ca) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** One GET over a new TLS connection (TCP_NODELAY, host-name verification), the whole response read. */
    static int bare(SSLContext context, int port) throws IOException {
        return bare(context, port, null);
    }

    /** The TLS version a handshake offering everything negotiates with the backend. */
    static String negotiated(SSLContext context, int port) throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            raw.setSoTimeout(5000);
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
                s.startHandshake();
                return s.getSession().getProtocol();
            }
        }
    }

    /** The same, offering only {@code protocols} (null: every version the JDK enables). */
    static int bare(SSLContext context, int port, String[] protocols) throws IOException {
        try (Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            raw.setSoTimeout(5000);
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (protocols != null) {
                    p.setProtocols(protocols);
                }
                s.setSSLParameters(p);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return readResponse(s.getInputStream());
            }
        }
    }

    /** Reads one response (head, then Content-Length bytes or until EOF); returns the status. */
    static int readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int headEnd = -1;
        int total = 0;
        while (headEnd < 0) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the response ended inside its head");
            }
            head.write(buf, 0, n);
            total += n;
            headEnd = indexOf(head.toByteArray(), "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (total > 65536) {
                throw new IOException("head too large");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String headText = text.substring(0, headEnd);
        int have = total - headEnd - 4;
        long length = -1;
        for (String line : headText.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        long left = length < 0 ? Long.MAX_VALUE : length - have;
        for (int guard = 0; left > 0 && guard < 1_000_000; guard++) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            left -= n;
        }
        int status = Integer.parseInt(headText.substring(9, 12));
        if (status != 200) {
            throw new IOException("status " + status);
        }
        return status;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
