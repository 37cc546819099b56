package dev.gatewaycheck.core.http;

import dev.gatewaycheck.spi.Snippets;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A second look with a raw socket at what httpclient5 does not show: the exact first bytes of a malformed
 * response, and whether the backend ended the connection with FIN or RST. Sends the same GET, reads at most
 * {@link #MAX_BYTES} bytes.
 */
public final class RawPeek {

    /** The most bytes a peek reads. */
    public static final int MAX_BYTES = 4096;
    /** The most characters of the first line evidence shows (a status line is far shorter). */
    static final int FIRST_LINE_CHARS = 200;

    /** How the backend ended the peek. */
    public enum End {
        /** Orderly close (FIN): {@code read()} returned -1. */
        FIN,
        /** Reset (RST): {@code SocketException: Connection reset}. */
        RST,
        /** Nothing more within the timeout. */
        TIMEOUT,
        /** Read cap reached with the connection still open. */
        CAP,
        /** Could not connect or write. */
        ERROR
    }

    /**
     * What the peek saw.
     *
     * @param bytes   the bytes received, as ISO-8859-1
     * @param end     how the connection ended
     * @param elapsed request written to end
     */
    public record Result(String bytes, End end, Duration elapsed) {

        /** The first line, escaped so that control bytes are visible. */
        public String firstLineEscaped() {
            int nl = bytes.indexOf('\n');
            String line = nl >= 0 ? bytes.substring(0, nl + 1) : bytes;
            return escape(line.length() > FIRST_LINE_CHARS ? line.substring(0, FIRST_LINE_CHARS) : line);
        }

        /** Whether the backend's FIN came inside the status line ({@code HTTP/1.1 2}, then FIN). */
        public boolean cutInStatusLine() {
            return end == End.FIN && RequestCheck.isStatusLinePrefix(bytes);
        }

        /** Whether the backend's FIN or RST came after some bytes of the head but before the blank line ending it. */
        public boolean cutInHead() {
            return (end == End.FIN || end == End.RST) && !bytes.isEmpty() && !bytes.contains("\r\n\r\n")
                    && !bytes.contains("\n\n");
        }
    }

    private RawPeek() {
    }

    /** GETs {@code target} on a fresh connection and reads what comes back. */
    public static Result get(RunContext ctx, Target target, Duration readTimeout) {
        String request = "GET " + target.path() + " HTTP/1.1\r\nHost: " + target.hostHeader()
                + "\r\nUser-Agent: gateway-check/0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        long start = System.nanoTime();
        byte[] buf = new byte[MAX_BYTES];
        int n = 0;
        End end;
        try (RawConnection conn = RawConnection.open(ctx, target, readTimeout)) {
            Socket s = conn.socket();
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            start = System.nanoTime();
            InputStream in = s.getInputStream();
            end = End.CAP;
            while (n < buf.length) {
                int r;
                try {
                    r = in.read(buf, n, buf.length - n);
                } catch (SocketTimeoutException e) {
                    end = End.TIMEOUT;
                    break;
                } catch (SocketException e) {
                    end = isReset(e) ? End.RST : End.ERROR;
                    break;
                }
                if (r < 0) {
                    end = End.FIN;
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            end = isReset(e) ? End.RST : End.ERROR;
        }
        return new Result(new String(buf, 0, n, StandardCharsets.ISO_8859_1), end,
                Duration.ofNanos(System.nanoTime() - start));
    }

    static boolean isReset(IOException e) {
        return Text.isReset(e.getMessage());
    }

    /** Control bytes as {@code \r}, {@code \n}, {@code \xNN}: {@link Snippets#escape}. */
    public static String escape(String s) {
        return Snippets.escape(s);
    }
}
