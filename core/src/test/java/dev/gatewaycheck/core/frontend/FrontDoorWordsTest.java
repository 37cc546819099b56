package dev.gatewaycheck.core.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.judge.Fingerprint;
import dev.gatewaycheck.core.judge.FrontDoorWords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mapping of {@link FrontDoorWords}, each against a response recorded in public (the address in each row says
 * where it was published) or, for the codes whose body is the product's generic page, built as that page. The real
 * nginx and HAProxy answers are in {@link FrontDoorWordsRealServerTest}.
 */
class FrontDoorWordsTest {

    /** A response as recorded: status, headers as {@code Name: value}, body. */
    static HttpObservation recorded(int status, String body, String... headers) {
        List<HttpObservation.Header> hs = new ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            hs.add(new HttpObservation.Header(h.substring(0, colon), h.substring(colon + 1).strip()));
        }
        return new HttpObservation(status, "", "HTTP/1.1", List.copyOf(hs), body, false, Duration.ZERO,
                Duration.ZERO, null);
    }

    static final String ENVOY = "upstream connect error or disconnect/reset before headers. ";

    static Stream<Arguments> mappings() {
        return Stream.of(
                // Envoy: body format router.cc, reset reasons utility.cc
                Arguments.of("https://github.com/ygalblum/quadlet-demo/issues/8", "Envoy", recorded(503, ENVOY
                        + "reset reason: connection failure, transport failure reason: delayed connect error: 111",
                        "server: envoy"), List.of(Cause.CONNECTION_REFUSED), FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/consul-up/examples/issues/2", "Envoy", recorded(503, ENVOY
                        + "reset reason: connection failure, transport failure reason: delayed connect error: 113"),
                        List.of(Cause.HOST_UNREACHABLE), FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/jito-labs/shredstream-proxy/issues/34", "Envoy", recorded(503, ENVOY
                        + "reset reason: remote connection failure, transport failure reason: delayed connect "
                        + "error: 113"), List.of(Cause.HOST_UNREACHABLE), FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/envoyproxy/envoy/issues/24812", "Envoy", recorded(503, ENVOY
                        + "reset reason: connection failure"), List.of(Cause.CONNECTION_REFUSED,
                        Cause.CONNECT_TIMEOUT, Cause.HOST_UNREACHABLE), FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/istio/istio/issues/47052", "Envoy", recorded(503, ENVOY
                        + "reset reason: connection termination"), List.of(Cause.BACKEND_CLOSED_WITHOUT_RESPONSE,
                        Cause.BACKEND_RESET_CONNECTION, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY),
                        FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/abyssparanoia/rapid-go/issues/197", "Envoy", recorded(503, ENVOY
                        + "reset reason: remote reset"), List.of(Cause.BACKEND_RESET_CONNECTION),
                        FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/ProletRevDicta/Prolet/issues/1131", "Envoy", recorded(503, ENVOY
                        + "reset reason: overflow"), List.of(Cause.GATEWAY_INTERNAL_TRANSIENT),
                        FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("Envoy source: ProtocolError -> \"protocol error\" (utility.cc)", "Envoy", recorded(502,
                        ENVOY + "reset reason: protocol error"), List.of(Cause.MALFORMED_STATUS_LINE,
                        Cause.INVALID_RESPONSE_HEADER, Cause.CONFLICTING_FRAMING_HEADERS,
                        Cause.INVALID_CHUNKED_ENCODING), FrontDoorWords.ENVOY_RESET_REASONS),
                Arguments.of("https://github.com/renuka-fernando/examples/blob/main/envoy/simple/README.md (UH)",
                        "Envoy", recorded(503, "no healthy upstream"), List.of(Cause.ALL_BACKENDS_UNHEALTHY,
                        Cause.EMPTY_BACKEND_POOL), FrontDoorWords.ENVOY_FLAGS),
                Arguments.of("https://github.com/renuka-fernando/examples/blob/main/envoy/simple/README.md (UT)",
                        "Envoy", recorded(504, "upstream request timeout"), List.of(Cause.RESPONSE_TIMEOUT),
                        FrontDoorWords.ENVOY_FLAGS),
                // CloudFront
                Arguments.of("https://github.com/GSA/datagov-wptheme/issues/868", "AWS CloudFront",
                        recorded(502, cloudFrontPage(502, "CloudFront wasn't able to connect to the origin. "),
                                "Server: CloudFront", "X-Cache: Error from cloudfront"),
                        List.of(Cause.CONNECTION_REFUSED, Cause.CONNECT_TIMEOUT, Cause.PROTOCOL_PORT_MISMATCH),
                        FrontDoorWords.CLOUDFRONT),
                Arguments.of("https://github.com/chanzuckerberg/single-cell-data-portal/issues/1250", "AWS CloudFront",
                        recorded(504, cloudFrontPage(504, "CloudFront attempted to establish a connection with the "
                                + "origin, but either the attempt failed or the origin closed the connection."),
                                "Server: CloudFront", "X-Cache: Error from cloudfront"),
                        List.of(Cause.CONNECT_TIMEOUT, Cause.RESPONSE_TIMEOUT, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE),
                        FrontDoorWords.CLOUDFRONT),
                Arguments.of("CloudFront's NonS3OriginDnsError page sentence (CF502)", "AWS CloudFront",
                        recorded(502, cloudFrontPage(502, "CloudFront wasn't able to resolve the origin domain "
                                + "name."), "Server: CloudFront", "X-Cache: Error from cloudfront"),
                        List.of(Cause.BACKEND_DNS_RESOLUTION_FAILURE), FrontDoorWords.CLOUDFRONT),
                Arguments.of("https://github.com/Xray-App/xray-code-snippets/issues/9", "AWS CloudFront",
                        recorded(503, cloudFrontPage(503, "The Lambda function associated with the CloudFront "
                                + "distribution is invalid or doesn't have the required permissions."),
                                "Server: CloudFront", "X-Cache: Error from cloudfront"),
                        List.of(Cause.EDGE_FUNCTION_ERROR), FrontDoorWords.CLOUDFRONT_LAMBDA),
                Arguments.of("https://github.com/sirceljm/aws-lambda-blog/issues/20", "AWS CloudFront",
                        recorded(502, cloudFrontPage(502, "The Lambda function returned an invalid request or "
                                + "response to CloudFront."), "Server: CloudFront", "X-Cache: Error from cloudfront"),
                        List.of(Cause.EDGE_FUNCTION_ERROR), FrontDoorWords.CLOUDFRONT_LAMBDA),
                Arguments.of("CloudFront result type LambdaValidationError (x-edge-detailed-result-type)",
                        "AWS CloudFront", recorded(502, "", "X-Cache: LambdaValidationError from cloudfront"),
                        List.of(Cause.EDGE_FUNCTION_ERROR), FrontDoorWords.CLOUDFRONT_LAMBDA),
                Arguments.of("CloudFront result type LambdaExecutionError (x-edge-detailed-result-type)",
                        "AWS CloudFront", recorded(503, "", "X-Cache: LambdaExecutionError from cloudfront"),
                        List.of(Cause.EDGE_FUNCTION_ERROR), FrontDoorWords.CLOUDFRONT_LAMBDA),
                // Cloudflare: one documented page per code
                Arguments.of("https://github.com/coyove/goflyway/issues/119", "Cloudflare",
                        recorded(522, "error code: 522", "Server: cloudflare"), List.of(Cause.CONNECT_TIMEOUT,
                        Cause.REQUEST_NOT_READ_BY_BACKEND, Cause.KEEPALIVE_DISABLED_ON_BACKEND),
                        FrontDoorWords.CLOUDFLARE + "522/"),
                Arguments.of("Cloudflare 521 page", "Cloudflare", recorded(521, "error code: 521",
                        "Server: cloudflare"), List.of(Cause.CONNECTION_REFUSED, Cause.PROTOCOL_PORT_MISMATCH),
                        FrontDoorWords.CLOUDFLARE + "521/"),
                Arguments.of("Cloudflare 523 page", "Cloudflare", recorded(523, "error code: 523",
                        "Server: cloudflare"), List.of(Cause.HOST_UNREACHABLE), FrontDoorWords.CLOUDFLARE + "523/"),
                Arguments.of("Cloudflare 524 page", "Cloudflare", recorded(524, "error code: 524",
                        "Server: cloudflare"), List.of(Cause.RESPONSE_TIMEOUT, Cause.REQUEST_NOT_READ_BY_BACKEND),
                        FrontDoorWords.CLOUDFLARE + "524/"),
                Arguments.of("Cloudflare 526 page", "Cloudflare", recorded(526, "error code: 526",
                        "Server: cloudflare"), List.of(Cause.TLS_CERT_EXPIRED, Cause.TLS_CERT_REVOKED,
                        Cause.TLS_CERT_UNTRUSTED_CA, Cause.TLS_SELF_SIGNED, Cause.TLS_CERT_HOSTNAME_MISMATCH),
                        FrontDoorWords.CLOUDFLARE + "526/"),
                // ALB and Azure: documented status codes
                Arguments.of("ALB 503 (no registered targets)", "AWS Application Load Balancer", recorded(503,
                        "<html><center><h1>503 Service Temporarily Unavailable</h1></center></html>",
                        "Server: awselb/2.0"), List.of(Cause.EMPTY_BACKEND_POOL), FrontDoorWords.ALB),
                Arguments.of("AG502: 'Server Error: 502 - Web server received an invalid response ...'",
                        "Azure Application Gateway", recorded(502, "502 - Web server received an invalid response "
                                + "while acting as a gateway or proxy server.",
                                "Server: Microsoft-Azure-Application-Gateway/v1"),
                        List.of(Cause.BACKEND_DNS_RESOLUTION_FAILURE, Cause.CONNECTION_REFUSED, Cause.CONNECT_TIMEOUT,
                                Cause.ALL_BACKENDS_UNHEALTHY, Cause.EMPTY_BACKEND_POOL, Cause.RESPONSE_TIMEOUT),
                        FrontDoorWords.AZURE),
                Arguments.of("AG502: v2 answers 504 after the request timeout", "Azure Application Gateway v2",
                        recorded(504, "<html><center>Microsoft-Azure-Application-Gateway/v2</center></html>",
                                "Server: Microsoft-Azure-Application-Gateway/v2"), List.of(Cause.RESPONSE_TIMEOUT),
                        FrontDoorWords.AZURE));
    }

    static String cloudFrontPage(int status, String sentence) {
        return "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\" \"http://www.w3.org/TR/html4/loose.dtd\">\n"
                + "<HTML><HEAD><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-1\">\n"
                + "<TITLE>ERROR: The request could not be satisfied</TITLE>\n</HEAD><BODY>\n<H1>" + status
                + " ERROR</H1>\n<H2>The request could not be satisfied.</H2>\n<HR noshade size=\"1px\">\n" + sentence
                + "\nWe can't connect to the server for this app or website at this time. There might be too much "
                + "traffic or a configuration error. Try again later, or contact the app or website owner.\n"
                + "<BR clear=\"all\">\n<HR noshade size=\"1px\">\n<PRE>\nGenerated by cloudfront (CloudFront)\n"
                + "Request ID: HIlJv-iPxkK0f_35ZmXBvNaMqhODQeCCWHEJvmchYdP9NXnlB6NOrA==\n</PRE>\n</BODY></HTML>";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void eachDocumentedAnswerMapsToItsCauses(String recordedAt, String product, HttpObservation obs,
                                            List<Cause> causes, String source) {
        // the fingerprint finds the product the test claims, so the mapping is reached the way FrontDoor reaches it
        assertEquals(product, Fingerprint.identify(obs).map(Fingerprint::product).orElse(""), recordedAt);
        FrontDoorWords w = FrontDoorWords.read(product, obs).orElseThrow(() -> new AssertionError("no words for "
                + recordedAt));
        assertEquals(causes, w.causes(), recordedAt);
        assertEquals(source, w.source(), recordedAt);
        assertTrue(w.source().startsWith("https://"), w::source);
        assertTrue(!w.said().isBlank() && !w.meaning().isBlank(), w::toString);
    }

    @Test
    void theEnvoyAnswerIsQuotedAsWritten() {
        FrontDoorWords w = FrontDoorWords.read("Envoy", recorded(503, ENVOY + "reset reason: connection failure, "
                + "transport failure reason: delayed connect error: 111\n")).orElseThrow();
        assertEquals(ENVOY + "reset reason: connection failure, transport failure reason: delayed connect error: 111",
                w.said());
        assertTrue(w.meaning().contains("errno 111"), w::meaning);
    }

    @Test
    void theCloudFrontSentenceIsQuotedFromThePage() {
        FrontDoorWords w = FrontDoorWords.read("AWS CloudFront", recorded(502, cloudFrontPage(502,
                "CloudFront wasn't able to connect to the origin. "), "X-Cache: Error from cloudfront")).orElseThrow();
        assertEquals("CloudFront wasn't able to connect to the origin.", w.said());
    }

    @Test
    void pagesThatNameNoCauseGiveNoWords() {
        // nginx's 502 page (its error log names the cause, the page does not)
        assertEquals(Optional.empty(), FrontDoorWords.read("nginx", recorded(502, "<html>\r\n<head><title>502 Bad "
                + "Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>"
                + "nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n")));
        // Google's 502 page
        assertEquals(Optional.empty(), FrontDoorWords.read("Google Cloud Load Balancer", recorded(502,
                "<title>Error 502 (Server Error)!!1</title><p>The server encountered a temporary error and could "
                        + "not complete your request.<p>Please try again in 30 seconds.")));
        // CloudFront passing the origin's own error on (X-Cache says Error for those too)
        assertEquals(Optional.empty(), FrontDoorWords.read("AWS CloudFront", recorded(502, "origin says no",
                "X-Cache: Error from cloudfront")));
        // Envoy with a reset reason it does not document as a backend cause, and an unknown product
        assertEquals(Optional.empty(), FrontDoorWords.read("Envoy", recorded(503, ENVOY
                + "reset reason: local refused stream reset")));
        assertEquals(Optional.empty(), FrontDoorWords.read("", recorded(502, "bad gateway")));
        // Cloudflare codes outside 520-527
        assertEquals(Optional.empty(), FrontDoorWords.read("Cloudflare", recorded(502, "bad gateway",
                "Server: cloudflare")));
    }
}
