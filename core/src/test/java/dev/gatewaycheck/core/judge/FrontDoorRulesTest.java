package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport.Hop;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The front door judged without a socket: one row per rule, from its answer (or its failure to answer) and the
 * backends' direct reports to the findings about the front door, the profile that judges and the faulty hop.
 */
class FrontDoorRulesTest {
    private static final String URL = "https://www.example.test/";
    private static final String NGINX_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>";

    private static HttpObservation answer(int status, String body, String... headers) {
        List<HttpObservation.Header> hs = new ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            hs.add(new HttpObservation.Header(h.substring(0, colon), h.substring(colon + 1).strip()));
        }
        return new HttpObservation(status, status == 200 ? "OK" : "Bad Gateway", "HTTP/1.1", hs, body, false,
                Duration.ZERO, Duration.ZERO, null);
    }

    private static FrontDoorSeen seen(HttpObservation answer) {
        return new FrontDoorSeen(URL, "www.example.test", "127.0.0.1", answer, null);
    }

    /** No answer: the exchange failed with {@code failure} (null: the run's deadline ended it). */
    private static FrontDoorSeen failed(Throwable failure) {
        HttpObservation none = new HttpObservation(0, "", "", List.of(), "", false, null, Duration.ofSeconds(1),
                failure, null, failure == null);
        return new FrontDoorSeen(URL, "www.example.test", "127.0.0.1", none,
                failure == null ? null : FailureClassifier.classify(failure, true));
    }

    private static Report backend(String address, boolean complete, Finding... findings) {
        return ReportSchema.valid(new Report(address, "www.example.test", "generic", Instant.EPOCH,
                new Timings(null, null, null, null, Duration.ZERO), Set.of(Check.TLS), List.of(), List.of(findings),
                complete));
    }

    private static Finding finding(Cause cause, GatewayProfile profile) {
        return Judge.finding(Observation.of(cause, "https://10.0.0.4:443", "seen directly", Evidence.EMPTY), profile);
    }

    /** {@code name, seen, given profile, backends, findings' causes, judging profile, hop, verdict phrase}. */
    static Stream<Arguments> rows() {
        FrontDoorSeen nginx = seen(answer(502, NGINX_502, "Server: nginx/1.22.1"));
        return Stream.of(
                Arguments.of("name did not resolve", new FrontDoorSeen(URL, "www.example.test", null, null, null),
                        null, List.of(), List.of(), GatewayProfile.GENERIC, Hop.FRONT_DOOR,
                        "did not answer at all: fix its address"),
                Arguments.of("refused", failed(new ConnectException("Connection refused")), null, List.of(),
                        List.of(Cause.CONNECTION_REFUSED), GatewayProfile.GENERIC, Hop.FRONT_DOOR,
                        "did not answer at all (CONNECTION_REFUSED)"),
                Arguments.of("unnamed failure", failed(new IOException("odd")), null, List.of(), List.of(),
                        GatewayProfile.GENERIC, Hop.FRONT_DOOR, "did not answer at all (java.io.IOException: odd)"),
                Arguments.of("deadline", failed(null), null, List.of(), List.of(), GatewayProfile.GENERIC,
                        Hop.FRONT_DOOR, "(no answer within the deadline)"),
                Arguments.of("no error", seen(answer(200, "hello", "Server: nginx")), null,
                        List.of(backend("https://10.0.0.4:443", true, finding(Cause.CONNECTION_REFUSED,
                                GatewayProfile.GENERIC))), List.of(), GatewayProfile.GENERIC, Hop.NONE,
                        "answered 200 OK: no gateway error to explain, though 1 backend(s) fail directly"),
                Arguments.of("no fingerprint", seen(answer(502, "bad gateway")), null, List.of(),
                        List.of(Cause.BACKEND_RETURNED_GATEWAY_ERROR), GatewayProfile.GENERIC, Hop.UNDETERMINED,
                        "the front door answered 502; give the backends"),
                Arguments.of("nginx, no backends", nginx, null, List.of(), List.of(Cause.FRONTEND_GATEWAY_ERROR),
                        GatewayProfile.NGINX, Hop.UNDETERMINED, "nginx answered 502; give the backends"),
                Arguments.of("given profile", nginx, GatewayProfile.AWS_ALB, List.of(),
                        List.of(Cause.FRONTEND_GATEWAY_ERROR), GatewayProfile.AWS_ALB, Hop.UNDETERMINED,
                        "nginx answered 502"),
                Arguments.of("words name the front door itself", seen(answer(503, "error",
                        "X-Cache: LambdaExecutionError from cloudfront", "Server: CloudFront")), null, List.of(),
                        List.of(Cause.FRONTEND_GATEWAY_ERROR, Cause.EDGE_FUNCTION_ERROR),
                        GatewayProfile.AWS_CLOUDFRONT, Hop.FRONT_DOOR,
                        "names the cause itself, EDGE_FUNCTION_ERROR: 'X-Cache: LambdaExecutionError from cloudfront'"),
                Arguments.of("failing backend, as the words say", seen(answer(503, "upstream connect error or "
                        + "disconnect/reset before headers. reset reason: connection failure, transport failure "
                        + "reason: delayed connect error: 111", "Server: envoy")), null,
                        List.of(backend("https://10.0.0.4:443", true, finding(Cause.CONNECTION_REFUSED,
                                GatewayProfile.ENVOY))), List.of(Cause.FRONTEND_GATEWAY_ERROR),
                        GatewayProfile.ENVOY, Hop.BACKEND, "Envoy answered 503 because the hop behind it fails: "
                                + "https://10.0.0.4:443 answers CONNECTION_REFUSED when asked directly with Host "
                                + "www.example.test, which is what Envoy says"),
                Arguments.of("certificate problem", nginx, null,
                        List.of(backend("https://10.0.0.4:443", true, finding(Cause.TLS_CERT_EXPIRED,
                                GatewayProfile.AWS_ALB))), List.of(Cause.FRONTEND_GATEWAY_ERROR),
                        GatewayProfile.NGINX, Hop.UNDETERMINED, "presents a certificate problem (TLS_CERT_EXPIRED)"),
                Arguments.of("backend cut short", nginx, null, List.of(backend("https://10.0.0.4:443", false)),
                        List.of(Cause.FRONTEND_GATEWAY_ERROR), GatewayProfile.NGINX, Hop.UNDETERMINED,
                        "1 of 1 backend check(s) were cut short"),
                Arguments.of("healthy backends", nginx, null, List.of(backend("https://10.0.0.4:443", true)),
                        List.of(Cause.FRONTEND_GATEWAY_ERROR), GatewayProfile.NGINX, Hop.FRONT_DOOR,
                        "Every backend answers directly with Host www.example.test, yet nginx answers 502"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void judgesTheAnswerAndNamesTheHop(String name, FrontDoorSeen seen, GatewayProfile given, List<Report> backends,
                                       List<Cause> causes, GatewayProfile judging, Hop hop, String phrase) {
        List<Finding> transport = FrontDoorRules.of(seen).stream()
                .map(o -> Judge.finding(o, GatewayProfile.GENERIC)).toList();
        FrontDoorRules.Answer a = FrontDoorRules.answer(seen, given);
        List<Cause> found = Stream.concat(transport.stream(), a.findings().stream()).map(Finding::cause).toList();
        assertEquals(causes, found, name);
        assertEquals(judging, a.profile(), name);
        FrontDoorRules.Verdict v = FrontDoorRules.verdict(seen, a, transport, backends);
        assertEquals(hop, v.hop(), v::text);
        assertTrue(v.text().contains(phrase), v::text);
    }
}
