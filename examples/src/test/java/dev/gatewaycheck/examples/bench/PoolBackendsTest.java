package dev.gatewaycheck.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The pool benchmark's members ({@link PoolBackends}, a process of their own): each answers a request head with
 * 200, keeps the connection for the next request, grows its read buffer for a head longer than its first one (1 KiB)
 * and closes on {@code Connection: close}.
 */
class PoolBackendsTest {

    @Test
    void answersShortAndLongHeadsOnOneConnectionAndClosesWhenAsked() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                PoolBackends.class.getName(), "2")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("ports "), () -> "first line: " + line);
            String[] ports = line.substring("ports ".length()).split(" ");
            assertEquals(2, ports.length, line);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ports[1])), 5000);
                s.setSoTimeout(5000);
                OutputStream w = s.getOutputStream();
                InputStream r = s.getInputStream();
                w.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertEquals(new String(PoolBackends.RESPONSE, StandardCharsets.ISO_8859_1), read(r));
                // a head of 5 KiB: the buffer grows from 1 KiB (twice) before the head is complete
                w.write(("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + "x".repeat(5000) + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertEquals(new String(PoolBackends.RESPONSE, StandardCharsets.ISO_8859_1), read(r));
                assertEquals(-1, r.read(), "closed after Connection: close");
            }
        } finally {
            p.getOutputStream().close();   // its standard input closed: it stops
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Reads one response of {@link PoolBackends#RESPONSE}'s length. */
    private static String read(InputStream r) throws java.io.IOException {
        byte[] b = r.readNBytes(PoolBackends.RESPONSE.length);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
