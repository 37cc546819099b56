package dev.gatewaycheck.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test kit's in-JVM backend keeps a connection alive as a real server does, and ends it when asked to. */
class FaultServerTest {
    private static final String OK = FaultServer.okResponse("hi");

    @Test
    void aKeptAliveConnectionStaysOpenAndOneAskedToCloseEndsWithAFin() throws Exception {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(OK));
             Socket c = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
            c.setSoTimeout(2000);
            OutputStream out = c.getOutputStream();
            InputStream in = c.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(OK, read(in, OK.length()));
            c.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, in::read, "kept alive: nothing more, not closed");
            c.setSoTimeout(2000);
            out.write("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(OK, read(in, OK.length()));
            assertEquals(-1, in.read(), "closed after the answer to Connection: close");
        }
    }

    @Test
    void onlyTheConnectionHeaderAsksToClose() {
        assertTrue(FaultServer.asksToClose("GET / HTTP/1.1\r\nconnection:  CLOSE \r\n\r\n"));
        assertTrue(FaultServer.asksToClose("GET / HTTP/1.1\nConnection: keep-alive, close\n\n"));
        assertFalse(FaultServer.asksToClose("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n"));
        assertFalse(FaultServer.asksToClose("GET /close HTTP/1.1\r\nX-Connection: close\r\n\r\n"));
    }

    private static String read(InputStream in, int n) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
