package dev.gatewaycheck.examples.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Check;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped examples under {@code examples/prometheus/} are what Prometheus and the exporter accept: promtool
 * checks the Prometheus config, runs the alerting rules' unit tests, and the exporter loads its config.
 */
class ShippedExamplesTest {
    static final Path DIR = Path.of("prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private static String promtool(String... args) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is missing: apt-get install prometheus (.ci/run "
                + "installs it)");
        String[] cmd = new String[args.length + 1];
        cmd[0] = PROMTOOL.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish within 60 s");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void prometheusConfigIsValidAndLoadsTheRules() throws Exception {
        String out = promtool("check", "config", "prometheus.yml");
        assertTrue(out.contains("SUCCESS: 5 rules found"), out);
    }

    @Test
    void alertingRulesPassTheirUnitTests() throws Exception {
        assertTrue(promtool("test", "rules", "alerts_test.yml").contains("SUCCESS"));
    }

    @Test
    void exporterConfigLoads() {
        ExporterConfig c = ExporterConfig.load(DIR.resolve("gateway-check.yml"));
        assertEquals(Set.of("azure", "nginx"), c.modules().keySet());
        assertEquals("127.0.0.1:9516", c.listen());
        ExporterConfig.Module azure = c.modules().get("azure");
        assertEquals(Set.of(Check.TLS, Check.PROBE), azure.quickChecks());
        assertTrue(azure.keepAlive());
        assertTrue(c.allow().match(java.net.URI.create("https://app-1.internal.example/")).isPresent());
    }
}
