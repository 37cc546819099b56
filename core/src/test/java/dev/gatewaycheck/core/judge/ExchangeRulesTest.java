package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.BackendHttp2;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.BodyExchange;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.RawPeek;
import dev.gatewaycheck.core.judge.ExchangeRules.Attempt;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forwarded request's rules ({@link ExchangeRules}, {@link H2Rules}, {@link UploadRules}), one row each, without
 * a socket: a seen record in, the cause (or nothing) and one key piece of evidence out. {@link #everyCauseHasARow}
 * pins that the rows cover every cause these rules can name.
 */
class ExchangeRulesTest {

    static final Target PLAIN = new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), false,
            "app.test", "/health");
    static final Target TLS = new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8443), true,
            "app.test", "/health");
    /** Request timeout 10 s, TLS handshake 10 s, response headers up to 1024 bytes, HTTP/2 required. */
    static final GatewayProfile P = GatewayProfile.GENERIC.toBuilder().requestTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(1024).backendHttp2(BackendHttp2.REQUIRED).build();
    static final Duration QUICK = Duration.ofMillis(5);
    static final Duration LONG = Duration.ofSeconds(11);

    /** Every cause the forwarded request's rules can name. */
    static final Set<Cause> CAUSES = EnumSet.of(Cause.BACKEND_DNS_RESOLUTION_FAILURE, Cause.CONNECT_TIMEOUT,
            Cause.HOST_UNREACHABLE, Cause.CONNECTION_REFUSED, Cause.PROTOCOL_PORT_MISMATCH,
            Cause.BACKEND_RESET_CONNECTION, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, Cause.BACKEND_CLOSED_MID_RESPONSE,
            Cause.MALFORMED_STATUS_LINE, Cause.INVALID_RESPONSE_HEADER, Cause.CONFLICTING_FRAMING_HEADERS,
            Cause.INVALID_CHUNKED_ENCODING, Cause.RESPONSE_HEADER_TOO_LARGE, Cause.RESPONSE_TIMEOUT,
            Cause.TLS_HANDSHAKE_TIMEOUT, Cause.TLS_PROTOCOL_VERSION_MISMATCH, Cause.TLS_NO_SHARED_CIPHER,
            Cause.BACKEND_REQUIRES_CLIENT_CERT, Cause.TLS_SNI_REQUIRED_NOT_SENT, Cause.REQUEST_LOOP_DETECTED,
            Cause.BACKEND_RETURNED_GATEWAY_ERROR, Cause.BACKEND_APP_NOT_DEPLOYED, Cause.HTTP2_ALPN_MISCONFIGURED,
            Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Cause.REQUEST_NOT_READ_BY_BACKEND);

    // ---- building seen records ------------------------------------------------------------------------------

    static List<HttpObservation.Header> headers(String... lines) {
        List<HttpObservation.Header> hs = new ArrayList<>();
        for (String h : lines) {
            int colon = h.indexOf(':');
            hs.add(new HttpObservation.Header(h.substring(0, colon), h.substring(colon + 1).strip()));
        }
        return hs;
    }

    /** A whole answer, its head after {@code firstByte}. */
    static HttpObservation answer(int status, Duration firstByte, String body, String... headers) {
        return new HttpObservation(status, "Reason", "HTTP/1.1", headers(headers), body, false, firstByte,
                firstByte, null, Duration.ZERO, false);
    }

    static HttpObservation answer(int status, String body, String... headers) {
        return answer(status, QUICK, body, headers);
    }

    /** No head: {@code failure} after {@code total}. */
    static HttpObservation failed(Throwable failure, Duration total) {
        return new HttpObservation(0, "", "", List.of(), "", false, null, total, failure, null, false);
    }

    static HttpObservation failed(Throwable failure) {
        return failed(failure, QUICK);
    }

    /** A 200 head, then {@code failure} in the body, the backend silent for {@code quiet} at the end. */
    static HttpObservation brokeAfterHead(Throwable failure, Duration quiet) {
        return new HttpObservation(200, "OK", "HTTP/1.1", headers("Content-Length: 100"), "", false, QUICK,
                quiet.plus(QUICK), failure, quiet, false);
    }

    static RawPeek.Result peek(String bytes, RawPeek.End end) {
        return new RawPeek.Result(bytes, end, QUICK);
    }

    /** {@code x} with what its failure showed on the wire, no second look yet. */
    static ExchangeSeen ex(Target t, HttpObservation x) {
        return new ExchangeSeen(t, x, x.failure() == null ? null : FailureClassifier.classify(x.failure(), t.tls()));
    }

    static List<Observation> seen(Target t, HttpObservation x) {
        return ExchangeRules.of(ex(t, x).withLooks(null, null, null, true), P);
    }

    static List<Observation> peeked(Target t, HttpObservation x, RawPeek.Result peek) {
        return ExchangeRules.of(ex(t, x).withLooks(null, peek, null, true), P);
    }

    static SSLHandshakeException alert(String message) {
        return new SSLHandshakeException(message);
    }

    static ConnectTimeoutException handshakeReadTimeout() {
        ConnectTimeoutException e = new ConnectTimeoutException("Connect to https://127.0.0.1:8443 failed");
        e.initCause(new SocketTimeoutException("Read timed out"));
        return e;
    }

    static H2Seen h2(String alpn, H2Seen.End end, boolean settings, boolean cutShort) {
        return new H2Seen(TLS, alpn, "TLSv1.3", settings, 0, end == H2Seen.End.GOAWAY ? "PROTOCOL_ERROR" : null,
                null, end == H2Seen.End.RST_STREAM ? "REFUSED_STREAM" : null,
                end == H2Seen.End.PROTOCOL_ERROR ? "the backend's first frame is not SETTINGS but HEADERS" : null,
                end, settings ? List.of("SETTINGS") : List.of(), QUICK, cutShort);
    }

    static BodyExchange.Head head(int status, long bodyBytesWritten) {
        return new BodyExchange.Head(status, "Reason", List.of(), QUICK, bodyBytesWritten);
    }

    static List<Observation> upload(List<BodyExchange.Head> interims, BodyExchange.Head response,
                                    Duration stalledFor, boolean cutShort) {
        return UploadRules.of(new UploadSeen(PLAIN, new BodyExchange.Observation("POST", 1000, interims, response,
                stalledFor == null ? 1000 : 200, stalledFor == null, stalledFor, Duration.ofSeconds(10),
                stalledFor == null ? "OPEN" : "TIMEOUT", QUICK, null), cutShort));
    }

    static SeriesSeen series(HttpObservation... attempts) {
        return new SeriesSeen(Stream.of(attempts).map(x -> ex(PLAIN, x)).toList(), Duration.ZERO);
    }

    static Arguments row(String rule, List<Observation> observed, Cause cause, String key, String value) {
        return Arguments.of(rule, observed, cause, key, value);
    }

    static Arguments none(String rule, List<Observation> observed) {
        return Arguments.of(rule, observed, null, null, null);
    }

    // ---- the rows -------------------------------------------------------------------------------------------

    static Stream<Arguments> rows() {
        String statusOnly = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc";
        return Stream.of(
                // transport failures before any head
                row("unknown host", seen(PLAIN, failed(new UnknownHostException("app.test"))),
                        Cause.BACKEND_DNS_RESOLUTION_FAILURE, "exception", "java.net.UnknownHostException"),
                row("connect timeout", seen(PLAIN, failed(new ConnectTimeoutException("Connect timed out"))),
                        Cause.CONNECT_TIMEOUT, "elapsedSeconds", "0.005"),
                row("no route", seen(PLAIN, failed(new NoRouteToHostException("No route to host"))),
                        Cause.HOST_UNREACHABLE, "exceptionMessage", "No route to host"),
                row("refused", seen(PLAIN, failed(new ConnectException("Connection refused"))),
                        Cause.CONNECTION_REFUSED, "request", "GET /health"),
                row("head over httpcore5's line limit", seen(PLAIN, failed(new MessageConstraintException(
                        "Maximum line length limit exceeded"))), Cause.RESPONSE_HEADER_TOO_LARGE, "host", "app.test"),
                row("TLS version alert", seen(TLS, failed(alert("Received fatal alert: protocol_version"))),
                        Cause.TLS_PROTOCOL_VERSION_MISMATCH, "exception", "javax.net.ssl.SSLHandshakeException"),
                row("client certificate alert", seen(TLS, failed(alert("Received fatal alert: bad_certificate"))),
                        Cause.BACKEND_REQUIRES_CLIENT_CERT, "exceptionMessage", "Received fatal alert: bad_certificate"),
                row("SNI alert", seen(TLS, failed(alert("Received fatal alert: unrecognized_name"))),
                        Cause.TLS_SNI_REQUIRED_NOT_SENT, "request", "GET /health"),
                row("handshake_failure alert", seen(TLS, failed(alert("Received fatal alert: handshake_failure"))),
                        Cause.TLS_NO_SHARED_CIPHER, "request", "GET /health"),
                row("TLS to a plain port", seen(TLS, failed(new SSLException(
                        "Unsupported or unrecognized SSL message"))), Cause.PROTOCOL_PORT_MISMATCH, "exception",
                        "javax.net.ssl.SSLException"),
                row("plain to a TLS port (handshake succeeds)", ExchangeRules.of(ex(PLAIN,
                        failed(new NoHttpResponseException("failed to respond"))).withLooks(true, null, null, true), P),
                        Cause.PROTOCOL_PORT_MISMATCH, "portSpeaks", "https"),
                row("handshake past the gateway's timeout", seen(TLS, failed(handshakeReadTimeout(), LONG)),
                        Cause.TLS_HANDSHAKE_TIMEOUT, "gatewayTlsHandshakeTimeoutSeconds", "10"),
                none("handshake cut by the run's deadline first", seen(TLS, failed(handshakeReadTimeout(),
                        Duration.ofSeconds(3)))),
                row("no head within the timeout", seen(PLAIN, failed(new SocketTimeoutException("Read timed out"),
                        LONG)), Cause.RESPONSE_TIMEOUT, "gatewayRequestTimeoutSeconds", "10"),
                none("no head, but the wait was shorter than the gateway's",
                        seen(PLAIN, failed(new SocketTimeoutException("Read timed out"), Duration.ofSeconds(4)))),
                none("the run cut the exchange short", seen(PLAIN, new HttpObservation(0, "", "", List.of(), "",
                        false, null, QUICK, new SocketException("Socket closed"), null, true))),
                row("FIN without a byte", peeked(PLAIN, failed(new NoHttpResponseException("failed to respond")),
                        peek("", RawPeek.End.FIN)), Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, "end", "FIN"),
                row("RST before answering", peeked(PLAIN, failed(new SocketException("Connection reset")),
                        peek("", RawPeek.End.RST)), Cause.BACKEND_RESET_CONNECTION, "secondLookEnd", "RST"),
                row("malformed status line", peeked(PLAIN, failed(new ProtocolException("Invalid response")),
                        peek("HTX/1.1 200 OK\r\n\r\n", RawPeek.End.FIN)), Cause.MALFORMED_STATUS_LINE, "firstLine",
                        "HTX/1.1 200 OK\\r\\n"),
                row("FIN inside the status line", peeked(PLAIN, failed(new ProtocolException("Invalid response")),
                        peek("HTTP/1.1 2", RawPeek.End.FIN)), Cause.BACKEND_CLOSED_MID_RESPONSE, "end", "FIN"),
                row("invalid header line", peeked(PLAIN, failed(new ProtocolException("Invalid header: X Broken")),
                        peek("HTTP/1.1 200 OK\r\nX Broken header line\r\n\r\n", RawPeek.End.FIN)),
                        Cause.INVALID_RESPONSE_HEADER, "offendingHeader", "X Broken header line"),
                row("duplicate Content-Length httpcore5 rejects", peeked(PLAIN, failed(new ProtocolException(
                        "Invalid content length")), peek("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6"
                        + "\r\n\r\n", RawPeek.End.FIN)), Cause.CONFLICTING_FRAMING_HEADERS, "offendingHeader",
                        "Content-Length: 6"),
                // transport failures after a whole head
                row("RST after the head", peeked(PLAIN, brokeAfterHead(new SocketException("Connection reset"),
                        QUICK), peek(statusOnly, RawPeek.End.RST)), Cause.BACKEND_RESET_CONNECTION, "end", "RST"),
                row("stalled mid-body past the timeout", seen(PLAIN, brokeAfterHead(new SocketTimeoutException(
                        "Read timed out"), LONG)), Cause.RESPONSE_TIMEOUT, "elapsedSeconds", "11.005"),
                row("broken chunk after the head", peeked(PLAIN, brokeAfterHead(new MalformedChunkCodingException(
                        "Bad chunk header"), QUICK), peek(statusOnly, RawPeek.End.FIN)),
                        Cause.INVALID_CHUNKED_ENCODING, "exception",
                        "org.apache.hc.core5.http.MalformedChunkCodingException"),
                row("body cut short", peeked(PLAIN, brokeAfterHead(new ConnectionClosedException(
                        "Premature end of Content-Length delimited message body"), QUICK),
                        peek(statusOnly, RawPeek.End.FIN)), Cause.BACKEND_CLOSED_MID_RESPONSE, "exception",
                        "org.apache.hc.core5.http.ConnectionClosedException"),
                row("FIN inside the head httpcore5 took for whole", peeked(PLAIN, brokeAfterHead(
                        new ConnectionClosedException("Premature end"), QUICK),
                        peek("HTTP/1.1 200 OK\r\nX-A: 1\r\n", RawPeek.End.FIN)), Cause.BACKEND_CLOSED_MID_RESPONSE,
                        "lastBytes", "HTTP/1.1 200 OK\\r\\nX-A: 1\\r\\n"),
                // the answer
                none("a plain 200", seen(PLAIN, answer(200, "hello"))),
                row("a TLS port's page for plain HTTP", ExchangeRules.of(ex(PLAIN, answer(400,
                        "The plain HTTP request was sent to HTTPS port")).withLooks(null, null,
                        "the plain http request was sent to https port", true), P), Cause.PROTOCOL_PORT_MISMATCH,
                        "page", "the plain http request was sent to https port"),
                row("first byte past the timeout", seen(PLAIN, answer(200, LONG, "late")), Cause.RESPONSE_TIMEOUT,
                        "firstByteSeconds", "11"),
                row("head larger than the gateway accepts", seen(PLAIN, answer(200, "",
                        "X-Big: " + "x".repeat(2000))), Cause.RESPONSE_HEADER_TOO_LARGE, "largestHeader", "X-Big"),
                row("Content-Length and Transfer-Encoding", seen(PLAIN, answer(200, "", "Content-Length: 5",
                        "Transfer-Encoding: chunked")), Cause.CONFLICTING_FRAMING_HEADERS, "transferEncoding",
                        "chunked"),
                row("two Content-Lengths", seen(PLAIN, answer(200, "", "Content-Length: 5", "Content-Length: 6")),
                        Cause.CONFLICTING_FRAMING_HEADERS, "contentLength", "5, 6"),
                row("a Via chain naming a hop twice", seen(PLAIN, answer(200, "", "Via: 1.1 edge, 1.1 mid",
                        "Via: 1.1 edge")), Cause.REQUEST_LOOP_DETECTED, "repeatedHop", "edge"),
                row("the gateway's own fingerprint", ExchangeRules.of(ex(PLAIN, answer(200, "",
                        "X-Amz-Cf-Id: abc==")), GatewayProfile.AWS_CLOUDFRONT),
                        Cause.REQUEST_LOOP_DETECTED, "gatewayFingerprint", "X-Amz-Cf-Id: abc=="),
                row("the backend's own 503", seen(PLAIN, answer(503, "busy", "Server: app")),
                        Cause.BACKEND_RETURNED_GATEWAY_ERROR, "server", "app"),
                row("404 for the path", seen(PLAIN, answer(404, "")), Cause.BACKEND_APP_NOT_DEPLOYED, "status", "404"),
                row("a default page", seen(PLAIN, answer(200, "<title>Welcome to nginx!</title>")),
                        Cause.BACKEND_APP_NOT_DEPLOYED, "defaultPage", "welcome to nginx!"),
                // the series
                row("a share of the series resets", ExchangeRules.share(series(answer(200, ""),
                        failed(new SocketException("Connection reset")), answer(200, "")), P),
                        Cause.BACKEND_RESET_CONNECTION, "outcomes", "200,BACKEND_RESET_CONNECTION,200"),
                row("a share of the series answers 503", ExchangeRules.share(series(answer(503, ""),
                        answer(200, "")), P), Cause.BACKEND_RETURNED_GATEWAY_ERROR, "failureShare", "0.50"),
                none("a series that passes", ExchangeRules.share(series(answer(200, ""), answer(200, "")), P)),
                none("a series that always fails", ExchangeRules.share(series(failed(new SocketException(
                        "Connection reset")), failed(new SocketException("Connection reset"))), P)),
                // the raw head of the body's second look
                row("status line not HTTP/DIGIT.DIGIT", ExchangeRules.head(new HeadSeen(PLAIN, 200, "HTTP/1 200 OK",
                        List.of(), null, null, false)), Cause.MALFORMED_STATUS_LINE, "firstLine", "HTTP/1 200 OK"),
                row("a header line gateways reject", ExchangeRules.head(new HeadSeen(PLAIN, 200, "HTTP/1.1 200 OK",
                        List.of("X-Trace: a\u0000b"), "X-Trace: a\u0000b", HeadSeen.LineFault.NUL, false)),
                        Cause.INVALID_RESPONSE_HEADER, "problem", "a NUL byte"),
                row("FIN before the head's blank line", ExchangeRules.head(new HeadSeen(PLAIN, 200,
                        "HTTP/1.1 200 OK", List.of("X-A: 1"), null, null, true)), Cause.BACKEND_CLOSED_MID_RESPONSE,
                        "headerLinesReceived", "1"),
                none("no status line read", ExchangeRules.head(new HeadSeen(PLAIN, 0, "", List.of(), null, null,
                        true))),
                // HTTP/2 to the backend
                row("h2 required, http/1.1 selected", H2Rules.of(h2("http/1.1", H2Seen.End.NOT_H2, false, false), P),
                        Cause.HTTP2_ALPN_MISCONFIGURED, "alpnSelected", "http/1.1"),
                none("h2 offered, http/1.1 selected", H2Rules.of(h2("http/1.1", H2Seen.End.NOT_H2, false, false),
                        P.toBuilder().backendHttp2(BackendHttp2.OFFERED).build())),
                row("GOAWAY instead of an answer", H2Rules.of(h2("h2", H2Seen.End.GOAWAY, true, false), P),
                        Cause.HTTP2_ALPN_MISCONFIGURED, "goAway", "PROTOCOL_ERROR"),
                row("stream reset", H2Rules.of(h2("h2", H2Seen.End.RST_STREAM, true, false), P),
                        Cause.HTTP2_ALPN_MISCONFIGURED, "rstStream", "REFUSED_STREAM"),
                row("not HTTP/2 after selecting h2", H2Rules.of(h2("h2", H2Seen.End.PROTOCOL_ERROR, false, false), P),
                        Cause.HTTP2_ALPN_MISCONFIGURED, "end", "PROTOCOL_ERROR"),
                row("silence after the preface", H2Rules.of(h2("h2", H2Seen.End.TIMEOUT, false, false), P),
                        Cause.HTTP2_ALPN_MISCONFIGURED, "settingsReceived", "false"),
                none("silence the run's deadline ended", H2Rules.of(h2("h2", H2Seen.End.TIMEOUT, true, true), P)),
                row("FIN after SETTINGS", H2Rules.of(h2("h2", H2Seen.End.FIN, true, false), P),
                        Cause.HTTP2_ALPN_MISCONFIGURED, "end", "FIN"),
                none("an h2 response", H2Rules.of(h2("h2", H2Seen.End.RESPONSE, true, false), P)),
                none("a handshake that fails (the TLS check's)", H2Rules.of(h2("", H2Seen.End.ERROR, false, false),
                        P)),
                // the upload before the GET
                row("101 nobody asked for", upload(List.of(head(101, 0)), head(200, 1000), null, false),
                        Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, "kind", "switching-protocols"),
                row("two 100 Continue", upload(List.of(head(100, 0), head(100, 500)), head(200, 1000), null, false),
                        Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, "kind", "second-continue"),
                row("an interim 103", upload(List.of(head(103, 0)), head(200, 1000), null, false),
                        Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, "kind", "unsupported-interim"),
                row("200 before the body was read", upload(List.of(), head(200, 10), null, false),
                        Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, "kind", "early-response"),
                none("100 Continue, then 200", upload(List.of(head(100, 0)), head(200, 1000), null, false)),
                row("the body stops being read", upload(List.of(), null, Duration.ofSeconds(10), false),
                        Cause.REQUEST_NOT_READ_BY_BACKEND, "stalledForSeconds", "10"),
                none("a stall the run's deadline ended", upload(List.of(), null, Duration.ofSeconds(10), true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rule(String rule, List<Observation> observed, Cause cause, String key, String value) {
        if (cause == null) {
            assertEquals(List.of(), observed, rule);
            return;
        }
        assertEquals(1, observed.size(), () -> rule + ": " + observed);
        Observation o = observed.get(0);
        assertEquals(cause, o.cause(), rule);
        assertEquals(value, o.evidence().get(key).orElse(null), () -> rule + ": " + o.evidence());
    }

    @Test
    void everyCauseHasARow() {
        Set<Cause> covered = EnumSet.noneOf(Cause.class);
        rows().map(a -> (Cause) a.get()[2]).filter(c -> c != null).forEach(covered::add);
        assertEquals(CAUSES, covered);
    }

    @Test
    void qualifiersAndRemedies() {
        Observation near = seen(PLAIN, answer(200, Duration.ofSeconds(9), "")).get(0);
        assertTrue(near.has(Qualifier.NEAR_LIMIT), near::toString);
        assertTrue(!seen(PLAIN, answer(200, LONG, "")).get(0).has(Qualifier.NEAR_LIMIT));
        Observation alone = seen(PLAIN, answer(503, "")).get(0);
        assertEquals(ExchangeRules.NO_NEXT_TIER_REMEDY, alone.remedy());
        assertEquals(503, alone.answeredStatus());
        assertEquals(null, seen(PLAIN, answer(503, "", "Via: 1.1 upstream")).get(0).remedy());
        Observation unprobed = ExchangeRules.of(ex(PLAIN, answer(404, "")), P).get(0);
        assertTrue(unprobed.has(Qualifier.NO_HEALTH_PROBE));
        assertTrue(!seen(PLAIN, answer(404, "")).get(0).has(Qualifier.NO_HEALTH_PROBE));
        Observation midBody = seen(PLAIN, brokeAfterHead(new SocketTimeoutException("Read timed out"), LONG)).get(0);
        assertTrue(midBody.has(Qualifier.AFTER_HEAD));
        assertEquals(200, midBody.answeredStatus());
    }

    @Test
    void attemptsOfASeries() {
        Duration timeout = P.requestTimeout();
        assertEquals(Attempt.PASSED, ExchangeRules.attempt(ex(PLAIN, answer(200, "")), timeout));
        assertEquals(Attempt.FAILED, ExchangeRules.attempt(ex(PLAIN, answer(502, "")), timeout));
        assertEquals(Attempt.FAILED, ExchangeRules.attempt(ex(PLAIN, failed(new SocketException("Connection reset"))),
                timeout));
        assertEquals(Attempt.TIMED_OUT, ExchangeRules.attempt(ex(PLAIN, failed(new SocketTimeoutException(
                "Read timed out"), LONG)), timeout));
        assertEquals(Attempt.NOTHING, ExchangeRules.attempt(ex(PLAIN, failed(new SocketTimeoutException(
                "Read timed out"), Duration.ofSeconds(2))), timeout));
        assertEquals(Attempt.NOTHING, ExchangeRules.attempt(ex(PLAIN, failed(new IOException("something odd"))),
                timeout));
    }

    @Test
    void theExchangeJudgedAfterASeries() {
        ExchangeSeen reset = ex(PLAIN, failed(new SocketException("Connection reset")));
        ExchangeSeen ok = ex(PLAIN, answer(200, ""));
        assertSame(ok, ExchangeRules.judged(reset, new SeriesSeen(List.of(reset, ok), Duration.ZERO), P),
                "a passed one, the share is judged apart");
        assertSame(reset, ExchangeRules.judged(reset, new SeriesSeen(List.of(reset, reset), Duration.ZERO), P),
                "every attempt failed");
        assertSame(reset, ExchangeRules.judged(reset, new SeriesSeen(List.of(), Duration.ZERO), P), "no series");
    }

    @Test
    void secondLooks() {
        HttpObservation fin = failed(new NoHttpResponseException("failed to respond"));
        assertTrue(ExchangeRules.needsTlsProbe(ex(PLAIN, fin)));
        assertTrue(!ExchangeRules.needsTlsProbe(ex(TLS, fin)));
        assertTrue(ExchangeRules.needsPeek(ex(PLAIN, fin), false));
        assertTrue(!ExchangeRules.needsPeek(ex(PLAIN, fin), true), "the port speaks TLS: no raw GET");
        assertTrue(!ExchangeRules.needsPeek(ex(PLAIN, failed(new ConnectException("Connection refused"))), null));
        assertTrue(ExchangeRules.needsPeek(ex(PLAIN, brokeAfterHead(new MalformedChunkCodingException("Bad chunk"),
                QUICK)), null));
        assertTrue(!ExchangeRules.needsPeek(ex(PLAIN, failed(new MalformedChunkCodingException("Bad chunk"))), null));
    }
}
