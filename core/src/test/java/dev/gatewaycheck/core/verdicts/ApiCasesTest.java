package dev.gatewaycheck.core.verdicts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendCheck;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, numbered cases 6, 8, 9, 10, 11 and 14: verdicts and inputs at the edges of the API, each against a real
 * loopback server where the behaviour needs one.
 */
class ApiCasesTest {

    // ---- 6: a front door that never answered is not healthy ---------------------------------------------------

    @Test
    void case06AFrontDoorThatNeverAnswersIsNotHealthy() {
        try (FaultServer front = FaultServer.plain(FaultServer.neverAnswer())) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).timeout(Duration.ofSeconds(2)).run();
            assertEquals(0, r.status(), r::toString);
            assertEquals(FrontendReport.Hop.FRONT_DOOR, r.faultyHop(), r::toString);
            assertFalse(r.complete(), r::toString);
            assertFalse(r.isHealthy(), r::toString);
            assertTrue(r.toJson().contains("\"complete\":false"), r::toJson);
        }
    }

    @Test
    void case06AFrontDoorThatAnswersIsStillHealthy() {
        try (FaultServer front = FaultServer.plain(FaultServer.ok())) {
            FrontendReport r = GatewayCheck.forFrontend(front.url()).timeout(Duration.ofSeconds(10)).run();
            assertEquals(200, r.status(), r::toString);
            assertTrue(r.isHealthy(), r::toString);
        }
    }

    // ---- 8: --ca / trusting(Path) is bounded in bytes and time ------------------------------------------------

    @Test
    void case08AnEndlessCertificateFileIsRefusedNamingTheParameter() {
        GatewayCheck c = GatewayCheck.forBackend("https://127.0.0.1:8443");
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, () -> c.trusting(Path.of("/dev/zero"))));
        assertTrue(e.getMessage().startsWith("pemFile must be a certificate file of at most 4 MiB"), e::getMessage);
        assertTrue(e.getMessage().contains("/dev/zero"), e::getMessage);
    }

    @Test
    void case08AHugeCertificateFileIsRefusedWithoutReadingIt(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("huge.pem");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(64L * 1024 * 1024);   // sparse: no disk used
        }
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                IllegalArgumentException.class, () -> GatewayCheck.forFrontend("https://127.0.0.1/").trusting(big)));
        assertTrue(e.getMessage().startsWith("pemFile must be a certificate file of at most 4 MiB"), e::getMessage);
    }

    @Test
    void case08ARealCertificateFileStillWorks(@TempDir Path dir) {
        Held root = TestCertificates.ca("case 8 root").build();
        Path pem = TestCertificates.writePem(dir.resolve("root.pem"), root.certificate());
        assertEquals(List.of(root.certificate()),
                GatewayCheck.forBackend("https://127.0.0.1:8443").trusting(pem).plan().trusted());
    }

    // ---- 9: control characters from the backend never reach the terminal raw ----------------------------------

    @Test
    void case09ControlCharactersFromTheBackendAreEscapedInTheTextReport() {
        String esc = "\u001b";
        try (FaultServer s = FaultServer.plain(FaultServer.respond("HTTP/1.1 502 " + esc + "[2J" + esc
                + "[HBad Gateway\r\nServer: " + esc + "]0;pwned\u0007\r\nVia: 1.1 " + esc + "[31mred\u009b1m\r\n"
                + "Content-Length: 8\r\n\r\n" + esc + "[5mboom"))) {
            Report r = GatewayCheck.forBackend(s.url()).checks(Check.PROBE).timeout(Duration.ofSeconds(10)).run();
            Finding f = Expect.finding(r, Cause.BACKEND_RETURNED_GATEWAY_ERROR);
            assertTrue(r.complete(), r::toString);
            String text = r.toString();
            for (char ch : text.toCharArray()) {
                assertTrue(ch == '\n' || (ch >= 0x20 && ch != 0x7f && (ch < 0x80 || ch > 0x9f)),
                        () -> "raw control character " + (int) ch + " in:\n" + text);
            }
            assertTrue(text.contains("\\x1b[2J\\x1b[HBad Gateway"), text);
            assertTrue(text.contains("\\x1b]0;pwned\\x07"), text);
            assertTrue(text.contains("\\x1b[31mred\\x9b1m"), text);
            assertTrue(f.toString().contains("\\x1b[2J"), f::toString);
            // the data keeps what the backend sent; only the text rendering escapes it
            assertTrue(f.message().contains(esc), f::message);
            String json = r.toJson();
            assertFalse(json.chars().anyMatch(ch -> ch < 0x20 || (ch >= 0x7f && ch <= 0x9f)), json);
            assertTrue(json.contains("\\u001b[2J"), json);
            assertTrue(json.contains("\\u009b1m"), json);
        }
    }

    // ---- 10: host names that pass validation work in every phase ----------------------------------------------

    @Test
    void case10TrailingDotUnderscoreAndIdnHostsAreCheckedWithoutAnInternalError() {
        Held leaf = TestCertificates.leaf("localhost", null).build();
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate()),
                FaultServer.ok())) {
            for (String host : List.of("localhost.", "a_b.example.com", "bücher.example")) {
                Report r = GatewayCheck.forBackend(s.url()).withHost(host).checks(Check.TLS, Check.PROBE)
                        .timeout(Duration.ofSeconds(15)).run();
                for (PhaseResult p : r.phases()) {
                    assertNotEquals(PhaseResult.Status.ERRORED, p.status(), () -> host + ": " + r);
                }
                PhaseResult.Status tls = r.phase(Phase.TLS).orElseThrow().status();
                assertTrue(tls == PhaseResult.Status.FOUND_PROBLEMS || tls == PhaseResult.Status.PASSED,
                        () -> host + ": " + r);
            }
            Report dot = GatewayCheck.forBackend(s.url()).withHost("localhost.").tls().timeout(Duration.ofSeconds(15))
                    .run();
            assertEquals("localhost", dot.host());
            assertFalse(dot.has(Cause.TLS_CERT_HOSTNAME_MISMATCH), dot::toString);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayCheck.forBackend("https://127.0.0.1").withHost("*.example.com"));
        assertTrue(e.getMessage().startsWith("host must be one host name, not a wildcard pattern"), e::getMessage);
        assertEquals("xn--bcher-kva.example", GatewayCheck.forBackend("https://127.0.0.1").withHost("bücher.example")
                .plan().host());
    }

    // ---- 11: Host brackets for IPv6, percent-encoded UTF-8 paths ----------------------------------------------

    /** Records request heads and answers like nginx: 400 to a Host that is a bare IPv6 literal. */
    private static FaultServer.Behaviour recording(List<String> heads) {
        return c -> {
            String req;
            while ((req = c.readRequest()) != null) {
                heads.add(req);
                String host = req.lines().filter(l -> l.regionMatches(true, 0, "Host:", 0, 5)).findFirst()
                        .map(l -> l.substring(5).trim()).orElse("");
                if (host.startsWith("::") || host.chars().filter(ch -> ch == ':').count() > 1 && !host.startsWith("[")) {
                    c.write(FaultServer.response(400, "Bad Request", "<html>400 Bad Request</html>",
                            "Connection: close"));
                    return;
                }
                c.write(FaultServer.okResponse("<html>hello</html>"));
            }
        };
    }

    @Test
    void case11EveryRequestToAnIpv6BackendCarriesABracketedHost() throws Exception {
        List<String> heads = new CopyOnWriteArrayList<>();
        try (FaultServer s = FaultServer.plainOn(InetAddress.getByName("::1"), 0, recording(heads))) {
            Report r = GatewayCheck.forBackend("http://[::1]:" + s.port() + "/").checks(Check.PROBE)
                    .timeout(Duration.ofSeconds(15)).run();
            assertTrue(r.isHealthy(), r::toString);
            assertTrue(heads.size() >= 3, heads::toString);   // forwarded request, second look, probes
            for (String h : heads) {
                assertTrue(h.contains("\r\nHost: [::1]"), () -> "a Host without brackets: " + h);
            }
        }
    }

    @Test
    void case11ANonAsciiPathGoesOnTheWirePercentEncodedAsUtf8() {
        List<String> heads = new CopyOnWriteArrayList<>();
        try (FaultServer s = FaultServer.plain(recording(heads))) {
            Report r = GatewayCheck.forBackend(s.url() + "/café/ü?q=ä").checks(Check.PROBE)
                    .timeout(Duration.ofSeconds(15)).run();
            assertTrue(r.isHealthy(), r::toString);
            assertTrue(heads.stream().anyMatch(h -> h.startsWith("GET /caf%C3%A9/%C3%BC?q=%C3%A4 HTTP/1.1\r\n")),
                    heads::toString);
            for (String h : heads) {
                assertTrue(h.chars().allMatch(ch -> ch < 0x80), () -> "non-ASCII on the wire: " + h);
            }
        }
        assertEquals("/caf%C3%A9", GatewayCheck.forBackend("http://127.0.0.1/").withPath("/café").plan().path());
    }

    // ---- 14: the front door's default deadline covers its wait and the backend checks -------------------------

    @Test
    void case14TheFrontDoorDefaultDeadlineCoversItsWaitPlusTheBackendChecks() {
        assertEquals(Duration.ofSeconds(55), FrontendCheck.defaultTimeout(null),
                "generic: 20 s front-door wait + 5 s, then 30 s for the backend checks");
        for (GatewayProfile p : GatewayProfile.presets()) {
            Duration backend = GatewayCheck.defaultTimeout(p, EnumSet.of(Check.TLS, Check.PROBE));
            assertEquals(p.requestTimeout().plusSeconds(5).plus(backend), FrontendCheck.defaultTimeout(p), p.id());
            assertTrue(backend.compareTo(p.requestTimeout()) > 0, p.id());
        }
        assertEquals(Duration.ofSeconds(55), GatewayCheck.forFrontend("https://127.0.0.1/").withBackends(
                "https://127.0.0.1:8443").plan().backends().get(0).timeout());
        assertEquals(Duration.ofSeconds(55), GatewayCheck.forFrontend("https://127.0.0.1/").plan().timeout());
    }

    @Test
    void case14ASlowBackendBehindAFrontDoorThatTimesOutIsJudgedWithTheDefaultDeadline() throws Exception {
        // a front door with a 3 s read timeout (nginx), a backend that takes 8 s: 504 at 3 s, then the backend's own
        // check must still outlast the gateway's wait within the default deadline
        GatewayProfile quick = GatewayProfile.NGINX.toBuilder().id("nginx-3s").name("nginx, 3 s read timeout")
                .requestTimeout(Duration.ofSeconds(3)).build();
        try (FaultServer backend = FaultServer.plain(FaultServer.delayed(Duration.ofSeconds(8),
                FaultServer.okResponse("slow")));
             dev.gatewaycheck.testkit.Nginx nginx = dev.gatewaycheck.testkit.Nginx.reverseProxy("proxy_pass "
                     + backend.url() + "; proxy_read_timeout 3s;")) {
            FrontendReport r = GatewayCheck.forFrontend(nginx.url()).withBackends(backend.url()).against(quick).run();
            assertEquals(504, r.status(), r::toString);
            assertTrue(r.complete(), r::toString);
            assertEquals(FrontendReport.Hop.BACKEND, r.faultyHop(), r::toString);
            Expect.finding(r.backends().get(0), Cause.RESPONSE_TIMEOUT);
            assertFalse(r.isHealthy());
        }
    }
}
