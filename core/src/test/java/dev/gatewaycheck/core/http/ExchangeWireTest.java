package dev.gatewaycheck.core.http;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an exchange puts on the wire and how it reads what comes back, pinned byte for byte and word for word to what
 * httpclient5's classic client did when the exchanges went through it (the findings' evidence quotes these
 * failures, and {@link FailureClassifier} reads them): the request head and its header order, SNI, how the
 * connection ends, and the exception type and message of each way a backend fails.
 */
class ExchangeWireTest {
    private static final Held CA = TestCertificates.ca("Wire Root").build();
    private static final Held LEAF = TestCertificates.loopbackLeaf(CA).build();

    private static RunContext ctx(String url, GatewayProfile profile) {
        return RunContext.standalone(GatewayCheck.forBackend(url).against(profile).probe()
                .timeout(Duration.ofSeconds(20)).plan());
    }

    private static Target target(int port, boolean tls, String host, String path) {
        return new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), tls, host, path);
    }

    private static String show(HttpObservation o) {
        return o.status() + "|" + o.reason() + "|" + o.version() + "|" + o.headers() + "|" + o.body().length() + "|"
                + o.bodyTruncated() + "|" + (o.firstByte() != null) + "|" + (o.quietAtEnd() != null) + "|" + o.cutShort() + "|" + (o.failure() == null ? "-" : o.failure().getClass().getName() + ": "
                + o.failure().getMessage() + " <- " + (o.failure().getCause() == null ? "-"
                : o.failure().getCause().getClass().getName() + ": " + o.failure().getCause().getMessage()))
                + "|" + FailureClassifier.classify(o.failure(), true).kind();
    }

    @Test
    void theRequestHeadIsHttpclient5sWithTheHostLast() throws Exception {
        ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();
        try (FaultServer s = FaultServer.plain(c -> {
            heads.add(c.readRequest());
            c.write(FaultServer.okResponse("hello"));
        })) {
            RunContext ctx = ctx(s.url(), GatewayProfile.GENERIC);
            try {
                HttpObservation o = HttpExchange.get(ctx, target(s.port(), false, "www.example.test", "/p?q=1"),
                        Duration.ofSeconds(5), Map.of("X-A", "1"));
                assertEquals("200|OK|HTTP/1.1|[Header[name=Content-Type, value=text/plain], Header[name=Content-Length,"
                        + " value=5]]|5|false|true|true|false|-|UNRECOGNIZED", show(o));
                assertEquals("hello", o.body());
            } finally {
                ctx.close();
            }
            assertEquals(List.of("GET /p?q=1 HTTP/1.1\r\nUser-Agent: gateway-check/0.1\r\nAccept: */*\r\n"
                    + "Connection: keep-alive\r\nX-A: 1\r\nHost: www.example.test:" + s.port() + "\r\n\r\n"),
                    List.copyOf(heads));
        }
    }

    @Test
    void overTlsTheHostIsTheServerNameAndTheHeadTheSame() throws Exception {
        SSLContext server = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> sni = new ConcurrentLinkedQueue<>();
        try (FaultServer s = FaultServer.tls(server, c -> {
            heads.add(c.readRequest());
            sni.add(String.valueOf(((ExtendedSSLSession) ((SSLSocket) c.socket()).getSession())
                    .getRequestedServerNames()));
            c.write(FaultServer.okResponse("hello"));
        })) {
            RunContext ctx = ctx(s.url(), GatewayProfile.GENERIC);
            try {
                assertEquals("200|OK|HTTP/1.1|[Header[name=Content-Type, value=text/plain], Header[name=Content-Length,"
                        + " value=5]]|5|false|true|true|false|-|UNRECOGNIZED", show(HttpExchange.get(ctx,
                        target(s.port(), true, "www.example.test", "/"), Duration.ofSeconds(5))));
            } finally {
                ctx.close();
            }
            assertEquals(List.of("GET / HTTP/1.1\r\nUser-Agent: gateway-check/0.1\r\nAccept: */*\r\n"
                    + "Connection: keep-alive\r\nHost: www.example.test:" + s.port() + "\r\n\r\n"),
                    List.copyOf(heads));
            assertEquals(List.of("[type=host_name (0), value=www.example.test]"), List.copyOf(sni));
        }
    }

    /**
     * Every exchange's connection ends with a reset, whatever the response said about keeping it: httpclient5 closed
     * its pool at once.
     */
    @Test
    void everyConnectionEndsWithAReset() throws Exception {
        SSLContext server = TestCertificates.serving(LEAF.privateKey(), LEAF.certificate(), CA.certificate());
        for (boolean tls : new boolean[] {false, true}) {
            for (String connection : List.of("keep-alive", "close")) {
                ConcurrentLinkedQueue<String> ends = new ConcurrentLinkedQueue<>();
                FaultServer.Behaviour b = c -> {
                    c.readRequest();
                    c.write(FaultServer.response(200, "OK", "hi", "Connection: " + connection));
                    c.socket().setSoTimeout(5000);
                    try {
                        ends.add(c.socket().getInputStream().read() < 0 ? "FIN" : "data");
                    } catch (java.net.SocketException e) {
                        ends.add(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("reset") ? "RST"
                                : e.toString());
                    }
                };
                try (FaultServer s = tls ? FaultServer.tls(server, b) : FaultServer.plain(b)) {
                    RunContext ctx = ctx(s.url(), GatewayProfile.GENERIC);
                    try {
                        assertEquals(200, HttpExchange.get(ctx, target(s.port(), tls, "a.test", "/"),
                                Duration.ofSeconds(5)).status());
                    } finally {
                        ctx.close();
                    }
                    long until = System.nanoTime() + 5_000_000_000L;
                    while (ends.isEmpty() && System.nanoTime() < until) {
                        Thread.sleep(10);
                    }
                    assertEquals(List.of("RST"), List.copyOf(ends),
                            (tls ? "https" : "http") + ", Connection: " + connection);
                }
            }
        }
    }

    @Test
    void aRefusedConnectAndASilentHandshakeReadAsHttpclient5ReportedThem() throws Exception {
        int closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = ss.getLocalPort();
        }
        RunContext ctx = ctx("http://127.0.0.1:" + closed, GatewayProfile.GENERIC);
        try {
            assertEquals("0|||[]|0|false|false|false|false|org.apache.hc.client5.http.HttpHostConnectException: "
                    + "Connect to http://a.test:" + closed + " failed: Connection refused <- -|REFUSED",
                    show(HttpExchange.get(ctx, target(closed, false, "a.test", "/"), Duration.ofSeconds(5))));
        } finally {
            ctx.close();
        }
        try (ServerSocket ss = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            ConcurrentLinkedQueue<Socket> held = new ConcurrentLinkedQueue<>();
            Thread t = new Thread(() -> {
                try {
                    held.add(ss.accept());
                } catch (java.io.IOException ignored) {
                    // closed
                }
            });
            t.start();
            RunContext c2 = ctx("https://127.0.0.1:" + ss.getLocalPort(), GatewayProfile.GENERIC.toBuilder()
                    .id("short").tlsHandshakeTimeout(Duration.ofMillis(300)).build());
            try {
                assertEquals("0|||[]|0|false|false|false|false|org.apache.hc.client5.http.ConnectTimeoutException: "
                        + "Connect to https://a.test:" + ss.getLocalPort() + " failed: Read timed out <- -|"
                        + "HANDSHAKE_TIMED_OUT", show(HttpExchange.get(c2, target(ss.getLocalPort(), true, "a.test",
                        "/"), Duration.ofSeconds(5))));
            } finally {
                c2.close();
            }
            t.join(2000);
            for (Socket h : held) {
                h.close();
            }
        }
    }

    @Test
    void eachBrokenResponseReadsAsHttpclient5ReportedIt() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("HTTP/1.1 abc\r\n\r\n", "0|||[]|0|false|false|false|false|org.apache.hc.client5.http."
                + "ClientProtocolException: Status line contains invalid status code; error at offset 9: "
                + "<HTTP/1.1 abc> <- org.apache.hc.core5.http.ParseException: Status line contains invalid status code;"
                + " error at offset 9: <HTTP/1.1 abc>|BAD_STATUS_LINE");
        cases.put("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", "200|OK|HTTP/1.1|[Header[name="
                + "Content-Length, value=100]]|5|false|true|true|false|org.apache.hc.core5.http."
                + "ConnectionClosedException: Premature end of Content-Length delimited message body (expected: 100; "
                + "received: 5) <- -|CLOSED_MID_RESPONSE");
        cases.put("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "200|OK|HTTP/1.1|[Header[name="
                + "Transfer-Encoding, value=chunked]]|0|false|true|true|false|org.apache.hc.core5.http."
                + "MalformedChunkCodingException: Bad chunk header: zz <- -|BAD_CHUNK");
        cases.put("garbage\r\n\r\n", "0|||[]|0|false|false|false|false|org.apache.hc.client5.http."
                + "ClientProtocolException: Invalid protocol version; error at offset 0: <garbage> <- org.apache.hc."
                + "core5.http.ParseException: Invalid protocol version; error at offset 0: <garbage>|BAD_STATUS_LINE");
        cases.put("HTTP/1.1 200 OK\r\nBad Header\r\nContent-Length: 0\r\n\r\n", "0|||[]|0|false|false|false|"
                + "false|org.apache.hc.client5.http.ClientProtocolException: Invalid header: <Bad Header> <- org."
                + "apache.hc.core5.http.ParseException: Invalid header: <Bad Header>|BAD_HEADER");
        cases.put("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "0|||[]|0|false|false|"
                + "false|false|org.apache.hc.client5.http.ClientProtocolException: Multiple Content-Length headers <- "
                + "org.apache.hc.core5.http.ProtocolException: Multiple Content-Length headers|FRAMING_CONFLICT");
        cases.put("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "0|||[]|0|false|false|false|"
                + "false|org.apache.hc.client5.http.ClientProtocolException: Unsupported or invalid protocol: websocket"
                + " <- org.apache.hc.core5.http.ProtocolException: Unsupported or invalid protocol: websocket|"
                + "BAD_STATUS_LINE");
        cases.put("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", "204|No Content|HTTP/1.1|[]|0|"
                + "false|true|true|false|-|UNRECOGNIZED");
        cases.put("", "0|||[]|0|false|false|false|false|org.apache.hc.core5.http.NoHttpResponseException: The target "
                + "server failed to respond <- -|CLOSED_BEFORE_RESPONSE");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            try (FaultServer s = FaultServer.plain(c -> {
                c.readRequest();
                c.write(e.getKey());
                c.close();
            })) {
                RunContext ctx = ctx(s.url(), GatewayProfile.GENERIC);
                try {
                    assertEquals(e.getValue(), show(HttpExchange.get(ctx, target(s.port(), false, "a.test", "/"),
                            Duration.ofSeconds(5))), e.getKey());
                } finally {
                    ctx.close();
                }
            }
        }
    }

    @Test
    void aSilentBackendIsAReadTimeout() throws Exception {
        try (FaultServer s = FaultServer.plain(c -> {
            c.readRequest();
            c.hold(Duration.ofSeconds(3));
        })) {
            RunContext ctx = ctx(s.url(), GatewayProfile.GENERIC);
            try {
                HttpObservation o = HttpExchange.get(ctx, target(s.port(), false, "a.test", "/"),
                        Duration.ofMillis(300));
                assertEquals("0|||[]|0|false|false|false|false|java.net.SocketTimeoutException: Read timed out <- -|"
                        + "READ_TIMED_OUT", show(o));
                assertTrue(o.total().toMillis() < 2500, o::toString);
            } finally {
                ctx.close();
            }
        }
    }
}
