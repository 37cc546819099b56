package dev.gatewaycheck.examples.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.ListenPort;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof with the real thing: a real Prometheus server (Debian package {@code prometheus}, started here on
 * loopback with a generated config and a temporary storage directory) scrapes the exporter for a healthy backend, a
 * backend that resets connections (a quick-check ERROR) and one whose keep-alive timeout is shorter than the
 * gateway's (the background check's ERROR); the series are read back through Prometheus's HTTP query API.
 */
class PrometheusScrapeTest {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    /** Every wait is bounded: Prometheus's start, and the series appearing. */
    static final Duration READY_WAIT = Duration.ofSeconds(60);
    static final Duration SERIES_WAIT = Duration.ofSeconds(90);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheExporterAndSeesTheCauses() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is missing: apt-get install prometheus (.ci/run "
                + "installs it)");
        Path config = dir.resolve("gateway-check.yml");
        Files.writeString(config, ""
                + "allow: [\"http://127.0.0.1:*\"]\n"
                + "limits: {concurrency: 4, min_interval: 1s, keepalive_concurrency: 2}\n"
                + "modules:\n"
                + "  default:\n"
                + "    profile: generic\n"
                + "    idle_timeout: 3s         # the gateway keeps idle upstream connections 3 s\n"
                + "    checks: [probe, keepalive]\n"
                + "    keepalive_interval: 30s\n");
        try (FaultServer healthy = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(30)));
             FaultServer reset = FaultServer.plain(FaultServer.resetAfterRequest());
             FaultServer shortIdle = FaultServer.plain(FaultServer.keepAlive().idleTimeout(Duration.ofSeconds(1))
                     .advertise("timeout=1, max=100"));
             Exporter exporter = Exporter.start(ExporterConfig.load(config),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            String ok = healthy.url() + "/";
            String broken = reset.url() + "/";
            String idle = shortIdle.url() + "/";
            String exporterAddress = Serve.hostPort(exporter.address());
            int promPort = freePort();
            Path promConfig = dir.resolve("prometheus.yml");
            Files.writeString(promConfig, ""
                    + "global:\n"
                    + "  scrape_interval: 2s\n"
                    + "  scrape_timeout: 2s\n"
                    + "  evaluation_interval: 2s\n"
                    + "scrape_configs:\n"
                    + "  - job_name: gateway-check\n"
                    + "    metrics_path: /probe\n"
                    + "    params: {module: [default]}\n"
                    + "    static_configs:\n"
                    + "      - targets: ['" + ok + "', '" + broken + "', '" + idle + "']\n"
                    + "    relabel_configs:\n"
                    + "      - source_labels: [__address__]\n"
                    + "        target_label: __param_target\n"
                    + "      - source_labels: [__param_target]\n"
                    + "        target_label: instance\n"
                    + "      - target_label: __address__\n"
                    + "        replacement: " + exporterAddress + "\n"
                    + "  - job_name: gateway-check-exporter\n"
                    + "    static_configs:\n"
                    + "      - targets: ['" + exporterAddress + "']\n");
            Path storage = Files.createDirectories(dir.resolve("data"));
            Path log = dir.resolve("prometheus.log");
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
                    "--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + promPort,
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            String api = "http://127.0.0.1:" + promPort;
            try {
                awaitReady(api, prometheus, log);

                Map<String, Double> success = await(api, "probe_success{job=\"gateway-check\"}", "instance",
                        m -> m.size() == 3 && m.get(ok) == 1.0 && m.get(broken) == 0.0 && m.get(idle) == 0.0, log);
                assertEquals(Map.of(ok, 1.0, broken, 0.0, idle, 0.0), success);

                Map<String, Double> reset502 = await(api, "gatewaycheck_finding{cause=\"BACKEND_RESET_CONNECTION\","
                        + "severity=\"ERROR\",gateway_status=\"502\"}", "instance", m -> m.containsKey(broken), log);
                // the value counts the findings (here the forwarded request's and the probe's)
                assertEquals(List.of(broken), new ArrayList<>(reset502.keySet()));
                assertTrue(reset502.get(broken) >= 1.0, reset502.toString());

                Map<String, Double> keepAlive = await(api, "gatewaycheck_finding{cause="
                        + "\"KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY\",severity=\"ERROR\"}", "instance",
                        m -> m.containsKey(idle), log);
                assertEquals(List.of(idle), new ArrayList<>(keepAlive.keySet()));

                Map<String, Double> idleClose = await(api, "gatewaycheck_keepalive_idle_close_seconds", "instance",
                        m -> m.containsKey(idle), log);
                double seconds = idleClose.get(idle);
                assertTrue(seconds >= 0.5 && seconds <= 2.5, "idle close " + seconds + " s, the backend closes at 1 s");

                Map<String, Double> age = await(api, "gatewaycheck_keepalive_age_seconds", "instance",
                        m -> m.containsKey(ok) && m.containsKey(idle), log);
                assertTrue(age.get(ok) >= 0 && age.get(ok) < 60, age.toString());

                // the healthy backend: no ERROR finding at all, a measured probe phase
                assertEquals(Map.of(), query(api, "gatewaycheck_finding{severity=\"ERROR\",instance=\"" + ok + "\"}",
                        "instance"));
                assertTrue(query(api, "gatewaycheck_phase_duration_seconds{phase=\"probe\"}", "instance")
                        .containsKey(ok));

                // the exporter's own /metrics
                Map<String, Double> up = await(api, "up{job=\"gateway-check-exporter\"}", "job",
                        m -> m.getOrDefault("gateway-check-exporter", 0.0) == 1.0, log);
                assertEquals(1.0, up.get("gateway-check-exporter"));
                assertTrue(await(api, "sum(gatewaycheck_exporter_probes_total)", "", m -> m.getOrDefault("", 0.0) >= 3,
                        log).get("") >= 3);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static int freePort() {
        return ListenPort.pick();
    }

    private static void awaitReady(String api, Process prometheus, Path log) throws Exception {
        long end = System.nanoTime() + READY_WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (!prometheus.isAlive()) {
                fail("prometheus exited with " + prometheus.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/-/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("prometheus was not ready within " + READY_WAIT.toSeconds() + " s:\n" + Files.readString(log));
    }

    /** Queries until {@code done} holds for the result (label value to sample value), within {@link #SERIES_WAIT}. */
    private static Map<String, Double> await(String api, String promql, String label,
                                             Predicate<Map<String, Double>> done, Path log) throws Exception {
        long end = System.nanoTime() + SERIES_WAIT.toNanos();
        Map<String, Double> last = Map.of();
        while (System.nanoTime() < end) {
            last = query(api, promql, label);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        fail("within " + SERIES_WAIT.toSeconds() + " s, " + promql + " gave " + last + "; prometheus log:\n"
                + Files.readString(log));
        return last;
    }

    private static final Pattern SAMPLE =
            Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"value\":\\[[^,]+,\"([^\"]+)\"\\]\\}");
    private static final Pattern LABEL = Pattern.compile("\"([^\"]+)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** An instant query through the HTTP API: label value (of {@code label}) to sample value. */
    static Map<String, Double> query(String api, String promql, String label) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"status\":\"success\""), r.body());
        Map<String, Double> out = new HashMap<>();
        Matcher m = SAMPLE.matcher(r.body());
        while (m.find()) {
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2).replace("\\/", "/"));
            }
            out.put(labels.getOrDefault(label, ""), Double.parseDouble(m.group(2)));
        }
        return out;
    }
}
