package dev.gatewaycheck.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An in-JVM reverse proxy that forwards each request (Host kept) to one upstream and, when the upstream fails,
 * answers with the error a given product would, fingerprint headers and page included. For the products a test
 * cannot run locally (CloudFront, ALB, Cloudflare, Azure Application Gateway).
 *
 * <pre>{@code
 * try (FaultServer front = FakeFrontDoor.start(FakeFrontDoor.Product.CLOUDFRONT, backend.port())) { ... }
 * }</pre>
 */
public final class FakeFrontDoor {

    /** How each product answers when its upstream fails. */
    public enum Product {
        /** {@code X-Cache: Error from cloudfront}, 502 (CF502). */
        CLOUDFRONT,
        /** {@code Server: awselb/2.0}, 502 (ALBTS). */
        ALB,
        /** {@code Server: cloudflare}, 521 when refused, 520 otherwise (CFL52x). */
        CLOUDFLARE,
        /** {@code Server: Microsoft-Azure-Application-Gateway/v2} and its error page, 502 (AG502). */
        AZURE_V2;

        String error(boolean refused) {
            switch (this) {
                case CLOUDFRONT:
                    return FaultServer.response(502, "Bad Gateway", "<HTML><HEAD><TITLE>ERROR: The request could not "
                            + "be satisfied</TITLE></HEAD><BODY><H1>502 ERROR</H1></BODY></HTML>",
                            "Server: CloudFront", "X-Cache: Error from cloudfront",
                            "Via: 1.1 0a1b2c3d.cloudfront.net (CloudFront)", "X-Amz-Cf-Id: abc123==");
                case ALB:
                    return FaultServer.response(502, "Bad Gateway", "<html>\r\n<head><title>502 Bad Gateway</title>"
                            + "</head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
                            "Server: awselb/2.0", "Content-Type: text/html");
                case CLOUDFLARE:
                    return refused ? FaultServer.response(521, "", "error code: 521", "Server: cloudflare",
                            "CF-RAY: 8a1b2c3d4e5f6789-FRA")
                            : FaultServer.response(520, "", "error code: 520", "Server: cloudflare",
                            "CF-RAY: 8a1b2c3d4e5f6789-FRA");
                default:
                    return FaultServer.response(502, "Bad Gateway", "<html><head><title>502 Bad Gateway</title></head>"
                            + "<body><center><h1>502 Bad Gateway</h1></center><hr>"
                            + "<center>Microsoft-Azure-Application-Gateway/v2</center></body></html>",
                            "Server: Microsoft-Azure-Application-Gateway/v2", "Content-Type: text/html");
            }
        }
    }

    private FakeFrontDoor() {
    }

    /** One response: the head up to the blank line, then Content-Length bytes of body (bounded to 1 MiB). */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int length = -1;
        while (b.size() < 1 << 20) {
            int c = in.read();
            if (c < 0) {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                for (String line : s.split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                break;
            }
        }
        for (int i = 0; i < Math.max(length, 0) && i < 1 << 20; i++) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A front door on 127.0.0.1 forwarding to {@code 127.0.0.1:upstreamPort}. */
    public static FaultServer start(Product product, int upstreamPort) {
        return FaultServer.plain(c -> {
            String head = c.readRequest();
            if (head == null) {
                return;
            }
            String forwarded = head.replaceAll("(?im)^connection:.*\r?\n", "").replaceFirst("\r\n\r\n$",
                    "\r\nConnection: close\r\n\r\n");
            try (Socket up = new Socket()) {
                up.connect(new InetSocketAddress("127.0.0.1", upstreamPort), 1000);
                up.setSoTimeout(2000);
                up.getOutputStream().write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
                String response = readResponse(up.getInputStream());
                c.write(response.isEmpty() ? product.error(false) : response);
            } catch (ConnectException e) {
                c.write(product.error(true));
            } catch (SocketTimeoutException | java.net.SocketException e) {
                c.write(product.error(false));
            }
        });
    }
}
