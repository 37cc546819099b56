package dev.gatewaycheck.core;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.core.judge.Judge;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.spi.CheckPlan;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * What every check of one run shares: the plan, the deadline, the socket watchdog, the timings and the findings.
 * Checks observe the wire and call {@link #observe}; the {@link Judge} decides what it means for the profile.
 */
public final class RunContext {
    private final CheckPlan plan;
    private final Deadline deadline;
    private final Watchdog watchdog;
    private final List<Finding> findings = new ArrayList<>();
    private int observed;
    private final ThreadLocal<Buffer> buffer = new ThreadLocal<>();
    /** The run's connection order: held by a series while it opens its consecutive connections. */
    private final Semaphore connectionOrder = new Semaphore(1, true);
    /** Whether this thread connects for the series that holds the order (its connects need not wait for it). */
    private final ThreadLocal<Boolean> inSeries = new ThreadLocal<>();
    private final CountDownLatch keepAliveOpened = new CountDownLatch(1);
    private final CountDownLatch tlsHandshaken = new CountDownLatch(1);
    private volatile Cause tlsFailure;
    private volatile Duration dns;
    private volatile Duration connect;
    private volatile Duration tls;
    /** The version the gateway's handshake negotiated when later connections offer only it, else null. */
    private volatile Pin pin;
    /** The run's own TLS context for HTTP connections ({@link #gatewayContext}), once made. */
    private SSLContext gatewayContext;
    /** The gateway's handshake's TLS context ({@link #gatewaySession(SSLContext)}), once made. */
    private volatile SSLContext gatewaySession;
    private volatile Duration firstByte;
    /** The forwarded request's open connection until that request takes it ({@link #handGatewayConnection}). */
    private final AtomicReference<GatewayConnection> gatewayConnection =
            new AtomicReference<>();
    /** The connect check's open connection until the gateway's first use takes it ({@link #keepConnection}). */
    private final AtomicReference<Socket> keptConnection = new AtomicReference<>();

    RunContext(CheckPlan plan, Deadline deadline, Watchdog watchdog) {
        this.plan = plan;
        this.deadline = deadline;
        this.watchdog = watchdog;
    }

    /** A context for one check outside the engine (tests, pools): own deadline, own watchdog. */
    public static RunContext standalone(CheckPlan plan) {
        Deadline d = Deadline.in(plan.timeout());
        return new RunContext(plan, d, new Watchdog(d, Thread.currentThread()));
    }

    /** The plan. */
    public CheckPlan plan() {
        return plan;
    }

    /** The profile findings are judged against. */
    public GatewayProfile profile() {
        return plan.profile();
    }

    /** The run's clock. */
    public Clock clock() {
        return plan.clock();
    }

    /** The overall deadline. */
    public Deadline deadline() {
        return deadline;
    }

    /** Whether the deadline passed or the run was interrupted (sockets were closed under the checks). */
    public boolean cutShort() {
        return watchdog.fired() || deadline.expired() || Thread.currentThread().isInterrupted();
    }

    /** Registers a socket or client to be closed when the deadline passes; returns it. */
    public <T extends Closeable> T register(T closeable) {
        return watchdog.register(closeable);
    }

    /** Forgets a closeable the check closed itself. */
    public void unregister(Closeable closeable) {
        watchdog.unregister(closeable);
    }

    /** Ends a {@link #standalone} context: stops its watchdog and closes every socket still registered. */
    public void close() {
        closeAll();
    }

    /** Closes every socket still registered (end of run). */
    void closeAll() {
        dropKeptConnection();
        dropGatewayConnection();
        watchdog.close();
    }

    /**
     * Records what a check observed; the {@link Judge} turns it into a finding for the profile. A second finding with
     * the same cause about the same backend (two phases seeing one failure) is merged by the judge's rule.
     */
    public Finding observe(Observation observation) {
        Finding finding = Judge.finding(observation, profile());
        Buffer b = buffer.get();
        if (b != null) {
            // a phase running beside others: its findings join the run's in phase order when it ends
            b.observed++;
            return Judge.keep(b.findings, finding);
        }
        synchronized (findings) {
            observed++;
            return Judge.keep(findings, finding);
        }
    }

    /** Records every observation a judge rule named, in order (see {@link #observe(Observation)}). */
    public void observe(List<Observation> observations) {
        for (Observation o : observations) {
            observe(o);
        }
    }

    /** Joins a finding a phase running beside others kept apart, by the judge's rule for two phases' findings. */
    void merge(Finding finding) {
        synchronized (findings) {
            Judge.keep(findings, finding);
        }
    }

    /** The findings of a phase that runs beside others, kept apart until the engine merges them in phase order. */
    static final class Buffer {
        final List<Finding> findings = new ArrayList<>();
        int observed;
    }

    /**
     * From now on this thread's findings go to a buffer of their own (a phase running beside others), so that
     * findings are merged in phase order whatever the timing: the same findings, deduplicated the same way, as when
     * the phases ran one after the other.
     */
    Buffer buffer() {
        Buffer b = new Buffer();
        buffer.set(b);
        return b;
    }

    /** Ends this thread's buffer. */
    void unbuffer() {
        buffer.remove();
    }

    /**
     * Tells the engine that the keep-alive watch opened its first connection (or could not), so that the phases
     * that need consecutive connections of their own (probe series) start after it.
     */
    public void keepAliveOpened() {
        keepAliveOpened.countDown();
    }

    /** Waits until {@link #keepAliveOpened()} or {@code done} says so, at most {@code max}. */
    boolean awaitKeepAliveOpened(Duration max, Future<?> done) throws InterruptedException {
        return await(keepAliveOpened, max, done);
    }

    /** How often a phase waiting for another phase's connection also looks whether that phase ended without one. */
    private static final Duration POLL = Duration.ofMillis(2);

    private static boolean await(CountDownLatch latch, Duration max,
                                 Future<?> done) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && !done.isDone()) {
            if (latch.await(POLL.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
        return latch.getCount() == 0;
    }

    /** A connect that may fail. */
    @FunctionalInterface
    public interface Connect {
        /** Connects. */
        void run() throws java.io.IOException;
    }

    /** Where a connection is opened: in the run's connection order ({@link #connecting}) or a series' turn. */
    @FunctionalInterface
    public interface Connector {
        /** Runs {@code connect} when it is this connection's turn. */
        void connect(Connect connect) throws java.io.IOException;

        /**
         * Says that this attempt's connection is open already (the gateway's handshaken one,
         * {@link #takeGatewayConnection}): nothing waits, not even for the run's connection order, so its request goes
         * at once, as a gateway sends it right after the handshake (a backend serving one connection at a time would
         * otherwise wait on it while the others queue).
         */
        default void opened() throws java.io.IOException {
            connect(() -> { });
        }
    }

    /**
     * Connects in the run's connection order: waits while a series ({@link #series}) opens its consecutive
     * connections, at most until the run's deadline.
     */
    public void connecting(Connect connect) throws java.io.IOException {
        if (connectingAndHolding(connect)) {
            connectionOrder.release();
        }
    }

    /**
     * Connects in the run's connection order, as {@link #connecting} does, and keeps the order (returns whether it
     * holds it): the gateway's handshake whose connection will carry the forwarded request
     * ({@link #forwardsOnGatewayConnection}) keeps it for that request's series, so that the series' connections
     * follow it at the backend with no other phase's in between. The holder hands it on with
     * {@link #handGatewayConnection} or gives it back with {@link #releaseOrder}; a failed connect gives it back.
     */
    public boolean connectingAndHolding(Connect connect) throws java.io.IOException {
        boolean locked = inSeries.get() == null && lockOrder();
        boolean connected = false;
        try {
            connect.run();
            connected = true;
            return locked;
        } finally {
            if (locked && !connected) {
                connectionOrder.release();
            }
        }
    }

    /** Gives back the run's connection order kept by {@link #connectingAndHolding}. */
    public void releaseOrder() {
        connectionOrder.release();
    }

    /** One attempt of a {@link #series}: opens its connection through {@code connector}. */
    @FunctionalInterface
    public interface Attempt<T> {
        /** Runs attempt {@code index}; null when it says nothing about the backend (the series stops). */
        T run(int index, Connector connector);
    }

    /**
     * Runs up to {@code n} attempts whose connections are consecutive at the backend (a series: one connection in
     * three failing must show in it): while the series connects, other phases' {@link #connecting} waits; the
     * attempts' connections are opened one after the other in index order, and up to {@code parallel} attempts run at
     * once (their TLS handshakes and exchanges overlap; the backend still sees the connections in index order).
     * Attempt {@code i} starts only while {@code mayStart} allows it; no attempt starts after one returned null or one
     * that {@code last} accepts. Returns the results in index order, up to the first null (left out) or the first
     * that {@code last} accepts (kept): what the same attempts one after the other would return.
     */
    public <T> List<T> series(int n, int parallel, IntPredicate mayStart, Attempt<T> attempt,
                              Predicate<T> last) {
        Series<T> s = new Series<>(n, mayStart, attempt, last);
        List<Future<?>> helpers = new ArrayList<>();
        try {
            for (int h = 1; h < Math.min(parallel, n); h++) {
                helpers.add(HELPERS.submit(s::work));
            }
            s.work();
            for (Future<?> f : helpers) {
                await(f);
            }
        } finally {
            s.release();
        }
        return s.results();
    }

    /** Waits for a helper of a series: it ends within the run's deadline (every wait of an attempt is capped by it). */
    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    /** The state of one {@link #series}. */
    private final class Series<T> {
        private final int n;
        private final IntPredicate mayStart;
        private final Attempt<T> attempt;
        private final Predicate<T> last;
        private final List<T> results = new ArrayList<>();
        private final boolean[] done;
        private int next;
        private int connected;
        private boolean stopped;
        private boolean held;
        private boolean released;

        Series(int n, IntPredicate mayStart, Attempt<T> attempt,
               Predicate<T> last) {
            this.n = n;
            this.mayStart = mayStart;
            this.attempt = attempt;
            this.last = last;
            this.done = new boolean[n];
            for (int i = 0; i < n; i++) {
                results.add(null);
            }
        }

        void work() {
            inSeries.set(Boolean.TRUE);
            try {
                for (int i; (i = take()) >= 0;) {
                    int index = i;
                    T r = null;
                    try {
                        r = attempt.run(index, new Connector() {
                            @Override
                            public void connect(Connect connect) throws java.io.IOException {
                                turn(index, connect);
                            }

                            @Override
                            public void opened() throws java.io.IOException {
                                if (takeGatewayOrder()) {
                                    holdingFromTheGateway();
                                }
                                turn(index, null);
                            }
                        });
                    } finally {
                        finish(index, r);
                    }
                }
            } finally {
                inSeries.remove();
            }
        }

        private synchronized int take() {
            if (stopped || next >= n || !mayStart.test(next)) {
                stopped = true;
                return -1;
            }
            return next++;
        }

        /**
         * Connects attempt {@code i} once attempt {@code i - 1} has connected (or ended without connecting), holding
         * the run's connection order from the series' first connection on; {@code connect} null: the attempt's
         * connection is open already ({@link Connector#opened}), it neither waits nor takes the order.
         */
        private void turn(int i, Connect connect) throws java.io.IOException {
            if (connect == null) {
                connected(i);
                return;
            }
            synchronized (this) {
                try {
                    while (connected < i && !cutShort()) {
                        wait(Math.max(1, Math.min(100, deadline.remaining().toMillis())));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                holdOrder();
                connect.run();
            } finally {
                connected(i);
            }
        }

        /** Holds the run's connection order that came with the gateway's handshaken connection. */
        private synchronized void holdingFromTheGateway() {
            if (released || held) {
                connectionOrder.release();
            } else {
                held = true;
            }
        }

        /**
         * Takes the run's connection order before the series' first connection it opens (one turn at a time gets
         * here), unless it holds it or is done with it; waits outside this monitor, so the series' attempts go on.
         */
        private void holdOrder() {
            synchronized (this) {
                if (held || released) {
                    return;
                }
            }
            boolean got = lockOrder();
            synchronized (this) {
                if (got && (released || held)) {
                    connectionOrder.release();   // done with it, or another turn (after the deadline) took it
                } else if (got) {
                    held = true;
                }
            }
        }

        private synchronized void connected(int i) {
            connected = Math.max(connected, i + 1);
            notifyAll();
            if (connected >= n) {
                release();   // every connection of the series is open: other phases may connect
            }
        }

        private synchronized void finish(int i, T r) {
            connected(i);
            done[i] = true;
            results.set(i, r);
            if (r == null || last.test(r)) {
                stopped = true;
            }
        }

        synchronized void release() {
            released = true;
            if (held) {
                held = false;
                connectionOrder.release();
            }
        }

        synchronized List<T> results() {
            List<T> out = new ArrayList<>();
            for (int i = 0; i < n && done[i] && results.get(i) != null; i++) {
                out.add(results.get(i));
                if (last.test(results.get(i))) {
                    break;
                }
            }
            return out;
        }
    }

    private boolean lockOrder() {
        try {
            return connectionOrder.tryAcquire(Math.max(1, deadline.remaining().toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final AtomicInteger HELPER_THREADS =
            new AtomicInteger();
    /** Threads for phases that run beside others and for a series' parallel attempts: daemons, ended when idle. */
    static final ExecutorService HELPERS = new ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "gateway-check-phase-" + HELPER_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    /** Waits until the gateway's handshake succeeded ({@link #tlsTime}) or the TLS phase ended, at most {@code max}. */
    boolean awaitTlsHandshaken(Duration max, Future<?> done) throws InterruptedException {
        return await(tlsHandshaken, max, done);
    }


    /** Marks the TLS handshake as impossible for this cause, so that the HTTP phases are skipped. */
    public void tlsFailed(Cause cause) {
        tlsFailure = cause;
    }

    /** Why the TLS handshake failed, or null. */
    public Cause tlsFailure() {
        return tlsFailure;
    }

    /** The findings so far. */
    public List<Finding> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    /**
     * How many problems the checks observed so far, counting those dropped as duplicates of an earlier phase's
     * finding: tells whether a phase found problems.
     */
    public int observedCount() {
        Buffer b = buffer.get();
        if (b != null) {
            return b.observed;
        }
        synchronized (findings) {
            return observed;
        }
    }

    /** Records name-resolution time (first call wins). */
    public void dnsTime(Duration d) {
        dns = first(dns, d);
    }

    /** Records connect time (first call wins). */
    public void connectTime(Duration d) {
        connect = first(connect, d);
    }

    /**
     * Records handshake time (first call wins): the gateway's own handshake succeeded, so the phases that speak HTTP
     * over TLS may start beside the rest of the TLS phase ({@link #awaitTlsHandshaken}).
     */
    public void tlsTime(Duration d) {
        tls = first(tls, d);
        tlsHandshaken.countDown();
    }

    /**
     * Records the TLS version the gateway's own handshake with {@code target} negotiated, before {@link #tlsTime}: when
     * it is TLS 1.2 or older, the run's later HTTP connections to the same address and Host offer only that version
     * ({@link #httpTlsVersions}).
     */
    public void gatewayTlsVersion(Target target, String protocol) {
        if (protocol != null && protocol.startsWith("TLSv1") && !protocol.equals("TLSv1.3")) {
            pin = new Pin(target.address(), target.host(), protocol);
        }
    }

    /**
     * The TLS versions an HTTP connection to {@code target} opened now offers (the traffic and probe series, the
     * second looks): the version the gateway's handshake negotiated when that is TLS 1.2 or older and {@code target}
     * is the same address and Host (so the same SNI name), else none named (the JDK's). A backend that chose TLS 1.2
     * from the gateway's whole offer chooses it again; the connection resumes its session without the two TLS 1.3 key
     * shares a JDK ClientHello otherwise computes and the backend never uses (two thirds of a resumed connection's
     * CPU). A handshake that fails while offering only that version drops it for the rest of the run ({@link #unpin}):
     * a series that saw it is sent again offering every version, a single exchange is made again.
     */
    public List<String> httpTlsVersions(Target target) {
        Pin p = pin;
        return p != null && target.tls() && p.address().equals(target.address())
                && p.host().equalsIgnoreCase(target.host()) ? List.of(p.version()) : List.of();
    }

    /**
     * Drops the version pinned by {@link #gatewayTlsVersion} for the rest of the run: a connection that offered only
     * it failed its handshake (refused, reset or closed: one address in front of servers with different versions may
     * answer so), so every later connection offers every version, as the gateway does.
     */
    public void unpin() {
        pin = null;
    }

    /**
     * Keeps the TLS context the gateway's handshake was made in (fresh for it, without a client certificate,
     * accepting every chain): the run's later HTTP connections are made in it ({@link #gatewaySession()}), so that
     * those to the same host and port resume that handshake's session, as a gateway resumes its upstream sessions
     * (nginx's {@code proxy_ssl_session_reuse}, on by default) instead of making a full handshake of their own.
     */
    public void gatewaySession(SSLContext context) {
        gatewaySession = context;
    }

    /** The context kept by {@link #gatewaySession(SSLContext)}, or null before (or without) it. */
    public SSLContext gatewaySession() {
        return gatewaySession;
    }

    /**
     * The TLS context of this run's HTTP connections when it is the run's own (one with the plan's client
     * certificate): made by {@code make} once, so that the run's connections resume one session.
     */
    public synchronized SSLContext gatewayContext(Supplier<SSLContext> make) {
        if (gatewayContext == null) {
            gatewayContext = make.get();
        }
        return gatewayContext;
    }

    /** Where the gateway's handshake negotiated which version ({@link #gatewayTlsVersion}). */
    private record Pin(InetSocketAddress address, String host, String version) {
    }

    /**
     * The connection the forwarded request goes on ({@link #handGatewayConnection}): over TLS the gateway's own
     * handshake's, an open TLS socket over its TCP socket; over plain HTTP the connect check's ({@link #keepConnection};
     * {@code tls} null). Registered with the run.
     */
    public record GatewayConnection(Target target, SSLSocket tls, Socket tcp) {
    }

    /**
     * Whether the gateway's handshaken connection came with the run's connection order
     * ({@link #connectingAndHolding}) that no series has taken over yet.
     */
    private final AtomicBoolean gatewayOrder = new AtomicBoolean();

    /**
     * Whether the gateway's handshake with {@code target} offering SNI {@code sni} (null: none) should leave its
     * connection open for the forwarded request, as a gateway sends its request on the connection it just handshook:
     * when the run sends that request to the same target right after (over TLS, with the TLS and probe checks, no
     * upload first) and the connection is the one the request's own would be, its SNI the Host (none for an IP
     * literal) and no client certificate involved.
     */
    public boolean forwardsOnGatewayConnection(Target target, String sni) {
        boolean sameSni = sni == null ? Text.isIpLiteral(target.host()) : sni.equalsIgnoreCase(target.host());
        return target.tls() && sameSni && plan.has(dev.gatewaycheck.Check.TLS)
                && plan.has(dev.gatewaycheck.Check.PROBE) && plan.requestBody() == null
                && plan.clientCertificate() == null && gatewayConnection.get() == null;
    }

    /**
     * Keeps an open connection for the forwarded request, which takes it with {@link #takeGatewayConnection}: the
     * gateway's handshaken one ({@link #forwardsOnGatewayConnection} said so), or over plain HTTP the connect check's
     * ({@link #takeKeptConnection}); closed at the run's end if nobody took it.
     * {@code holdingOrder}: the handshake kept the run's connection order ({@link #connectingAndHolding}), which goes
     * with the connection to the series that uses it (given back when none does).
     */
    public void handGatewayConnection(GatewayConnection connection, boolean holdingOrder) {
        if (holdingOrder && !gatewayOrder.compareAndSet(false, true)) {
            connectionOrder.release();   // cannot happen: one gateway handshake per run holds it
        }
        GatewayConnection before = gatewayConnection.getAndSet(connection);
        if (before != null) {
            closeGatewayConnection(before);
        }
    }

    /**
     * The run's connection order that came with the gateway's handshaken connection, taken over by the series whose
     * first attempt uses that connection ({@link Connector#opened}): true once, when there was one.
     */
    private boolean takeGatewayOrder() {
        return gatewayOrder.compareAndSet(true, false);
    }

    /**
     * The gateway's handshaken connection to {@code target}, once (then null); null when there is none. One to another
     * target is closed (and the connection order that came with it given back).
     */
    public GatewayConnection takeGatewayConnection(Target target) {
        GatewayConnection c = gatewayConnection.getAndSet(null);
        if (c != null && !c.target().equals(target)) {
            closeGatewayConnection(c);   // not this request's: closed, and the connection order given back
            return null;
        }
        return c;
    }

    /** Closes the gateway's handshaken connection if nobody took it (the forwarded request was not sent on it). */
    public void dropGatewayConnection() {
        GatewayConnection c = gatewayConnection.getAndSet(null);
        if (c != null) {
            closeGatewayConnection(c);
        }
    }

    /**
     * Closes {@code c} (a taker's when done: closing it twice is harmless) and forgets it; gives back the run's
     * connection order that came with it if no series took it over.
     */
    public void closeGatewayConnection(GatewayConnection c) {
        if (takeGatewayOrder()) {
            connectionOrder.release();
        }
        closeQuietly(c.tls());
        closeQuietly(c.tcp());
    }

    /**
     * Whether the connect check should leave its connection open for the gateway's first use of it, as a gateway
     * connects once and then handshakes, or sends its request, on that connection: when the backend has one address
     * and the next connection the run would open to it is that first use, with nothing in between (over TLS the
     * gateway's handshake; over plain HTTP the forwarded request, so not when an upload goes first), and no keep-alive
     * watch, whose connection would open in between.
     */
    public boolean keepsConnection(int addresses) {
        if (addresses != 1 || plan.has(dev.gatewaycheck.Check.KEEP_ALIVE)) {
            return false;
        }
        return plan.isTls() ? plan.has(dev.gatewaycheck.Check.TLS)
                : plan.has(dev.gatewaycheck.Check.PROBE) && plan.requestBody() == null;
    }

    /**
     * Keeps the connect check's open connection ({@link #keepsConnection} said so; registered with the run) for the
     * gateway's first use, which takes it with {@link #takeKeptConnection}; closed at the run's end if nobody did.
     */
    public void keepConnection(Socket connected) {
        Socket before = keptConnection.getAndSet(connected);
        if (before != null) {
            closeQuietly(before);
        }
    }

    /**
     * The connect check's connection to {@code address}, once (then null), or null when there is none or it is to
     * another address or closed (then it is closed and forgotten): an open TCP socket registered with the run.
     */
    public Socket takeKeptConnection(InetSocketAddress address) {
        Socket s = keptConnection.getAndSet(null);
        if (s != null && (s.isClosed() || !address.equals(s.getRemoteSocketAddress()))) {
            closeQuietly(s);
            return null;
        }
        return s;
    }

    /** Closes the connect check's connection if nobody took it. */
    public void dropKeptConnection() {
        Socket s = keptConnection.getAndSet(null);
        if (s != null) {
            closeQuietly(s);
        }
    }

    /**
     * Closes {@code s} (null: nothing), ignoring what the close throws (a connection the backend may have dropped),
     * and forgets it ({@link #unregister}).
     */
    public void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (java.io.IOException ignored) {
            // closing a connection the backend may have dropped
        }
        unregister(s);
    }

    /** Records time to first byte (first call wins). */
    public void firstByteTime(Duration d) {
        firstByte = first(firstByte, d);
    }

    private static Duration first(Duration recorded, Duration d) {
        return recorded != null ? recorded : d;
    }

    /** The times recorded, with the run's total. */
    Timings timings(Duration total) {
        return new Timings(dns, connect, tls, firstByte, total);
    }
}
