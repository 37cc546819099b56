package dev.gatewaycheck.examples.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter's contract without Prometheus: allow list, modules, limits, the scrape timeout, the config. */
class ExporterTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private ExporterConfig config(String yaml) throws Exception {
        Path f = dir.resolve("gateway-check.yml");
        Files.writeString(f, yaml);
        return ExporterConfig.load(f);
    }

    private static HttpResponse<String> get(Exporter e, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + Serve.hostPort(e.address())
                + pathAndQuery)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String probe(String target, String module) {
        return "/probe?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                + (module == null ? "" : "&module=" + module);
    }

    private static final String LOOPBACK_ONLY = "allow: [\"http://127.0.0.1:*\"]\n"
            + "limits: {concurrency: 2, min_interval: 2s}\n"
            + "modules:\n  default: {profile: generic, checks: [probe]}\n";

    @Test
    void aTargetOutsideTheAllowListIsRefusedWithoutAConnection() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (FaultServer s = FaultServer.plainOn(other, 0, FaultServer.ok());
             Exporter e = Exporter.start(config(LOOPBACK_ONLY), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     0))) {
            HttpResponse<String> r = get(e, probe("http://127.0.0.2:" + s.port() + "/", "default"));
            assertEquals(403, r.statusCode(), r.body());
            assertTrue(r.body().contains("is not allowed: it matches no entry of the config's allow list "
                    + "[http://127.0.0.1:*], so nothing was connected"), r.body());
            // a name that would resolve to an allowed address is not an allowed entry either
            assertEquals(403, get(e, probe("http://localhost:" + s.port() + "/", null)).statusCode());
            assertEquals(403, get(e, probe("ftp://127.0.0.1:" + s.port() + "/", null)).statusCode());
            assertEquals(403, get(e, probe("http://user@127.0.0.1:" + s.port() + "/", null)).statusCode());
            // the allow list is decided before any connection is opened, so nothing can arrive later
            assertEquals(0, s.accepted(), "the refused target got a connection");
            assertTrue(get(e, "/metrics").body().contains("gatewaycheck_exporter_refused_total{reason=\"not_allowed\"} "
                    + "4.0"), get(e, "/metrics").body());
        }
    }

    @Test
    void probeAnswersTheDiagnosisAsMetricsAndHonoursTheRateLimit() throws Exception {
        try (FaultServer ok = FaultServer.plain(FaultServer.ok());
             FaultServer reset = FaultServer.plain(FaultServer.resetAfterRequest());
             Exporter e = Exporter.start(config(LOOPBACK_ONLY), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     0))) {
            HttpResponse<String> healthy = get(e, probe(ok.url() + "/", "default"));
            assertEquals(200, healthy.statusCode(), healthy.body());
            assertTrue(healthy.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                    healthy.headers().toString());
            assertTrue(healthy.body().contains("\nprobe_success 1.0\n"), healthy.body());
            assertTrue(healthy.body().matches("(?s).*\nprobe_duration_seconds \\d.*"), healthy.body());
            assertTrue(healthy.body().contains("gatewaycheck_phase_duration_seconds{phase=\"probe\"}"), healthy.body());
            assertFalse(healthy.body().contains("gatewaycheck_finding{"), healthy.body());

            HttpResponse<String> broken = get(e, probe(reset.url() + "/", null));
            assertTrue(broken.body().contains("\nprobe_success 0.0\n"), broken.body());
            assertTrue(broken.body().contains("gatewaycheck_finding{cause=\"BACKEND_RESET_CONNECTION\","
                    + "gateway_status=\"502\",severity=\"ERROR\"} 1.0"), broken.body());
            int accepted = reset.accepted();
            // within limits.min_interval the last result is served, not a new check
            HttpResponse<String> again = get(e, probe(reset.url() + "/", null));
            assertTrue(again.body().contains("gatewaycheck_finding{cause=\"BACKEND_RESET_CONNECTION\""), again.body());
            assertEquals(accepted, reset.accepted(), "a scrape within min_interval connected again");
            assertTrue(get(e, "/metrics").body().contains("result=\"cached\""), get(e, "/metrics").body());
            // blackbox's debug=true: the readable report, then the metrics
            HttpResponse<String> debug = get(e, probe(reset.url() + "/", null) + "&debug=true");
            assertTrue(debug.body().startsWith("Quick checks:\nReport " + reset.url() + "/"), debug.body());
            assertTrue(debug.body().contains("ERROR   BACKEND_RESET_CONNECTION"), debug.body());
            assertTrue(debug.body().contains("\nMetrics that would have been returned:\n"), debug.body());
        }
    }

    @Test
    void concurrencyIsBoundedAndAScrapeThatCannotStartInTimeGets503() throws Exception {
        String oneAtATime = "allow: [\"http://127.0.0.1:*\"]\nlimits: {concurrency: 1, min_interval: 1s}\n"
                + "modules:\n  default: {profile: generic, checks: [probe]}\n";
        try (FaultServer silentA = FaultServer.plain(FaultServer.neverAnswer());
             FaultServer silentB = FaultServer.plain(FaultServer.neverAnswer());
             Exporter e = Exporter.start(config(oneAtATime), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     0))) {
            // A holds the only permit for its whole 5 s budget
            java.util.concurrent.CompletableFuture<HttpResponse<String>> a = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return get(e, probe(silentA.url() + "/", null), "X-Prometheus-Scrape-Timeout-Seconds", "5");
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
            long end = System.nanoTime() + 10_000_000_000L;
            while (silentA.accepted() == 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertTrue(silentA.accepted() > 0, "the first scrape never connected");
            HttpResponse<String> b = get(e, probe(silentB.url() + "/", null), "X-Prometheus-Scrape-Timeout-Seconds",
                    "1");
            assertEquals(503, b.statusCode(), b.body());
            assertTrue(b.body().startsWith("busy: 1 checks are running (limits.concurrency)"), b.body());
            assertEquals(0, silentB.accepted(), "the refused scrape connected anyway");
            assertEquals(200, a.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            assertTrue(get(e, "/metrics").body().contains("gatewaycheck_exporter_refused_total{reason=\"busy\"} 1.0"));
        }
    }

    @Test
    void certificateExpiryOfATlsTarget() throws Exception {
        TestCertificates.Held root = TestCertificates.ca("exporter test root").build();
        TestCertificates.Held leaf = TestCertificates.leaf("www.example.test", root).expiresIn(Duration.ofDays(10))
                .build();
        Path ca = TestCertificates.writePem(dir.resolve("root.pem"), root.certificate());
        String yaml = "allow: [\"https://127.0.0.0/8:*\"]\nmodules:\n  tls: {profile: generic, checks: [tls], "
                + "host: www.example.test, ca: " + ca.getFileName() + "}\n";
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate()),
                FaultServer.ok());
             Exporter e = Exporter.start(config(yaml), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            HttpResponse<String> r = get(e, probe(s.url() + "/", "tls"));
            assertEquals(200, r.statusCode(), r.body());
            String line = r.body().lines().filter(l -> l.startsWith("probe_ssl_earliest_cert_expiry ")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.body()));
            assertEquals(leaf.certificate().getNotAfter().toInstant().getEpochSecond(),
                    (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)), line);
            // expiring in 10 days is a WARNING, not a failure of the probe
            assertTrue(r.body().contains("gatewaycheck_finding{cause=\"TLS_CERT_EXPIRING_SOON\",gateway_status=\"0\","
                    + "severity=\"WARNING\"} 1.0"), r.body());
            assertTrue(r.body().contains("\nprobe_success 1.0\n"), r.body());
        }
    }

    @Test
    void badRequestsAreExplained() throws Exception {
        try (Exporter e = Exporter.start(config(LOOPBACK_ONLY), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0))) {
            HttpResponse<String> noTarget = get(e, "/probe");
            assertEquals(400, noTarget.statusCode());
            assertTrue(noTarget.body().startsWith("target parameter is missing"), noTarget.body());
            HttpResponse<String> module = get(e, probe("http://127.0.0.1:1/", "nope"));
            assertEquals(400, module.statusCode());
            assertTrue(module.body().startsWith("unknown module 'nope'; the config defines [default]"), module.body());
            assertEquals(200, get(e, "/").statusCode());
            assertEquals(404, get(e, "/nothing").statusCode());
        }
    }

    @Test
    void theScrapeTimeoutHeaderBoundsTheChecks() throws Exception {
        assertEquals(Duration.ofMillis(2500), Exporter.budget("3", Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(30), Exporter.budget(null, Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(5), Exporter.budget("120", Duration.ofSeconds(5)));
        assertEquals(Duration.ofMillis(500), Exporter.budget("0.2", Duration.ofSeconds(5)));
        try (FaultServer silent = FaultServer.plain(FaultServer.neverAnswer());
             Exporter e = Exporter.start(config(LOOPBACK_ONLY), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                     0))) {
            long start = System.nanoTime();
            HttpResponse<String> r = get(e, probe(silent.url() + "/", "default"),
                    "X-Prometheus-Scrape-Timeout-Seconds", "3");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, r.statusCode(), r.body());
            // the run's deadline cut the checks short: no verdict, and no finding against the backend for it
            assertTrue(r.body().contains("\ngatewaycheck_probe_complete 0.0\n"), r.body());
            // well before the module's 30 s timeout (generous: the machine may be loaded)
            assertTrue(ms < 10_000, "answered after " + ms + " ms: the 3 s scrape timeout was not applied");
        }
    }

    @Test
    void theConfigIsValidatedWithMessagesThatSayWhere() throws Exception {
        IllegalArgumentException noAllow = assertThrows(IllegalArgumentException.class,
                () -> config("modules: {default: {profile: generic}}\n"));
        assertTrue(noAllow.getMessage().startsWith("allow must list the targets"), noAllow.getMessage());
        IllegalArgumentException star = assertThrows(IllegalArgumentException.class,
                () -> config("allow: [\"http://*:*\"]\nmodules: {default: {}}\n"));
        assertTrue(star.getMessage().contains("open proxy"), star.getMessage());
        IllegalArgumentException profile = assertThrows(IllegalArgumentException.class,
                () -> config("allow: [\"http://127.0.0.1:*\"]\nmodules: {azure: {profile: azure}}\n"));
        assertTrue(profile.getMessage().startsWith("modules.azure: profile must be one of"), profile.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> config("allow: [\"http://127.0.0.1:*\"]\nmodules: {a: {timout: 3s}}\n"));
        assertTrue(unknown.getMessage().startsWith("modules.a.timout is not a setting"), unknown.getMessage());
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class,
                () -> config("allow: [\"http://127.0.0.1:*\"]\nmodules: {a: {probe: {timeout: soon}}}\n"));
        assertTrue(duration.getMessage().startsWith("modules.a.probe.timeout must look like 30s"),
                duration.getMessage());
        // a profile without an active probe of its own takes the module's
        assertTrue(config("allow: [\"http://127.0.0.1:*\"]\nmodules: {n: {profile: nginx, probe: {path: /h}}}\n")
                .modules().get("n").check().probe().path().equals("/h"));
        IllegalArgumentException yaml = assertThrows(IllegalArgumentException.class, () -> config("allow: [\n"));
        assertTrue(yaml.getMessage().contains("is not valid YAML"), yaml.getMessage());
    }

    @Test
    void allowListEntries() {
        AllowList a = AllowList.of(List.of("http://127.0.0.1:*", "https://*.internal.example",
                "https://10.0.0.0/8:8443",
                "*://[::1]:9000"));
        assertTrue(a.match(URI.create("http://127.0.0.1:8080/x")).isPresent());
        assertFalse(a.match(URI.create("http://127.0.0.2:8080/x")).isPresent());
        assertTrue(a.match(URI.create("https://app.internal.example/")).isPresent());
        assertFalse(a.match(URI.create("https://app.internal.example:8443/")).isPresent());
        assertFalse(a.match(URI.create("https://internal.example/")).isPresent());
        assertFalse(a.match(URI.create("https://evilinternal.example/")).isPresent());
        assertTrue(a.match(URI.create("https://10.1.2.3:8443/")).isPresent());
        assertFalse(a.match(URI.create("https://11.1.2.3:8443/")).isPresent());
        assertFalse(a.match(URI.create("http://10.1.2.3:8443/")).isPresent());
        assertTrue(a.match(URI.create("http://[::1]:9000/")).isPresent());
        assertFalse(a.match(URI.create("http://[::2]:9000/")).isPresent());
    }

    @Test
    void listensOnLoopbackByDefault() throws Exception {
        assertTrue(Serve.address(ExporterConfig.DEFAULT_LISTEN).getAddress().isLoopbackAddress());
        assertEquals(ExporterConfig.DEFAULT_LISTEN, config(LOOPBACK_ONLY).listen());
        assertEquals(9516, Serve.address("[::1]:9516").getPort());
    }

    @Test
    void serveRefusesBadUsageAndABadConfigWithExitTwo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream r = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, Serve.run(o, r));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("gateway-check serve: Missing required option: "
                + "'--config=FILE'"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "modules: {default: {}}\n");
        assertEquals(2, Serve.run(o, r, "--config", bad.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("gateway-check serve: allow must list"),
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        Files.writeString(bad, LOOPBACK_ONLY);
        assertEquals(2, Serve.run(o, r, "--config", bad.toString(), "--listen", "localhost:9516"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--listen must be ADDRESS:PORT"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, Serve.run(o, r, "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--listen"), out.toString(StandardCharsets.UTF_8));
    }
}
