package dev.gatewaycheck.examples.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatewaycheck.Category;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exporter: blackbox_exporter's contract ({@code GET /probe?target=URL&module=NAME}, the scrape timeout from
 * {@code X-Prometheus-Scrape-Timeout-Seconds}) answered with gateway-check's diagnosis, and {@code /metrics} for the
 * exporter itself. Quick checks (tls, probe) run per scrape; the keep-alive check, which watches an idle connection
 * for as long as the gateway keeps one, runs in the background per target and its last result is exposed with its
 * age. Targets outside the allow list are refused before any connection; at most {@code concurrency} checks run at
 * once; a target is checked at most once per {@code min_interval} (sooner scrapes get the last result).
 *
 * <pre>{@code
 * try (Exporter e = Exporter.start(ExporterConfig.load(Path.of("gateway-check.yml")),
 *         new InetSocketAddress("127.0.0.1", 9516))) {
 *     // GET http://127.0.0.1:9516/probe?target=https://10.0.0.4&module=azure
 * }
 * }</pre>
 */
public final class Exporter implements Closeable {

    /** blackbox_exporter's default: the checks get the scrape timeout less this, so the answer arrives in time. */
    static final Duration TIMEOUT_OFFSET = Duration.ofMillis(500);
    /** Background keep-alive targets kept at most (one per target and module scraped). */
    static final int MAX_KEEPALIVE_TARGETS = 10_000;
    /** Targets and modules remembered at most (last result, rate limit); past it, scrapes are served unremembered. */
    static final int MAX_TARGETS = 20_000;
    /** A target nobody scraped for this long is forgotten (unless its keep-alive check still runs). */
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    /** What a run may overshoot its deadline by (the library promises 250 ms), kept free of the scrape budget. */
    static final Duration RUN_MARGIN = Duration.ofMillis(300);
    /** The shortest budget a scrape's checks get, however short the scrape timeout: a connect and an answer. */
    static final Duration MIN_BUDGET = Duration.ofMillis(500);
    /** The shortest time a quick run gets after the certificate dates took their share. */
    static final Duration MIN_RUN = Duration.ofMillis(200);
    /** The certificate-date read gets a fifth of a TLS scrape's budget, at most {@link #MAX_CERT_SHARE}. */
    static final int CERT_SHARE_DIVISOR = 5;
    /** The most the certificate-date read takes of a scrape: one handshake. */
    static final Duration MAX_CERT_SHARE = Duration.ofSeconds(2);
    /** Below this time left, the certificate dates are not read (no handshake completes that fast but on loopback). */
    static final Duration MIN_CERT_READ = Duration.ofMillis(50);
    /** A background keep-alive check stops after this many of its intervals without a scrape (at least 5 minutes). */
    static final int UNSCRAPED_INTERVALS = 3;
    /** The least time a background keep-alive check waits for a scrape before it stops. */
    static final Duration MIN_UNSCRAPED = Duration.ofMinutes(5);
    /** Connections the metrics server queues before accepting (the JDK's HttpServer backlog). */
    private static final int BACKLOG = 64;

    private final ExporterConfig config;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService keepAliveRunner;
    private final Semaphore permits;
    private final Map<String, TargetState> targets = new ConcurrentHashMap<>();

    private final PrometheusRegistry own = new PrometheusRegistry();
    private final Counter probes;
    private final Counter refused;
    private final Counter keepAliveRuns;
    private final Gauge inFlight;
    private final Gauge keepAliveTargets;

    /** What the exporter remembers per target and module. */
    private static final class TargetState {
        final ReentrantLock lock = new ReentrantLock();
        volatile Result quick;
        volatile Result keepAlive;
        volatile ScheduledFuture<?> schedule;
        volatile long lastScrapeNanos = System.nanoTime();
    }

    /** A report (null: none within the scrape's budget) and when it was made. */
    private record Result(Report report, long atNanos, OptionalLong certExpiry) {
    }

    private Exporter(ExporterConfig config, InetSocketAddress listen) throws IOException {
        this.config = config;
        this.permits = new Semaphore(config.concurrency(), true);
        this.probes = Counter.builder().name("gatewaycheck_exporter_probes_total")
                .help("Scrapes of /probe answered, by module and result (success, failure, cached)")
                .labelNames("module", "result").register(own);
        this.refused = Counter.builder().name("gatewaycheck_exporter_refused_total")
                .help("Scrapes of /probe refused, by reason (not_allowed, bad_request, busy)")
                .labelNames("reason").register(own);
        this.keepAliveRuns = Counter.builder().name("gatewaycheck_exporter_keepalive_runs_total")
                .help("Background keep-alive checks run, by module").labelNames("module").register(own);
        this.inFlight = Gauge.builder().name("gatewaycheck_exporter_checks_in_flight")
                .help("Quick checks running now").register(own);
        this.keepAliveTargets = Gauge.builder().name("gatewaycheck_exporter_keepalive_targets")
                .help("Targets whose keep-alive check runs in the background").register(own);
        Gauge.builder().name("gatewaycheck_exporter_concurrency_limit").help("Quick checks allowed at once")
                .register(own).set(config.concurrency());
        this.server = HttpServer.create(listen, BACKLOG);
        this.handlers = Executors.newFixedThreadPool(config.concurrency() * 2 + 2, daemon("gateway-check-http"));
        this.keepAliveRunner = Executors.newScheduledThreadPool(config.keepAliveConcurrency(),
                daemon("gateway-check-keepalive"));
        server.setExecutor(handlers);
        server.createContext("/probe", this::probe);
        server.createContext("/metrics", this::metrics);
        server.createContext("/", this::index);
    }

    /** Starts an exporter listening on {@code listen} (port 0: any free port). */
    public static Exporter start(ExporterConfig config, InetSocketAddress listen) throws IOException {
        Exporter e = new Exporter(config, listen);
        e.server.start();
        return e;
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        keepAliveRunner.shutdownNow();
        handlers.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------ /probe

    private void probe(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                refused.labelValues("bad_request").inc();
                text(ex, 405, "only GET /probe?target=URL&module=NAME\n");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String target = q.get("target");
            if (target == null || target.isBlank()) {
                refused.labelValues("bad_request").inc();
                text(ex, 400, "target parameter is missing: GET /probe?target=URL&module=NAME\n");
                return;
            }
            String moduleName = q.get("module");
            if (moduleName == null) {
                moduleName = config.modules().size() == 1 ? config.modules().keySet().iterator().next() : "default";
            }
            ExporterConfig.Module module = config.modules().get(moduleName);
            if (module == null) {
                refused.labelValues("bad_request").inc();
                text(ex, 400, "unknown module '" + moduleName + "'; the config defines " + config.modules().keySet()
                        + "\n");
                return;
            }
            URI uri;
            try {
                uri = new URI(target);
            } catch (URISyntaxException e) {
                refused.labelValues("bad_request").inc();
                text(ex, 400, "target must be an http(s) URL: " + e.getMessage() + "\n");
                return;
            }
            Optional<String> allowedBy = config.allow().match(uri);
            if (allowedBy.isEmpty()) {
                refused.labelValues("not_allowed").inc();
                text(ex, 403, "target '" + target + "' is not allowed: it matches no entry of the config's allow "
                        + "list " + config.allow() + ", so nothing was connected. Add an entry such as "
                        + "scheme://host:port or scheme://10.0.0.0/8:port to probe it.\n");
                return;
            }
            GatewayCheck base;
            try {
                base = module.check().apply(target);
            } catch (IllegalArgumentException e) {
                refused.labelValues("bad_request").inc();
                text(ex, 400, "target: " + e.getMessage() + "\n");
                return;
            }
            Duration budget = budget(ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds"),
                    module.timeout());
            long deadline = System.nanoTime() + budget.toNanos();
            String key = moduleName + " " + target;
            TargetState state = state(key);
            state.lastScrapeNanos = System.nanoTime();
            if (module.keepAlive() && targets.get(key) == state) {
                scheduleKeepAlive(state, module, base);
            }
            Result quick = null;
            boolean cached = false;
            if (!module.quickChecks().isEmpty()) {
                if (!lock(state.lock, deadline)) {
                    refused.labelValues("busy").inc();
                    text(ex, 503, "another scrape of this target is still running\n");
                    return;
                }
                try {
                    Result last = state.quick;
                    if (last != null && System.nanoTime() - last.atNanos() < config.minInterval().toNanos()) {
                        quick = last;
                        cached = true;
                    } else {
                        if (!acquire(deadline)) {
                            refused.labelValues("busy").inc();
                            text(ex, 503, "busy: " + config.concurrency() + " checks are running (limits.concurrency)"
                                    + " and none finished within the scrape timeout\n");
                            return;
                        }
                        try {
                            inFlight.inc();
                            quick = runQuick(base, module, uri, deadline);
                        } finally {
                            inFlight.dec();
                            permits.release();
                        }
                        state.quick = quick;
                    }
                } finally {
                    state.lock.unlock();
                }
            }
            byte[] body = exposition(moduleName, quick, state.keepAlive);
            boolean success = success(quick, state.keepAlive);
            probes.labelValues(moduleName, cached ? "cached" : success ? "success" : "failure").inc();
            if ("true".equals(q.get("debug"))) {
                // blackbox's debug=true: the reports a person reads, then the metrics
                text(ex, 200, debug(quick, state.keepAlive) + "\nMetrics that would have been returned:\n"
                        + new String(body, StandardCharsets.UTF_8));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!ex.getRequestMethod().equals("HEAD")) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
        } catch (RuntimeException e) {
            text(ex, 500, "internal error: " + e + "\n");
        }
    }

    /** The remembered state of a target and module; bounded in number, idle ones forgotten. */
    private TargetState state(String key) {
        TargetState known = targets.get(key);
        if (known != null) {
            return known;
        }
        if (targets.size() >= MAX_TARGETS / 2) {
            long now = System.nanoTime();
            targets.values().removeIf(t -> now - t.lastScrapeNanos > FORGET_AFTER.toNanos()
                    && (t.schedule == null || t.schedule.isCancelled()));
        }
        if (targets.size() >= MAX_TARGETS) {
            return new TargetState(); // served, not remembered: the memory stays bounded
        }
        return targets.computeIfAbsent(key, k -> new TargetState());
    }

    private Result runQuick(GatewayCheck base, ExporterConfig.Module module, URI uri, long deadline) {
        Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
        boolean tls = "https".equalsIgnoreCase(uri.getScheme()) && module.quickChecks().contains(Check.TLS);
        // the certificate dates get a small share of the budget, the library's deadline overshoot a margin, the
        // diagnosis the rest
        Duration certShare = tls ? Duration.ofMillis(Math.min(MAX_CERT_SHARE.toMillis(),
                left.toMillis() / CERT_SHARE_DIVISOR)) : Duration.ZERO;
        Duration runBudget = left.minus(certShare).minus(RUN_MARGIN);
        if (runBudget.compareTo(MIN_RUN) < 0) {
            runBudget = MIN_RUN;
        }
        CompletableFuture<Report> run = base.checks(module.quickChecks().toArray(new Check[0])).timeout(runBudget)
                .runAsync();
        Report r;
        try {
            r = run.get(Math.max(1, deadline - System.nanoTime() - certShare.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            run.cancel(true);
            return new Result(null, System.nanoTime(), OptionalLong.empty());
        } catch (InterruptedException e) {
            run.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(null, System.nanoTime(), OptionalLong.empty());
        }
        Duration certLeft = Duration.ofNanos(deadline - System.nanoTime());
        OptionalLong expiry = tls && certLeft.compareTo(MIN_CERT_READ) > 0 ? CertExpiry.earliest(uri, r.host(), certLeft)
                : OptionalLong.empty();
        return new Result(r, System.nanoTime(), expiry);
    }

    private void scheduleKeepAlive(TargetState state, ExporterConfig.Module module, GatewayCheck base) {
        if (state.schedule != null) {
            return;
        }
        synchronized (state) {
            if (state.schedule != null || keepAliveCount() >= MAX_KEEPALIVE_TARGETS) {
                return;
            }
            long period = module.keepAliveInterval().toMillis();
            long forget = Math.max(UNSCRAPED_INTERVALS * period, MIN_UNSCRAPED.toMillis());
            GatewayCheck check = base.checks(Check.KEEP_ALIVE);
            state.schedule = keepAliveRunner.scheduleWithFixedDelay(() -> {
                if (System.nanoTime() - state.lastScrapeNanos > TimeUnit.MILLISECONDS.toNanos(forget)) {
                    // nobody scrapes this target any more: stop watching it
                    state.schedule.cancel(false);
                    targets.values().remove(state);
                    keepAliveTargets.set(keepAliveCount());
                    return;
                }
                try {
                    state.keepAlive = new Result(check.run(), System.nanoTime(), OptionalLong.empty());
                } catch (RuntimeException e) {
                    // the library reports network failures as findings; anything else is its bug, shown as no result
                    state.keepAlive = null;
                }
                keepAliveRuns.labelValues(module.name()).inc();
            }, 0, period, TimeUnit.MILLISECONDS);
            keepAliveTargets.set(keepAliveCount());
        }
    }

    private int keepAliveCount() {
        return (int) targets.values().stream().filter(s -> s.schedule != null && !s.schedule.isCancelled()).count();
    }

    /** The budget of a scrape: the module's timeout, lowered to the scrape timeout less the offset. */
    static Duration budget(String header, Duration moduleTimeout) {
        Duration b = moduleTimeout;
        if (header != null) {
            try {
                double seconds = Double.parseDouble(header.trim());
                if (Double.isFinite(seconds) && seconds > 0) {
                    Duration scrape = Duration.ofMillis((long) (seconds * 1000)).minus(TIMEOUT_OFFSET);
                    if (scrape.compareTo(b) < 0) {
                        b = scrape;
                    }
                }
            } catch (NumberFormatException e) {
                // not a number: the module's timeout
            }
        }
        return b.compareTo(MIN_BUDGET) < 0 ? MIN_BUDGET : b;
    }

    /** Healthy quick checks and no ERROR in the last keep-alive result (an incomplete one does not count). */
    private static boolean success(Result quick, Result keepAlive) {
        boolean quickOk = quick == null || quick.report() != null && quick.report().isHealthy();
        boolean keepAliveOk = keepAlive == null || keepAlive.report() == null
                || keepAlive.report().findings().stream().noneMatch(f -> f.severity() == Severity.ERROR);
        return quickOk && keepAliveOk;
    }

    private byte[] exposition(String module, Result quick, Result keepAlive) throws IOException {
        PrometheusRegistry r = new PrometheusRegistry();
        long now = System.nanoTime();
        Gauge.builder().name("probe_success").help("Whether the gateway would not answer 502 because of this backend "
                + "(quick checks healthy, no ERROR in the last keep-alive check)").register(r)
                .set(success(quick, keepAlive) ? 1 : 0);
        if (quick != null) {
            Report q = quick.report();
            if (q != null) {
                Gauge.builder().name("probe_duration_seconds").help("How long the quick checks took").register(r)
                        .set(q.elapsed().toNanos() / 1e9);
            }
            Gauge.builder().name("gatewaycheck_probe_complete").help("Whether the quick checks finished within the "
                    + "scrape's budget (0: no verdict, not a finding)").register(r)
                    .set(q != null && q.complete() ? 1 : 0);
            Gauge.builder().name("gatewaycheck_probe_age_seconds").help("Age of the quick checks' result (above 0 "
                    + "when served from limits.min_interval)").register(r).set((now - quick.atNanos()) / 1e9);
            quick.certExpiry().ifPresent(e -> Gauge.builder().name("probe_ssl_earliest_cert_expiry")
                    .help("Earliest expiry of the presented chain, Unix seconds").register(r).set(e));
        }
        Gauge findings = Gauge.builder().name("gatewaycheck_finding").help("Findings by cause, severity and the "
                + "status the gateway answers for them (0: none documented)")
                .labelNames("cause", "severity", "gateway_status").register(r);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Gauge phases = Gauge.builder().name("gatewaycheck_phase_duration_seconds").help("Duration of each phase of "
                + "the last run").labelNames("phase").register(r);
        for (Result res : new Result[] {quick, keepAlive}) {
            if (res == null || res.report() == null) {
                continue;
            }
            // the background run repeats name resolution and connect: it adds only what is its own
            boolean background = res == keepAlive;
            for (Finding f : res.report().findings()) {
                if (!background || f.cause().category() == Category.KEEPALIVE || quick == null) {
                    counts.merge(f.cause().id() + "\u0000" + f.severity() + "\u0000" + f.gatewayStatus(), 1,
                            Integer::sum);
                }
            }
            for (PhaseResult p : res.report().phases()) {
                if (p.status() != PhaseResult.Status.SKIPPED
                        && (!background || p.phase() == Phase.KEEP_ALIVE || quick == null)) {
                    phases.labelValues(p.phase().name().toLowerCase(java.util.Locale.ROOT))
                            .set(p.elapsed().toNanos() / 1e9);
                }
            }
        }
        counts.forEach((k, n) -> {
            String[] l = k.split("\u0000");
            findings.labelValues(l[0], l[1], l[2]).set(n);
        });
        if (keepAlive != null && keepAlive.report() != null) {
            Report k = keepAlive.report();
            Gauge.builder().name("gatewaycheck_keepalive_age_seconds").help("Age of the last background keep-alive "
                    + "check").register(r).set((now - keepAlive.atNanos()) / 1e9);
            Gauge.builder().name("gatewaycheck_keepalive_complete").help("Whether the last keep-alive check finished")
                    .register(r).set(k.complete() ? 1 : 0);
            idleClose(k).ifPresent(s -> Gauge.builder().name("gatewaycheck_keepalive_idle_close_seconds")
                    .help("After how long idle the backend closed a kept-alive connection (absent: it kept it "
                            + "open as long as the gateway does)").register(r).set(s));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        PrometheusTextFormatWriter.create().write(out, r.scrape());
        return out.toByteArray();
    }

    private static String debug(Result quick, Result keepAlive) {
        StringBuilder b = new StringBuilder();
        b.append("Quick checks:\n").append(quick == null ? "(none in this module)"
                : quick.report() == null ? "(no result within the scrape's budget)" : quick.report().toString());
        b.append("\n\nLast background keep-alive check:\n").append(keepAlive == null || keepAlive.report() == null
                ? "(none yet)" : keepAlive.report().toString()).append('\n');
        return b.toString();
    }

    /** The observed idle close of a keep-alive finding's evidence ({@code observedIdleCloseSeconds}, a number). */
    static Optional<Double> idleClose(Report k) {
        return k.findings().stream().map(f -> f.evidence().value("observedIdleCloseSeconds"))
                .flatMap(Optional::stream).filter(Number.class::isInstance)
                .map(v -> ((Number) v).doubleValue()).findFirst();
    }

    // ------------------------------------------------------------------------------------------------ others

    private void metrics(HttpExchange ex) throws IOException {
        try (ex) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
            PrometheusTextFormatWriter.create().write(out, own.scrape());
            byte[] body = out.toByteArray();
            ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    private void index(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/")) {
                text(ex, 404, "not found: try /probe?target=URL&module=NAME or /metrics\n");
                return;
            }
            text(ex, 200, "gateway-check exporter\n  /probe?target=URL&module=NAME   modules: "
                    + config.modules().keySet()
                    + "\n  /metrics                        the exporter's own metrics\nallowed targets: "
                    + config.allow() + "\n");
        }
    }

    private static void text(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    private boolean acquire(long deadline) {
        try {
            return permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean lock(ReentrantLock lock, long deadline) {
        try {
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return m;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
