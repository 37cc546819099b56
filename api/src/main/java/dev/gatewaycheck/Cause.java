package dev.gatewaycheck;

import java.util.List;
import java.util.Objects;

/**
 * A documented reason why a gateway answers 502 (or 503/504/52x) because of its backend. The constant name is
 * the stable id that reports, JSON and scripts use: it never changes meaning; a retired id is deprecated, never
 * reused. Each constant carries its {@link Category}, its default {@link Severity} (a {@link GatewayProfile} may
 * judge it differently), a one-line title, the usual remedy, its RFC 9209 Proxy-Status error type and the public
 * pages that document it ({@link #sources()}).
 *
 * <pre>{@code
 * if (report.has(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY)) {
 *     System.out.println(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY.remedy());
 * }
 * }</pre>
 *
 * @since 0.1
 */
public enum Cause {
    // --- DNS -------------------------------------------------------------------------------------------------
    /** The backend's name does not resolve (nginx/Envoy {@code DF}, CloudFront {@code NonS3OriginDnsError}). */
    BACKEND_DNS_RESOLUTION_FAILURE(Category.DNS, Severity.ERROR, "dns_error",
            "The backend's host name does not resolve",
            "Fix the backend FQDN, or the DNS the gateway uses (custom VNet DNS, delegated zone NS/SOA); "
                    + "check it with the gateway's resolver (resolvingWith).",
            "S001", "S002", "AG502", "AGBH", "CF502", "ENVOY", "CURL"),

    // --- CONNECT ---------------------------------------------------------------------------------------------
    /** RST in answer to SYN: nothing listens on the port. */
    CONNECTION_REFUSED(Category.CONNECT, Severity.ERROR, "connection_refused",
            "The backend port refuses connections (TCP RST to SYN)",
            "Start the service or bind it to this address and port (netstat/ss LISTEN), fix the vhost/bindings, "
                    + "and check host firewalls that REJECT the gateway's address.",
            "S001", "AGBH", "ALBTS", "CF502", "GCPLOG", "NGX", "HAP", "CURL"),
    /** No SYN-ACK before the gateway's connect timeout. */
    CONNECT_TIMEOUT(Category.CONNECT, Severity.ERROR, "connection_timeout",
            "The backend does not answer the TCP handshake in time",
            "Most likely NETWORK_PATH_BLOCKED: an NSG/security group/NACL/firewall/UDR drops the gateway's packets; "
                    + "otherwise the host is down or its accept backlog is full. Allow the gateway's subnet on the port.",
            "S001", "AGBH", "ALBTS", "CF502", "CFL52x", "GCPLOG", "NGX", "HAP", "CURL"),
    /** ICMP host/network unreachable while connecting. */
    HOST_UNREACHABLE(Category.CONNECT, Severity.ERROR, "destination_ip_unroutable",
            "No route to the backend address (ICMP unreachable)",
            "Check the address, routes (UDR/VPC routes), and that the host is up on that network.",
            "ALBTS", "CFL52x", "HAP"),
    /** TLS spoken to a plain-HTTP port, or plain HTTP to a TLS port. */
    PROTOCOL_PORT_MISMATCH(Category.CONNECT, Severity.ERROR, "tls_protocol_error",
            "The gateway speaks the wrong protocol for this port (HTTPS to HTTP or HTTP to HTTPS)",
            "Make the gateway's backend protocol (HTTP settings / origin protocol policy / SSL mode) match the port, "
                    + "or listen with TLS on the port the gateway uses for HTTPS.",
            "AG502", "CF502", "CFBEH", "CFL52x"),

    // --- RESPONSE --------------------------------------------------------------------------------------------
    /** The backend resets the connection while a request is outstanding. */
    BACKEND_RESET_CONNECTION(Category.RESPONSE, Severity.ERROR, "connection_terminated",
            "The backend resets the connection (TCP RST) instead of answering",
            "Find what kills the socket: application crash or restart, accept-queue overflow, a proxy or IDS in "
                    + "between; the backend log at the probe time usually names it.",
            "S000", "S001", "ALBTS", "GCPLOG", "NGX", "ENVOY", "HAP", "CURL"),
    /** The backend closes (FIN) without sending a byte: an empty reply. */
    BACKEND_CLOSED_WITHOUT_RESPONSE(Category.RESPONSE, Severity.ERROR, "connection_terminated",
            "The backend closes the connection without any response (empty reply)",
            "The application accepted the request and closed: look for crashes, request limits, or a worker that "
                    + "rejects the Host header; nginx logs 'upstream prematurely closed connection'.",
            "ALBTS", "CFL52x", "GCPLOG", "NGX", "HAP", "CURL"),
    /** The connection closes after part of the response. */
    BACKEND_CLOSED_MID_RESPONSE(Category.RESPONSE, Severity.ERROR, "http_response_incomplete",
            "The backend closes the connection before the response is complete",
            "Find why the application stops mid-response (crash, timeout, wrong Content-Length after compression).",
            "GCPLOG", "CFBEH", "NGX", "CURL"),
    /** The status line is not HTTP. */
    MALFORMED_STATUS_LINE(Category.RESPONSE, Severity.ERROR, "http_protocol_error",
            "The backend's response does not start with a valid HTTP status line",
            "Make sure an HTTP server, not another protocol, answers on this port, and that it writes "
                    + "'HTTP/1.1 <3-digit code> <reason>' first.",
            "ALBTS", "CFL52x", "NGX", "CURL"),
    /** A response header line is syntactically invalid. */
    INVALID_RESPONSE_HEADER(Category.RESPONSE, Severity.ERROR, "http_protocol_error",
            "A response header is not valid HTTP (bad name characters, folding, missing colon)",
            "Fix the application or module that writes the offending header (shown in the evidence).",
            "ALBTS", "CFL52x", "NGX", "HAP"),
    /** Duplicate or invalid Content-Length, or Content-Length together with Transfer-Encoding. */
    CONFLICTING_FRAMING_HEADERS(Category.RESPONSE, Severity.ERROR, "http_protocol_error",
            "The response's message framing is ambiguous (Content-Length/Transfer-Encoding conflict)",
            "Send exactly one valid Content-Length, or Transfer-Encoding: chunked without Content-Length.",
            "NGX", "ALBTS"),
    /** The chunked body is malformed. */
    INVALID_CHUNKED_ENCODING(Category.RESPONSE, Severity.ERROR, "http_response_transfer_coding",
            "The chunked response body is malformed",
            "Fix the chunk framing (hex size, CRLF after each chunk, terminating 0-size chunk).",
            "GCPLOG", "NGX"),
    /** The body is shorter than Content-Length and the backend then stalls, or more bytes follow the body. */
    CONTENT_LENGTH_MISMATCH(Category.RESPONSE, Severity.ERROR, "http_response_incomplete",
            "The response body does not match its Content-Length (fewer bytes then a stall, or extra bytes)",
            "Send the Content-Length of the bytes actually written: recompute it after compression or any body "
                    + "rewrite, or use Transfer-Encoding: chunked; nginx logs 'upstream sent more data than "
                    + "specified in \"Content-Length\" header'.",
            "ALBTS", "CFL52x", "NGX", "CFBEH", "CURL", "GCPLOG"),
    /** A Content-Encoding gzip/deflate body cannot be decompressed. */
    INVALID_COMPRESSED_BODY(Category.RESPONSE, Severity.ERROR, "http_response_content_coding",
            "The response says Content-Encoding gzip/deflate, but the body does not decompress",
            "Fix the compression layer (double compression, a body cut or rewritten after compressing, a wrong "
                    + "Content-Encoding label), or turn compression off on the backend and let the gateway compress.",
            "GCPLOG", "CFL52x"),
    /** The response header section exceeds the gateway's buffer. */
    RESPONSE_HEADER_TOO_LARGE(Category.RESPONSE, Severity.ERROR, "http_response_header_section_size",
            "The response headers are larger than the gateway accepts",
            "Shrink the headers (usually cookies), or raise the gateway's buffer (nginx proxy_buffer_size).",
            "ALBTS", "ALBLIM", "CFL52x", "CFLLIM", "GCPLOG", "NGX", "AGLIM"),
    /** The first byte arrives after (or close to) the gateway's request timeout. */
    RESPONSE_TIMEOUT(Category.RESPONSE, Severity.ERROR, "http_response_timeout",
            "The backend answers slower than the gateway waits",
            "Make the endpoint answer faster, or raise the gateway's request/read timeout "
                    + "(Azure RequestTimeout, ALB idle timeout, CloudFront origin read timeout, proxy_read_timeout).",
            "S002", "AG502", "ALBTS", "CF504", "CFL52x", "GCPLOG", "NGX", "ENVOY", "HAP", "CURL"),
    /** The backend itself answers 502/503/504: another proxy tier sits behind the gateway. */
    BACKEND_RETURNED_GATEWAY_ERROR(Category.RESPONSE, Severity.ERROR, "destination_unavailable",
            "The backend itself answers with a gateway error (a proxy tier behind the gateway)",
            "Diagnose the next tier: run the check against the server behind this backend (see Server/Via).",
            "S001", "AGERR", "CFL52x", "CF504", "CF502"),
    /** The instance answers but the application is not deployed (404 or a default welcome page). */
    BACKEND_APP_NOT_DEPLOYED(Category.RESPONSE, Severity.ERROR, "destination_not_found",
            "The backend answers, but with a 404 or a default welcome page where the application should be",
            "Deploy the application on this instance, or fix the vhost/document root for this Host.",
            "S002", "AG502"),

    // --- TLS -------------------------------------------------------------------------------------------------
    /** A certificate in the presented chain is past its notAfter. */
    TLS_CERT_EXPIRED(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "A certificate in the backend's chain has expired",
            "Renew the certificate (and the intermediate, if that one expired) and reload the backend.",
            "S003", "AGBH", "CF502", "CFL52x", "NGX", "CURL"),
    /** A certificate in the presented chain is not valid yet. */
    TLS_CERT_NOT_YET_VALID(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "A certificate in the backend's chain is not valid yet",
            "Check the clocks of the issuer and the backend; deploy the certificate once its notBefore has passed.",
            "AGBH"),
    /** The leaf expires within the profile's warning window. */
    TLS_CERT_EXPIRING_SOON(Category.TLS, Severity.WARNING, "tls_certificate_error",
            "A certificate in the backend's chain expires soon",
            "Renew it before notAfter; automate renewal (email-validated ACM certificates do not renew by themselves).",
            "S003", "ACMRENEW"),
    /** The name the gateway checks is not in the leaf's SAN/CN. */
    TLS_CERT_HOSTNAME_MISMATCH(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's certificate is for another host name",
            "Serve a certificate whose SAN covers the name the gateway checks (Host/SNI), or set that name on the gateway.",
            "S002", "S003", "AG502", "AGBH", "CF502", "CFL52x", "GCPLOG", "NGX"),
    /** The leaf is self-signed. */
    TLS_SELF_SIGNED(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's certificate is self-signed",
            "Use a certificate from a CA the gateway trusts, or upload it as trusted root where the gateway allows it.",
            "AGBH", "CF502", "CFL52x", "NGX"),
    /** The chain does not lead to a root the gateway trusts. */
    TLS_CERT_UNTRUSTED_CA(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's chain does not lead to a CA the gateway trusts",
            "Use a certificate from a well-known CA, or give the gateway the private root (trusted root upload).",
            "AGBH", "CF502", "CFL52x", "NGX", "CURL"),
    /** Azure v2: the chain ends in a root other than the uploaded trusted roots. */
    TLS_TRUSTED_ROOT_MISMATCH(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's chain ends in a root other than the gateway's trusted roots",
            "Upload the root that actually signs the backend chain to the backend setting, or reissue the certificate.",
            "AGBH"),
    /** Azure v1: the leaf's public key is not one of the uploaded authentication certificates. */
    TLS_CERT_NOT_ALLOWLISTED(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's certificate is not one of the gateway's authentication certificates",
            "Upload the backend's current certificate (public key) to the HTTP settings; renewals change it.",
            "AGTLS", "S000"),
    /** Intermediates are missing from the presented chain. */
    TLS_CHAIN_INCOMPLETE(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend does not send the intermediate certificate(s)",
            "Serve the full chain (leaf, then intermediates); gateways do not fetch missing intermediates (no AIA).",
            "AGBH", "CF502", "CFHTTPS"),
    /** The presented chain is out of order. */
    TLS_CHAIN_MISORDERED(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's certificate chain is in the wrong order",
            "Serve the leaf first, then each issuer in turn (leaf, intermediate, ... root optional).",
            "AGBH", "S003", "CF502"),
    /** The handshake without SNI fails or yields another certificate. */
    TLS_SNI_REQUIRED_NOT_SENT(Category.TLS, Severity.ERROR, "tls_alert_received",
            "The backend needs SNI, but the gateway (or its probe) connects without it",
            "Configure a default/fallback certificate for connections without SNI, or make the gateway send SNI "
                    + "(probe host name, pool FQDN, nginx proxy_ssl_server_name on).",
            "S002", "AG502", "AGTLS", "NGX"),
    /** The backend serves the same certificate whatever name is asked for. */
    TLS_SNI_NOT_SUPPORTED_BY_BACKEND(Category.TLS, Severity.WARNING, "tls_certificate_error",
            "The backend ignores SNI and serves one default certificate for every name",
            "Configure name-based certificates (SNI) on the backend, or one certificate covering every name.",
            "CFL52x", "CF502"),
    /** No TLS version in common with the gateway. */
    TLS_PROTOCOL_VERSION_MISMATCH(Category.TLS, Severity.ERROR, "tls_protocol_error",
            "The backend offers no TLS version the gateway speaks",
            "Enable a TLS version the gateway uses towards backends (usually TLS 1.2).",
            "CF502", "CFBEH", "ALBTS", "AGTLS", "NGX", "CURL"),
    /** No cipher suite in common with the gateway. */
    TLS_NO_SHARED_CIPHER(Category.TLS, Severity.ERROR, "tls_alert_received",
            "The backend offers no cipher suite the gateway offers",
            "Enable at least one of the gateway's backend cipher suites (e.g. ECDHE-RSA-AES128-GCM-SHA256).",
            "CF502", "CFCIPH", "CFL52x", "ALBTS", "AGTLS", "GCPTLS"),
    /** The handshake does not complete within the gateway's TLS timeout. */
    TLS_HANDSHAKE_TIMEOUT(Category.TLS, Severity.ERROR, "connection_timeout",
            "The backend does not complete the TLS handshake in time",
            "Check the TLS terminator's load and that the port speaks TLS promptly.",
            "ALBTS", "NGX"),
    /** Certificate properties the gateway rejects (EKU, key size, curve, chain length). */
    TLS_CERT_PROPERTIES_UNSUPPORTED(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's certificate has properties the gateway rejects",
            "Reissue with EKU serverAuth, RSA 2048-4096 or P-256/P-384, and a short chain.",
            "GCPLOG", "AGBH"),
    /** Weak key or SHA-1 signature. */
    TLS_WEAK_CERTIFICATE(Category.TLS, Severity.WARNING, "tls_certificate_error",
            "The backend's certificate uses a weak key or a SHA-1 signature",
            "Reissue with RSA >= 2048 or ECDSA P-256 and a SHA-256 signature.",
            "GCPLOG"),
    /** The certificate is revoked (OCSP or CRL; only when revocation checking is asked for). */
    TLS_CERT_REVOKED(Category.TLS, Severity.ERROR, "tls_certificate_error",
            "The backend's certificate has been revoked",
            "Deploy a newly issued certificate.",
            "CFL52x", "AGBH"),
    /** The backend asks for a client certificate the gateway does not present. */
    BACKEND_REQUIRES_CLIENT_CERT(Category.TLS, Severity.ERROR, "tls_alert_received",
            "The backend requires a TLS client certificate the gateway does not present",
            "Turn off client-certificate verification for the gateway's connections, or configure the gateway's "
                    + "client certificate (mTLS / Authenticated Origin Pulls).",
            "CFBEH", "CFL52x", "GCPLOG"),

    // --- KEEPALIVE -------------------------------------------------------------------------------------------
    /** The backend closes idle kept-alive connections before the gateway stops reusing them. */
    KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY(Category.KEEPALIVE, Severity.ERROR, "connection_terminated",
            "The backend closes idle keep-alive connections sooner than the gateway stops reusing them",
            "Make the backend's keep-alive idle timeout longer than the gateway's (Azure v2 60 s: set 90-120 s), "
                    + "or turn keep-alive off on the backend.",
            "S000", "S001", "ALBTS", "ALBIDLE", "GCPKA", "OCI", "ISS"),
    /** The backend refuses persistent connections. */
    KEEPALIVE_DISABLED_ON_BACKEND(Category.KEEPALIVE, Severity.INFO, "connection_terminated",
            "The backend closes the connection after every response (keep-alive off)",
            "Azure's support blog recommends it as a workaround; Cloudflare lists disabled keep-alives as a 522 cause: "
                    + "follow the gateway's advice.",
            "S000", "CFL52x", "CFLLIM"),
    /** The backend closes after N requests without announcing Connection: close. */
    KEEPALIVE_UNANNOUNCED_CLOSE(Category.KEEPALIVE, Severity.WARNING, "connection_terminated",
            "The backend closes a kept-alive connection after some requests without sending 'Connection: close'",
            "Send 'Connection: close' on the last response (Apache MaxKeepAliveRequests, nginx keepalive_requests do).",
            "ALBTS", "NGX"),
    /** The advertised Keep-Alive timeout is not what the backend does. */
    KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED(Category.KEEPALIVE, Severity.WARNING, "connection_terminated",
            "The backend's Keep-Alive header announces a timeout it does not keep",
            "Make the advertised 'Keep-Alive: timeout=N' match the server's real idle timeout.",
            "S000", "MDNKA"),

    // --- PROBE -----------------------------------------------------------------------------------------------
    /** The probe's status code is outside the accepted ranges. */
    PROBE_STATUS_MISMATCH(Category.PROBE, Severity.ERROR, "destination_unavailable",
            "The health probe gets a status code the gateway does not accept",
            "Make the probe path answer 200 for the probe's Host, or change the probe's path, host or accepted codes.",
            "S002", "AG502", "AGBH", "AGPROBE", "ALBHC"),
    /** The probe is not answered within its timeout. */
    PROBE_TIMEOUT(Category.PROBE, Severity.ERROR, "http_response_timeout",
            "The health probe is not answered within its timeout",
            "Make the probe path cheap and fast, or raise the probe timeout (below its interval).",
            "S002", "AG502", "AGBH", "ALBHC"),
    /** The probe's body match is not in the response. */
    PROBE_BODY_MISMATCH(Category.PROBE, Severity.ERROR, "destination_unavailable",
            "The health probe's response body does not contain the expected text",
            "Return the expected text on the probe path, or fix the probe's body match.",
            "AGBH", "AGPROBE"),
    /** The site answers for the real Host but not for the probe's Host (127.0.0.1). */
    PROBE_HOST_NOT_SERVED(Category.PROBE, Severity.ERROR, "destination_unavailable",
            "The backend serves the site's Host but not the probe's Host (default probe sends Host: 127.0.0.1)",
            "Add a default site that answers any Host, or set the probe's host name (custom probe / pick host name "
                    + "from backend settings).",
            "S002", "AG502", "AGPROBE", "AGTLS"),
    /** The custom probe's configuration is invalid for the gateway. */
    PROBE_MISCONFIGURED(Category.PROBE, Severity.ERROR, "proxy_configuration_error",
            "The custom health probe is configured wrongly",
            "Fix the probe: path starting with '/', timeout below interval, values within the gateway's ranges, "
                    + "protocol matching the backend setting.",
            "S001", "S002", "AG502", "AGPROBE"),
    /** Some probes of a series fail. */
    PROBE_INTERMITTENT_FAILURE(Category.PROBE, Severity.WARNING, "destination_unavailable",
            "Some health probes of a series fail",
            "Find what makes the backend fail some requests (restarts, overload, one bad instance behind it).",
            "AGPROBE", "ALBHC"),

    // --- POOL ------------------------------------------------------------------------------------------------
    /** The pool has no members. */
    EMPTY_BACKEND_POOL(Category.POOL, Severity.ERROR, "destination_not_found",
            "The backend pool is empty",
            "Add members to the backend pool / target group.",
            "S001", "S002", "AG502", "ALBTS", "ENVOY"),
    /** Every member fails the gateway's probe. */
    ALL_BACKENDS_UNHEALTHY(Category.POOL, Severity.ERROR, "destination_unavailable",
            "Every backend in the pool is unhealthy",
            "Fix the members' findings listed for each backend.",
            "S001", "S002", "AG502", "AGBH", "GCPLOG", "NGX", "ENVOY"),
    /** Some members fail the gateway's probe. */
    SOME_BACKENDS_UNHEALTHY(Category.POOL, Severity.WARNING, "destination_unavailable",
            "Some backends in the pool are unhealthy",
            "Fix the unhealthy members; the healthy ones carry all traffic meanwhile.",
            "AGBH", "ALBHC"),

    /**
     * A second {@code 100 Continue}, a 1xx the gateway does not accept, or a final response before the request body
     * was read (only with {@code withRequestBody(...)}: the check needs a request with a body).
     */
    UNEXPECTED_INTERIM_OR_EARLY_RESPONSE(Category.RESPONSE, Severity.ERROR, "http_protocol_error",
            "The backend answers a request with a body with an interim or early response the gateway rejects",
            "Send at most one '100 Continue' and only informational responses the gateway accepts; read the whole "
                    + "request body before answering (or answer an error status and close).",
            "GCPLOG", "CFBEH"),
    /**
     * The backend selects h2 over ALPN but does not speak HTTP/2 correctly (protocol error, GOAWAY, RST_STREAM, no
     * answer to the preface), or does not select h2 where the gateway requires it.
     */
    HTTP2_ALPN_MISCONFIGURED(Category.RESPONSE, Severity.ERROR, "http_protocol_error",
            "The backend's HTTP/2 (ALPN h2) does not work the way a gateway speaking HTTP/2 to backends needs",
            "Either serve HTTP/2 correctly on the TLS port (answer the connection preface and SETTINGS, no GOAWAY or "
                    + "RST_STREAM for a plain GET), or stop offering h2 in ALPN; when the gateway requires HTTP/2 "
                    + "backends, enable h2 in ALPN.",
            "CFL52x", "GCPLOG"),
    /**
     * The backend accepts the connection but does not read the request (the send buffer fills, or nothing is read
     * and nothing answered within the gateway's timeout).
     */
    REQUEST_NOT_READ_BY_BACKEND(Category.RESPONSE, Severity.ERROR, "connection_timeout",
            "The backend accepts the connection but does not read the request",
            "Find what blocks the accepting thread (a full worker pool, a process stopped in a debugger, an accept "
                    + "loop that never reads); the backend must read the request promptly even when it answers late.",
            "CFL52x", "HAP"),
    /** A response that carries the front door's own fingerprint, or a {@code Via} chain repeating a hop. */
    REQUEST_LOOP_DETECTED(Category.RESPONSE, Severity.ERROR, "proxy_loop_detected",
            "The backend forwards the request back to the gateway (a request loop)",
            "Point the backend's upstream (proxy_pass, origin, rewrite target) at the application, not at the "
                    + "gateway's public name or address.",
            "GCPLOG"),

    // --- FRONTEND --------------------------------------------------------------------------------------------
    /** The front door itself produced the error answer (the hop behind it failed). */
    FRONTEND_GATEWAY_ERROR(Category.FRONTEND, Severity.ERROR, "proxy_internal_response",
            "The front door answered an error it produced itself (the hop behind it failed)",
            "Check the backends directly with the front door's Host (withBackends) to find the failing hop.",
            "S003", "CF502", "CFL52x", "AGERR"),
    /**
     * CloudFront's Lambda@Edge function or CloudFront Function failed (invalid response, execution error,
     * throttling), as CloudFront names it in its answer. Not observable from the backend.
     */
    EDGE_FUNCTION_ERROR(Category.FRONTEND, Severity.ERROR, "proxy_internal_error",
            "The front door's edge function failed (Lambda@Edge / CloudFront Functions)",
            "Look at the function's CloudWatch logs in the Region nearest the viewer: fix its response object "
                    + "(valid JSON, required fields, no read-only headers, size limits), its unhandled exceptions, or "
                    + "its concurrency quota. The backend is not involved.",
            "CF502"),
    /**
     * The front door failed on its own side (an internal error, or its own limits such as Envoy's circuit
     * breakers), as it says in its answer. Not attributable to the backend.
     */
    GATEWAY_INTERNAL_TRANSIENT(Category.FRONTEND, Severity.ERROR, "proxy_internal_error",
            "The front door failed on its own side, not because of the backend",
            "Check the front door itself: its limits (Envoy circuit breakers max_connections/max_pending_requests, "
                    + "overload manager), its health and status page; a backend that answers directly is not the cause.",
            "GCPLOG", "ALBHC", "CFL52x", "ENVOY");

    private final Category category;
    private final Severity severity;
    private final String proxyStatus;
    private final String title;
    private final String remedy;
    private final List<String> sources;

    Cause(Category category, Severity severity, String proxyStatus, String title, String remedy, String... sources) {
        this.category = category;
        this.severity = severity;
        this.proxyStatus = proxyStatus;
        this.title = title;
        this.remedy = remedy;
        this.sources = List.of(sources);
    }

    /** The stable id, equal to {@link #name()}. */
    public String id() {
        return name();
    }

    /** The layer this cause belongs to. */
    public Category category() {
        return category;
    }

    /** The severity when no {@link GatewayProfile} judges otherwise. */
    public Severity defaultSeverity() {
        return severity;
    }

    /** The RFC 9209 Proxy-Status error type a proxy would report, e.g. {@code connection_refused}. */
    public String proxyStatus() {
        return proxyStatus;
    }

    /** One line that says what the cause is. */
    public String title() {
        return title;
    }

    /** What usually fixes it. */
    public String remedy() {
        return remedy;
    }

    /**
     * The public pages (vendor documents, RFCs, source code) that document it, as URLs a user can open. A source
     * without a public address (a support case) is not listed.
     */
    public List<String> sources() {
        return sources.stream().map(Sources.URLS::get).filter(Objects::nonNull).distinct().toList();
    }

    /** The public address of each catalogue key (seeds S000, S001 and S003 have none). */
    private static final class Sources {
        static final java.util.Map<String, String> URLS = java.util.Map.ofEntries(
                java.util.Map.entry("S002", "https://learn.microsoft.com/ko-kr/azure/application-gateway/"
                        + "application-gateway-troubleshooting-502"),
                java.util.Map.entry("AG502", MS + "application-gateway-troubleshooting-502"),
                java.util.Map.entry("AGBH", MS + "application-gateway-backend-health-troubleshooting"),
                java.util.Map.entry("AGPROBE", MS + "application-gateway-probe-overview"),
                java.util.Map.entry("AGTLS", MS + "ssl-overview"),
                java.util.Map.entry("AGERR", MS + "custom-error"),
                java.util.Map.entry("AGLIM", "https://learn.microsoft.com/en-us/azure/azure-resource-manager/"
                        + "management/azure-subscription-service-limits#application-gateway-limits"),
                java.util.Map.entry("ALBTS", ALB + "load-balancer-troubleshooting.html"),
                java.util.Map.entry("ALBHC", ALB + "target-group-health-checks.html"),
                java.util.Map.entry("ALBIDLE", ALB + "application-load-balancers.html#connection-idle-timeout"),
                java.util.Map.entry("ALBLIM", ALB + "load-balancer-limits.html"),
                java.util.Map.entry("CF502", CF + "http-502-bad-gateway.html"),
                java.util.Map.entry("CF504", CF + "http-504-gateway-timeout.html"),
                java.util.Map.entry("CFBEH", CF + "RequestAndResponseBehaviorCustomOrigin.html"),
                java.util.Map.entry("CFHTTPS", CF + "using-https-cloudfront-to-custom-origin.html"),
                java.util.Map.entry("CFCIPH", CF + "secure-connections-supported-ciphers-cloudfront-to-origin.html"),
                java.util.Map.entry("GCPLOG", "https://cloud.google.com/load-balancing/docs/https/"
                        + "https-logging-monitoring#failure-messages"),
                java.util.Map.entry("GCPKA", "https://cloud.google.com/load-balancing/docs/https#timeouts_and_retries"),
                java.util.Map.entry("GCPTLS", "https://cloud.google.com/load-balancing/docs/"
                        + "backend-authenticated-tls-backend-mtls"),
                java.util.Map.entry("CFL52x", "https://developers.cloudflare.com/support/troubleshooting/"
                        + "http-status-codes/cloudflare-5xx-errors/"),
                java.util.Map.entry("CFLLIM", "https://developers.cloudflare.com/fundamentals/reference/"
                        + "connection-limits/"),
                java.util.Map.entry("NGX", "https://github.com/nginx/nginx/blob/master/src/http/ngx_http_upstream.c"),
                java.util.Map.entry("ENVOY", "https://www.envoyproxy.io/docs/envoy/latest/configuration/"
                        + "observability/access_log/usage"),
                java.util.Map.entry("HAP", "https://docs.haproxy.org/2.6/configuration.html"),
                java.util.Map.entry("CURL", "https://curl.se/libcurl/c/libcurl-errors.html"),
                java.util.Map.entry("OCI", "https://docs.oracle.com/en-us/iaas/Content/Balance/Reference/"
                        + "connectionreuse.htm"),
                java.util.Map.entry("ISS", "https://github.com/nodejs/node/issues/26166"),
                java.util.Map.entry("ACMRENEW", "https://docs.aws.amazon.com/acm/latest/userguide/"
                        + "email-renewal-validation.html"),
                java.util.Map.entry("MDNKA", "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Keep-Alive"));
    }

    private static final String MS = "https://learn.microsoft.com/en-us/azure/application-gateway/";
    private static final String ALB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/";
    private static final String CF = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/";

    /**
     * Looks a cause up by its id.
     *
     * @throws IllegalArgumentException when no cause has that id
     */
    public static Cause fromId(String id) {
        Objects.requireNonNull(id, "id");
        for (Cause c : values()) {
            if (c.name().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown cause id: '" + id + "'");
    }
}
