package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.core.http.HttpObservation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a front door says about its own error answer, mapped to cause ids: Envoy's "upstream connect error or
 * disconnect/reset before headers. reset reason: ...", HAProxy's default 502/503/504 pages, nginx's 504, CloudFront's
 * error-page texts and Lambda@Edge result types, Cloudflare's 520-527 codes, Azure Application Gateway's and ALB's
 * documented status codes. Each mapping cites the public page that documents it ({@link #source()}); the causes are
 * the ones that page lists for what was said, never a guess: a page that names no cause gives no words, and the
 * front door is then only known to say "the hop behind me failed". Pure: no network, no clock.
 *
 * <pre>{@code
 * FrontDoorWords.read("Envoy", observation)
 *         .map(FrontDoorWords::causes);   // Optional[[CONNECTION_REFUSED]] for "... delayed connect error: 111"
 * }</pre>
 *
 * @param said    the words or code the front door answered with, quoted from the response
 * @param meaning what the product's documentation says they mean
 * @param causes  the causes that documentation lists for them (never empty)
 * @param source  the public page that documents the mapping
 */
public record FrontDoorWords(String said, String meaning, List<Cause> causes, String source) {

    /** Envoy's router: the local reply body of an upstream reset (source/common/router/router.cc). */
    public static final String ENVOY_ROUTER =
            "https://github.com/envoyproxy/envoy/blob/main/source/common/router/router.cc";
    /** Envoy's reset-reason strings (Utility::resetReasonToString). */
    public static final String ENVOY_RESET_REASONS =
            "https://github.com/envoyproxy/envoy/blob/main/source/common/http/utility.cc";
    /** Envoy's response flags (UH, UT, UF, UC, UR, UO, UPE). */
    public static final String ENVOY_FLAGS = "https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/"
            + "access_log/usage#config-access-log-format-response-flags";
    /** HAProxy's status codes and when it answers each (configuration manual 1.3.1). */
    public static final String HAPROXY = "https://docs.haproxy.org/2.6/configuration.html#1.3.1";
    /** nginx answers 504 for upstream timeouts and 502 for every other upstream failure (ngx_http_upstream_next). */
    public static final String NGINX = "https://github.com/nginx/nginx/blob/master/src/http/ngx_http_upstream.c";
    /** CloudFront's troubleshooting pages for its own 502/503/504. */
    public static final String CLOUDFRONT = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
            + "troubleshooting-response-errors.html";
    /** CloudFront's Lambda@Edge errors (502 validation, 503 execution error and limits). */
    public static final String CLOUDFRONT_LAMBDA = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/"
            + "lambda-edge-testing-debugging.html";
    /** Cloudflare's 5xx pages: one page per code. */
    public static final String CLOUDFLARE = "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/"
            + "cloudflare-5xx-errors/error-";
    /** AWS ALB: what each of its 502/503/504 means. */
    public static final String ALB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
            + "load-balancer-troubleshooting.html";
    /** Azure Application Gateway: its 502 page and the request timeout's 504. */
    public static final String AZURE = "https://learn.microsoft.com/en-us/azure/application-gateway/"
            + "application-gateway-troubleshooting-502";

    /** The longest quote of Envoy's answer evidence carries (its transport reason can run on for a line). */
    static final int QUOTE_CHARS = 240;
    /** "delayed connect error: <errno>" in Envoy's transport failure reason. */
    private static final Pattern ENVOY_ERRNO = Pattern.compile("connect error:\\s*(\\d+)");

    private static final Pattern ENVOY_RESET = Pattern.compile(
            "reset before headers\\.\\s*(?:retried and the latest )?reset reason:\\s*([a-z /]+?)\\s*(?:,|$)"
                    + "(?:.*?transport failure reason:\\s*(.+))?", Pattern.DOTALL);

    /** Validates and copies. */
    public FrontDoorWords {
        if (causes.isEmpty()) {
            throw new IllegalArgumentException("causes must name at least one cause (no words otherwise)");
        }
        causes = List.copyOf(causes);
    }

    /** Whether the words name exactly one cause. */
    public boolean decisive() {
        return causes.size() == 1;
    }

    /** The cause ids, comma-separated, for evidence. */
    public String causeIds() {
        return String.join(", ", causes.stream().map(Cause::id).toList());
    }

    /**
     * What the front door identified as {@code product} (see {@link Fingerprint#product()}) says about the error
     * answer {@code obs}, or empty when its answer names no cause.
     */
    public static Optional<FrontDoorWords> read(String product, HttpObservation obs) {
        int status = obs.status();
        String body = obs.body();
        String lower = obs.bodyLower();
        // CloudFront's result type can be in X-Cache whichever product the fingerprint found first
        Optional<FrontDoorWords> cloudFront = cloudFront(status, obs, lower);
        if (cloudFront.isPresent() || product.equals("AWS CloudFront")) {
            return cloudFront;
        }
        switch (product) {
            case "Envoy":
                return envoy(status, body.strip(), lower);
            case "HAProxy":
                return haproxy(status, lower);
            case "nginx":
                return status == 504 ? words("504 Gateway Time-out", "nginx answers 504 when the upstream timed "
                        + "out (proxy_connect_timeout, proxy_read_timeout, the TLS handshake); every other "
                        + "upstream failure is a 502 whose page names nothing (its error log does)", NGINX,
                        Cause.CONNECT_TIMEOUT, Cause.RESPONSE_TIMEOUT, Cause.TLS_HANDSHAKE_TIMEOUT) : Optional.empty();
            case "Cloudflare":
                return cloudflare(status);
            case "AWS Application Load Balancer":
                return alb(status);
            case "Azure Application Gateway":
            case "Azure Application Gateway v2":
                return azure(status, lower);
            default:
                return Optional.empty();
        }
    }

    private static Optional<FrontDoorWords> envoy(int status, String body, String lower) {
        Matcher m = ENVOY_RESET.matcher(lower.strip());
        if (m.find()) {
            String reason = m.group(1).strip();
            String transport = m.group(2) == null ? "" : m.group(2).strip();
            String said = body.length() > QUOTE_CHARS ? body.substring(0, QUOTE_CHARS) + "..." : body;
            switch (reason) {
                case "connection failure":
                case "remote connection failure":
                case "local connection failure":
                    return envoyConnectFailure(said, transport);
                case "connection timeout":
                    return words(said, "Envoy's connection to the upstream timed out (UF)", ENVOY_RESET_REASONS,
                            Cause.CONNECT_TIMEOUT);
                case "connection termination":
                    return words(said, "the upstream connection ended before response headers (UC): the backend "
                            + "closed or reset it, or closed an idle pooled connection Envoy reused",
                            ENVOY_RESET_REASONS, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, Cause.BACKEND_RESET_CONNECTION,
                            Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY);
                case "remote reset":
                case "remote refused stream reset":
                    return words(said, "the upstream reset the stream before response headers (UR)",
                            ENVOY_RESET_REASONS, Cause.BACKEND_RESET_CONNECTION);
                case "protocol error":
                    return words(said, "the upstream's response was not valid HTTP (UPE)", ENVOY_RESET_REASONS,
                            Cause.MALFORMED_STATUS_LINE, Cause.INVALID_RESPONSE_HEADER,
                            Cause.CONFLICTING_FRAMING_HEADERS, Cause.INVALID_CHUNKED_ENCODING);
                case "overflow":
                    return words(said, "Envoy's own circuit breaker for the cluster overflowed (UO: max connections, "
                            + "pending requests or retries): Envoy refused the request without asking the backend",
                            ENVOY_RESET_REASONS, Cause.GATEWAY_INTERNAL_TRANSIENT);
                case "overload manager reset":
                    return words(said, "Envoy's overload manager reset the request: Envoy itself is overloaded",
                            ENVOY_RESET_REASONS, Cause.GATEWAY_INTERNAL_TRANSIENT);
                default:
                    return Optional.empty();
            }
        }
        if (lower.strip().equals("no healthy upstream")) {
            return words(body, "no healthy host in the upstream cluster (UH)", ENVOY_FLAGS,
                    Cause.ALL_BACKENDS_UNHEALTHY, Cause.EMPTY_BACKEND_POOL);
        }
        if (lower.strip().equals("upstream request timeout")) {
            return words(body, "the route timeout struck before the upstream answered (UT, 504)", ENVOY_FLAGS,
                    Cause.RESPONSE_TIMEOUT);
        }
        return Optional.empty();
    }

    private static Optional<FrontDoorWords> envoyConnectFailure(String said, String transport) {
        String t = transport.toLowerCase(Locale.ROOT);
        // "delayed connect error: <errno>" carries the socket's errno (Linux: 111 refused, 113 no route, 110 timeout)
        Matcher errno = ENVOY_ERRNO.matcher(t);
        if (errno.find()) {
            switch (errno.group(1)) {
                case "111":
                    return words(said, "Envoy could not connect to the upstream: errno 111, connection refused (UF)",
                            ENVOY_RESET_REASONS, Cause.CONNECTION_REFUSED);
                case "113":
                case "101":
                    return words(said, "Envoy could not connect to the upstream: errno " + errno.group(1)
                            + ", no route to the host (UF)", ENVOY_RESET_REASONS, Cause.HOST_UNREACHABLE);
                case "110":
                    return words(said, "Envoy could not connect to the upstream: errno 110, timed out (UF)",
                            ENVOY_RESET_REASONS, Cause.CONNECT_TIMEOUT);
                default:
                    break;
            }
        }
        if (t.contains("wrong_version_number")) {
            return words(said, "the upstream answered Envoy's TLS ClientHello with something that is not TLS (UF)",
                    ENVOY_RESET_REASONS, Cause.PROTOCOL_PORT_MISMATCH);
        }
        if (t.contains("certificate_verify_failed")) {
            return words(said, "Envoy rejected the upstream's certificate (UF)", ENVOY_RESET_REASONS,
                    Cause.TLS_CERT_UNTRUSTED_CA, Cause.TLS_CHAIN_INCOMPLETE, Cause.TLS_CERT_EXPIRED,
                    Cause.TLS_SELF_SIGNED);
        }
        if (t.contains("tls error")) {
            return words(said, "the TLS handshake with the upstream failed (UF)", ENVOY_RESET_REASONS,
                    Cause.TLS_PROTOCOL_VERSION_MISMATCH, Cause.TLS_NO_SHARED_CIPHER,
                    Cause.BACKEND_REQUIRES_CLIENT_CERT);
        }
        return words(said, "Envoy could not connect to the upstream (UF)", ENVOY_RESET_REASONS,
                Cause.CONNECTION_REFUSED, Cause.CONNECT_TIMEOUT, Cause.HOST_UNREACHABLE);
    }

    private static Optional<FrontDoorWords> haproxy(int status, String lower) {
        if (status == 503 && lower.contains("no server is available to handle this request")) {
            return words("503 No server is available to handle this request.", "HAProxy answers 503 when no "
                    + "server was available: every server down or none configured, or the connection to the "
                    + "chosen server failed after its retries (SC/sC)", HAPROXY, Cause.ALL_BACKENDS_UNHEALTHY,
                    Cause.EMPTY_BACKEND_POOL, Cause.CONNECTION_REFUSED, Cause.CONNECT_TIMEOUT);
        }
        if (status == 502 && lower.contains("the server returned an invalid or incomplete response")) {
            return words("502 The server returned an invalid or incomplete response.", "HAProxy answers 502 when "
                    + "the server returns an empty, invalid or incomplete response", HAPROXY,
                    Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, Cause.BACKEND_RESET_CONNECTION, Cause.MALFORMED_STATUS_LINE,
                    Cause.INVALID_RESPONSE_HEADER, Cause.CONFLICTING_FRAMING_HEADERS);
        }
        if (status == 504 && lower.contains("the server didn't respond in time")) {
            return words("504 The server didn't respond in time.", "HAProxy answers 504 when its response timeout "
                    + "(timeout server) strikes before the server responds (sH)", HAPROXY, Cause.RESPONSE_TIMEOUT);
        }
        return Optional.empty();
    }

    private static Optional<FrontDoorWords> cloudFront(int status, HttpObservation obs, String lower) {
        String xCache = String.join(" ", obs.headers("X-Cache")).toLowerCase(Locale.ROOT);
        for (String type : new String[] {"LambdaValidationError", "LambdaExecutionError", "LambdaLimitExceeded",
                "FunctionExecutionError", "FunctionThrottledError"}) {
            String t = type.toLowerCase(Locale.ROOT);
            if (xCache.contains(t + " from cloudfront")) {
                return words("X-Cache: " + type + " from cloudfront", "CloudFront's edge function failed ("
                        + type + ")", CLOUDFRONT_LAMBDA, Cause.EDGE_FUNCTION_ERROR);
            }
        }
        if (!xCache.contains("from cloudfront") && !obs.header("Server").orElse("").equalsIgnoreCase("cloudfront")) {
            return Optional.empty();
        }
        String[][] pages = {
            {"the lambda function associated with the cloudfront distribution is invalid or doesn't have the "
                    + "required permissions", "the edge function is invalid or CloudFront may not run it"},
            {"the lambda function returned an invalid request or response to cloudfront",
                    "the edge function returned an invalid request or response (Lambda validation error)"},
            {"the lambda function result failed validation", "the edge function's result failed validation"},
            {"the lambda function returned invalid json", "the edge function returned invalid JSON"},
        };
        for (String[] p : pages) {
            if (lower.contains(p[0])) {
                return words(quote(obs.body(), p[0]), "CloudFront says " + p[1], CLOUDFRONT_LAMBDA,
                        Cause.EDGE_FUNCTION_ERROR);
            }
        }
        if (lower.contains("cloudfront wasn't able to resolve the origin domain name")) {
            return words(quote(obs.body(), "cloudfront wasn't able to resolve the origin domain name"),
                    "CloudFront could not resolve the origin's name (NonS3OriginDnsError)", CLOUDFRONT,
                    Cause.BACKEND_DNS_RESOLUTION_FAILURE);
        }
        if (lower.contains("cloudfront wasn't able to connect to the origin")) {
            return words(quote(obs.body(), "cloudfront wasn't able to connect to the origin"), "CloudFront could "
                    + "not connect to the origin on its HTTP/HTTPS port", CLOUDFRONT, Cause.CONNECTION_REFUSED,
                    Cause.CONNECT_TIMEOUT, Cause.PROTOCOL_PORT_MISMATCH);
        }
        if (lower.contains("cloudfront attempted to establish a connection with the origin")) {
            return words(quote(obs.body(), "cloudfront attempted to establish a connection with the origin"),
                    "the connection to the origin failed or the origin closed it" + (status == 504
                            ? " before the origin response timeout" : ""), CLOUDFRONT,
                    status == 504 ? new Cause[] {Cause.CONNECT_TIMEOUT, Cause.RESPONSE_TIMEOUT,
                            Cause.BACKEND_CLOSED_WITHOUT_RESPONSE}
                            : new Cause[] {Cause.CONNECT_TIMEOUT, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE,
                            Cause.BACKEND_RESET_CONNECTION});
        }
        return Optional.empty();
    }

    private static Optional<FrontDoorWords> cloudflare(int status) {
        String src = CLOUDFLARE + status + "/";
        String said = status + " (Server: cloudflare)";
        switch (status) {
            case 520:
                return words(said, "the origin returned an empty, unknown or unexpected response (520)", src,
                        Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, Cause.BACKEND_RESET_CONNECTION,
                        Cause.MALFORMED_STATUS_LINE, Cause.INVALID_RESPONSE_HEADER, Cause.RESPONSE_HEADER_TOO_LARGE,
                        Cause.HTTP2_ALPN_MISCONFIGURED, Cause.BACKEND_REQUIRES_CLIENT_CERT);
            case 521:
                return words(said, "the origin refused Cloudflare's connection (web server down), or the port does "
                        + "not match the SSL mode (521)", src, Cause.CONNECTION_REFUSED, Cause.PROTOCOL_PORT_MISMATCH);
            case 522:
                return words(said, "Cloudflare timed out contacting the origin: no SYN-ACK within 19 s, or the "
                        + "request not acknowledged within 90 s (522)", src, Cause.CONNECT_TIMEOUT,
                        Cause.REQUEST_NOT_READ_BY_BACKEND, Cause.KEEPALIVE_DISABLED_ON_BACKEND);
            case 523:
                return words(said, "the origin is unreachable: no route to its address (523)", src,
                        Cause.HOST_UNREACHABLE);
            case 524:
                return words(said, "the origin accepted the connection but sent no HTTP response within the "
                        + "Proxy Read Timeout (524)", src, Cause.RESPONSE_TIMEOUT, Cause.REQUEST_NOT_READ_BY_BACKEND);
            case 525:
                return words(said, "the TLS handshake between Cloudflare and the origin failed (525)", src,
                        Cause.TLS_NO_SHARED_CIPHER, Cause.TLS_PROTOCOL_VERSION_MISMATCH,
                        Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND, Cause.PROTOCOL_PORT_MISMATCH);
            case 526:
                return words(said, "Cloudflare could not validate the origin's certificate (Full strict, 526)", src,
                        Cause.TLS_CERT_EXPIRED, Cause.TLS_CERT_REVOKED, Cause.TLS_CERT_UNTRUSTED_CA,
                        Cause.TLS_SELF_SIGNED, Cause.TLS_CERT_HOSTNAME_MISMATCH);
            case 527:
                return words(said, "the Railgun listener's connection to the origin failed (527, Railgun is retired)",
                        src, Cause.CONNECTION_REFUSED, Cause.CONNECT_TIMEOUT, Cause.RESPONSE_TIMEOUT);
            default:
                return Optional.empty();
        }
    }

    private static Optional<FrontDoorWords> alb(int status) {
        switch (status) {
            case 502:
                return words("502 (Server: awselb/2.0)", "ALB answers 502 when the target refused or reset the "
                        + "connection, closed it with a request outstanding, sent a malformed or oversized response, "
                        + "or failed the TLS handshake", ALB, Cause.CONNECTION_REFUSED, Cause.BACKEND_RESET_CONNECTION,
                        Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY,
                        Cause.MALFORMED_STATUS_LINE, Cause.INVALID_RESPONSE_HEADER, Cause.RESPONSE_HEADER_TOO_LARGE,
                        Cause.TLS_PROTOCOL_VERSION_MISMATCH, Cause.TLS_NO_SHARED_CIPHER);
            case 503:
                return words("503 (Server: awselb/2.0)", "ALB answers 503 when the target group has no registered "
                        + "targets", ALB, Cause.EMPTY_BACKEND_POOL);
            case 504:
                return words("504 (Server: awselb/2.0)", "ALB answers 504 when the target did not answer within the "
                        + "idle timeout, the connection or TLS handshake timed out, or the body fell short of its "
                        + "Content-Length", ALB, Cause.RESPONSE_TIMEOUT, Cause.CONNECT_TIMEOUT,
                        Cause.TLS_HANDSHAKE_TIMEOUT, Cause.CONTENT_LENGTH_MISMATCH);
            default:
                return Optional.empty();
        }
    }

    private static Optional<FrontDoorWords> azure(int status, String lower) {
        if (status == 504) {
            return words("504 (Microsoft-Azure-Application-Gateway)", "Application Gateway v2 answers 504 when the "
                    + "backend's response exceeds the request timeout of the backend setting", AZURE,
                    Cause.RESPONSE_TIMEOUT);
        }
        if (status == 502 && lower.contains("web server received an invalid response while acting as a gateway")) {
            return words("502 - Web server received an invalid response while acting as a gateway or proxy server.",
                    "Application Gateway's 502: the troubleshooting page lists an unreachable backend (NSG, UDR, "
                    + "DNS), probes failing on every member, an empty pool and the request timeout", AZURE,
                    Cause.BACKEND_DNS_RESOLUTION_FAILURE, Cause.CONNECTION_REFUSED, Cause.CONNECT_TIMEOUT,
                    Cause.ALL_BACKENDS_UNHEALTHY, Cause.EMPTY_BACKEND_POOL, Cause.RESPONSE_TIMEOUT);
        }
        return Optional.empty();
    }

    /** The sentence of {@code body} that contains {@code lowerText}, as it was written. */
    private static String quote(String body, String lowerText) {
        int at = body.toLowerCase(Locale.ROOT).indexOf(lowerText);
        if (at < 0) {
            return lowerText;
        }
        int end = body.indexOf('.', at + lowerText.length());
        int stop = body.indexOf('<', at);
        int to = end < 0 ? at + lowerText.length() : end + 1;
        if (stop >= 0 && stop < to) {
            to = stop;
        }
        return body.substring(at, Math.min(body.length(), to)).strip();
    }

    private static Optional<FrontDoorWords> words(String said, String meaning, String source, Cause... causes) {
        return Optional.of(new FrontDoorWords(said, meaning, List.of(causes), source));
    }
}
