package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README's jshell command, run non-interactively: the startup script, then one line typed at its prompt. */
class JshellScriptTest {

    @Test
    void theStartupScriptChecksABackend() throws Exception {
        Path jar = Path.of(System.getProperty("gatewaycheck.cliJar"));
        Path script = Path.of(System.getProperty("gatewaycheck.jshellScript"));
        assertTrue(Files.isRegularFile(jar), jar + " (built by the main build's package phase)");
        HttpServer server = Backends.http(Duration.ZERO);
        try {
            String jshell = Path.of(System.getProperty("java.home"), "bin", "jshell").toString();
            Process p = new ProcessBuilder(List.of(jshell, "-R-Dgatewaycheck.backend=" + Backends.url(server),
                    "--class-path", jar.toString(), script.toString()))
                    .redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write("System.out.println(\"healthy=\" + base.probe().run().isHealthy())\n/exit\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("Try: base.probe().run()"), out);
            assertTrue(out.contains("healthy=true"), out);
        } finally {
            server.stop(0);
        }
    }
}
