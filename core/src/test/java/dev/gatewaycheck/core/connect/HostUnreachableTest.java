package dev.gatewaycheck.core.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.testkit.Expect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HOST_UNREACHABLE needs a network without a route to the address. The test creates its own network namespace
 * (whose loopback is down, so 127.0.0.1 has no route there) and runs the check in a JVM inside it; no packet
 * leaves that namespace. Needs root and iproute2, which CI has.
 */
class HostUnreachableTest {

    private static String run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(cmd + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    @Test
    void addressWithoutARouteIsHostUnreachable() throws Exception {
        String ns = "gc-unreach-" + ProcessHandle.current().pid();
        run(List.of("ip", "netns", "add", ns), 20);
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String json = run(List.of("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                    InNamespaceMain.class.getName(), "http://127.0.0.1:8080"), 60);
            assertTrue(json.contains("\"cause\":\"HOST_UNREACHABLE\""), json);
            assertTrue(json.contains("\"address\":\"127.0.0.1\""), json);
            assertEquals(-1, json.indexOf("\"cause\":\"CONNECTION_REFUSED\""), json);
            Expect.record(Cause.HOST_UNREACHABLE);
        } finally {
            run(List.of("ip", "netns", "delete", ns), 20);
        }
    }
}
