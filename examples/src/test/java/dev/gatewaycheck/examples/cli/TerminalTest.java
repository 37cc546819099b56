package dev.gatewaycheck.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.testkit.FaultServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real process on a real terminal: {@code script} (util-linux) gives the tool a pseudo-terminal, so
 * {@link Terminal#detect()} sees what an operator's shell gives it; a plain pipe is what CI and scripts give it.
 */
class TerminalTest {
    static final Path SCRIPT = Path.of("/usr/bin/script");

    /** Runs the tool in a new JVM; on a pseudo-terminal when {@code tty}. Returns what it printed (both streams). */
    private static String tool(boolean tty, Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        List<String> run = cmd;
        if (tty) {
            assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is missing (Debian package bsdutils)");
            StringBuilder line = new StringBuilder();
            for (String c : cmd) {
                line.append('\'').append(c.replace("'", "'\\''")).append("' ");
            }
            run = List.of(SCRIPT.toString(), "-qec", line.toString(), "/dev/null");
        }
        ProcessBuilder pb = new ProcessBuilder(run).redirectErrorStream(true);
        pb.environment().remove("NO_COLOR");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readNBytes(1 << 20);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool did not exit within 60 s");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String closed() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void colourOnATerminalOnly() throws Exception {
        String url = closed();
        String onTty = tool(true, Map.of(), "--checks", "probe", "--timeout", "5s", url);
        assertTrue(onTty.contains("\u001b[1;31mERROR\u001b[0m"), onTty);
        String noColor = tool(true, Map.of("NO_COLOR", "1"), "--checks", "probe", "--timeout", "5s", url);
        assertTrue(noColor.contains("CONNECTION_REFUSED"), noColor);
        assertFalse(noColor.contains("\u001b["), noColor);
        String piped = tool(false, Map.of(), "--checks", "probe", "--timeout", "5s", url);
        assertTrue(piped.contains("CONNECTION_REFUSED"), piped);
        assertFalse(piped.contains("\u001b"), piped);
    }

    @Test
    void progressOnATerminalOnly() throws Exception {
        try (FaultServer silent = FaultServer.plain(FaultServer.neverAnswer())) {
            String onTty = tool(true, Map.of(), "--checks", "probe", "--timeout", "4s", silent.url());
            assertTrue(onTty.contains("\r\u001b[Kgateway-check: " + silent.url() + ": 2 s (deadline 4 s)"), onTty);
            String piped = tool(false, Map.of(), "--checks", "probe", "--timeout", "4s", silent.url());
            assertFalse(piped.contains("gateway-check: "), piped);
            assertEquals(piped.strip(), piped.strip().replace("\r", ""), piped);
        }
    }
}
