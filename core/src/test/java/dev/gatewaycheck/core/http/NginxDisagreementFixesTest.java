package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The disagreements with a real nginx that the differential test ({@code NginxDifferentialTest}) found and the
 * checks fix, one regression test each against a loopback backend: a body that breaks after the head (nginx has
 * passed the backend's status on: no 5xx of its own), a response without a status line (nginx relays it as
 * HTTP/0.9), a head or status line cut by FIN (nginx 502, httpcore5 took the lines so far for a whole head), and
 * header lines nginx rejects although httpcore5 parses them.
 */
class NginxDisagreementFixesTest {
    private static final GatewayProfile NGINX_FAST = GatewayProfile.NGINX.toBuilder().id("nginx-fast")
            .requestTimeout(Duration.ofSeconds(1)).build();
    private static final GatewayProfile GENERIC_FAST = GatewayProfile.GENERIC.toBuilder().id("generic-fast")
            .requestTimeout(Duration.ofSeconds(1)).build();

    private static Report check(FaultServer s, GatewayProfile p) {
        return GatewayCheck.forBackend(s.url()).against(p).probe().timeout(Duration.ofSeconds(10)).run();
    }

    private static FaultServer serving(String bytes, boolean reset) {
        return FaultServer.plain(c -> {
            c.readRequest();
            c.write(bytes);
            if (reset) {
                c.reset();
            } else {
                c.close();
            }
        });
    }

    @Test
    void aBodyCutAfterTheHeadIsAnErrorWithoutA5xxForNginxAndA502ForAGatewayThatBuffers() {
        String cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it";
        try (FaultServer s = serving(cut, false)) {
            Finding nginx = Expect.finding(check(s, NGINX_FAST), Cause.BACKEND_CLOSED_MID_RESPONSE, Severity.ERROR);
            assertEquals(0, nginx.gatewayStatus(), nginx::toString);
            assertTrue(nginx.message().contains("has already passed the backend's status 200 on"), nginx::message);
            Finding generic = Expect.finding(check(s, GENERIC_FAST), Cause.BACKEND_CLOSED_MID_RESPONSE);
            assertEquals(502, generic.gatewayStatus(), generic::toString);
        }
    }

    @Test
    void aResetAfterTheHeadSaysSoAndCarriesNoStatusForNginx() {
        try (FaultServer s = serving("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", true)) {
            Report r = check(s, NGINX_FAST);
            List<Finding> errors = r.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
            assertFalse(errors.isEmpty(), r::toString);
            assertTrue(errors.stream().allMatch(f -> f.gatewayStatus() == 0), r::toString);
            assertFalse(r.isHealthy(), r::toString);
        }
    }

    @Test
    void aResponseWithoutAStatusLineIsRelayedByNginxAsHttp09() {
        try (FaultServer s = serving("<html>no status line</html>\n", false)) {
            Finding nginx = Expect.finding(check(s, NGINX_FAST), Cause.MALFORMED_STATUS_LINE, Severity.ERROR);
            assertEquals(0, nginx.gatewayStatus(), nginx::toString);
            assertEquals(502, Expect.finding(check(s, GENERIC_FAST), Cause.MALFORMED_STATUS_LINE).gatewayStatus());
        }
    }

    @Test
    void aStatusLineWithoutAMinorVersionIsMalformedAlthoughHttpcore5TakesIt() {
        try (FaultServer s = FaultServer.plain(FaultServer.respond("HTTP/1 200 OK\r\nContent-Length: 2\r\n\r\nok"))) {
            Finding nginx = Expect.finding(check(s, NGINX_FAST), Cause.MALFORMED_STATUS_LINE, Severity.ERROR);
            assertEquals(0, nginx.gatewayStatus(), nginx::toString);
            assertEquals("HTTP/1 200 OK", Expect.evidence(nginx, "firstLine"));
            assertEquals(502, Expect.finding(check(s, GENERIC_FAST), Cause.MALFORMED_STATUS_LINE).gatewayStatus());
        }
        try (FaultServer s = FaultServer.plain(FaultServer.respond("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"))) {
            assertTrue(check(s, NGINX_FAST).isHealthy());
        }
    }

    @Test
    void aStatusLineCutByFinIsAClosedMidResponseNotAMalformedOne() {
        try (FaultServer s = serving("HTTP/1.1 2", false)) {
            Report r = check(s, NGINX_FAST);
            Finding f = Expect.finding(r, Cause.BACKEND_CLOSED_MID_RESPONSE, Severity.ERROR);
            assertEquals(502, f.gatewayStatus(), r::toString);
            assertFalse(r.has(Cause.MALFORMED_STATUS_LINE), r::toString);
            assertTrue(f.message().contains("inside the status line"), f::message);
        }
    }

    @Test
    void aHeadCutByFinIsA502EvenForAGatewayThatStreamsTheHead() {
        // with a Content-Length line (httpcore5 then waits for a body) and without one (it takes an empty body)
        for (String head : List.of("HTTP/1.1 200 OK\r\nServer: t\r\nContent-Length: 40\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Request-Id: abc")) {
            try (FaultServer s = serving(head, false)) {
                Report r = check(s, NGINX_FAST);
                Finding f = Expect.finding(r, Cause.BACKEND_CLOSED_MID_RESPONSE, Severity.ERROR);
                assertEquals(502, f.gatewayStatus(), r::toString);
                assertTrue(f.message().contains("inside the response head"), f::message);
            }
        }
    }

    @Test
    void headerLinesNginxRejectsAreInvalidResponseHeaders() {
        String[][] cases = {
            {"X Spaced: v", "whitespace or a control character in the field name"},
            {"X-Spaced : v", "whitespace or a control character in the field name"},
            {"X-N\u0000ul: v", "whitespace or a control character in the field name"},
            {"X-C\u0001tl: v", "whitespace or a control character in the field name"},
            {"X-Folded: a\r\n  b", "an obs-fold continuation line"},
            {"X-Cr: a\rb", "a bare CR"},
        };
        for (String[] c : cases) {
            String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + c[0] + "\r\nContent-Length: 2\r\n\r\nok";
            try (FaultServer s = FaultServer.plain(FaultServer.respond(response))) {
                Report r = check(s, NGINX_FAST);
                Finding f = Expect.finding(r, Cause.INVALID_RESPONSE_HEADER, Severity.ERROR);
                assertEquals(502, f.gatewayStatus(), r::toString);
                assertTrue(Expect.evidence(f, "problem").startsWith(c[1]), () -> c[0] + ": " + r);
            }
        }
    }

    @Test
    void headerLinesNginxAcceptsStayHealthy() {
        for (String line : List.of("X-Ctl: a\u0001b", "X-Del: a\u007fb", "X-Latin: caf\u00e9", "X-Empty:")) {
            String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" + line + "\r\nContent-Length: 2\r\n\r\nok";
            try (FaultServer s = FaultServer.plain(FaultServer.respond(response))) {
                Report r = check(s, NGINX_FAST);
                assertTrue(r.isHealthy(), () -> line + ": " + r);
            }
        }
    }

    @Test
    void theLineRulesAsATable() {
        assertNull(HeadLines.problem("Content-Type: text/plain"));
        assertNull(HeadLines.problem("X-Tab:\tvalue"));
        assertEquals("a NUL byte", HeadLines.problem("X-Nul-In-Value: a\u0000b"), "issue 13 case 5");
        assertEquals("an obs-fold continuation line (RFC 9112 section 5.2)", HeadLines.problem("\tfolded"));
        assertEquals("a bare CR (RFC 9112 section 2.2)", HeadLines.problem("X: a\rb"));
        assertTrue(HeadLines.problem("X\u007fY: v").startsWith("whitespace or a control character"));
        assertTrue(RequestCheck.isStatusLinePrefix("HTTP/1.1 2"));
        assertTrue(RequestCheck.isStatusLinePrefix("HTTP/1.1 200 O"));
        assertTrue(RequestCheck.isStatusLinePrefix("HT"));
        assertFalse(RequestCheck.isStatusLinePrefix("http/1.1 200"));
        assertFalse(RequestCheck.isStatusLinePrefix("HTTP/1.1 2000"));
        assertFalse(RequestCheck.isStatusLinePrefix("HTTP/1.1 20 OK"));
        assertFalse(RequestCheck.isStatusLinePrefix(""));
    }

    @Test
    void aProfileSaysWhetherItStreamsTheHeadAndMayAnswerNoStatusOfItsOwn() {
        assertTrue(GatewayProfile.NGINX.streamsResponseHead());
        assertFalse(GatewayProfile.GENERIC.streamsResponseHead());
        assertEquals(0, dev.gatewaycheck.core.judge.Judge.status(Cause.MALFORMED_STATUS_LINE, GatewayProfile.NGINX));
        GatewayProfile derived = GatewayProfile.GENERIC.toBuilder().streamsResponseHead(true)
                .status(Cause.MALFORMED_STATUS_LINE, 0).build();
        assertTrue(derived.toBuilder().build().streamsResponseHead());
        assertEquals(derived, derived.toBuilder().build());
        assertTrue(derived.toString().contains("streamsResponseHead"), derived::toString);
    }
}
