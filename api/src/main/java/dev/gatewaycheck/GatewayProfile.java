package dev.gatewaycheck;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The documented limits of one gateway that a backend must meet, and how that gateway treats each cause: idle
 * keep-alive towards the backend, request and connect timeouts, its default health probe, its backend TLS policy
 * and trust model, its response-header limit, and the status it answers per cause. Presets are constants; a custom
 * profile starts from one with {@link #toBuilder()}.
 *
 * <pre>{@code
 * GatewayProfile myAlb = GatewayProfile.AWS_ALB.toBuilder()
 *         .id("my-alb").name("our ALB (idle 120 s)")
 *         .idleTimeout(Duration.ofSeconds(120))
 *         .build();
 * GatewayCheck.forBackend(url).against(myAlb).keepAlive().run();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class GatewayProfile {

    /**
     * The longest timeout, interval or deadline the API accepts: 7 days. Declared before the presets, whose
     * builders check against it during class initialisation.
     */
    static final Duration LONGEST = Duration.ofDays(7);

    /** How the gateway validates the backend's certificate. */
    public enum CertificateValidation {
        /** No validation: certificate problems are not a 502 cause (ALB, nginx proxy_ssl_verify off). */
        NONE,
        /** Chain to a public (JDK default) root, or to the roots given with {@code trusting(...)}; name checked. */
        PUBLIC_CA,
        /** Azure v2: well-known CA or the uploaded trusted roots ({@code trusting(...)}); name checked. */
        TRUSTED_ROOTS,
        /** Azure v1: the leaf's public key must match an uploaded authentication certificate ({@code trusting}). */
        ALLOWLIST
    }

    /**
     * A conservative generic gateway: keeps idle backend connections 60 s, waits 20 s for a response, 10 s to
     * connect and handshake, accepts 32 KiB of response headers, validates certificates against public roots with
     * SNI, TLS 1.2-1.3, and probes {@code GET /} with the checked Host expecting 200-399 within 5 s. A backend that
     * passes it passes most gateways.
     */
    public static final GatewayProfile GENERIC = builder()
            .id("generic").name("generic gateway (conservative)")
            .idleTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(20))
            .connectTimeout(Duration.ofSeconds(10)).tlsHandshakeTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(ProbeSpec.builder().timeout(Duration.ofSeconds(5)).interval(Duration.ofSeconds(30))
                    .unhealthyThreshold(2).build())
            .tlsProtocols("TLSv1.2", "TLSv1.3").sendsSni(true)
            .certificateValidation(CertificateValidation.PUBLIC_CA)
            .build();


    // Sources, by the keys of the project's cause catalogue (causes.md, table 0):
    //   AG502   https://docs.microsoft.com/ja-jp/azure/application-gateway/application-gateway-troubleshooting-502
    //   AGBH    https://docs.microsoft.com/ja-jp/azure/application-gateway/application-gateway-backend-health-troubleshooting
    //   AGPROBE/AGTLS/AGLIM  MicrosoftDocs/azure-docs articles/application-gateway/ (see each constant)
    //   ALB*    https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
    //   CF*     https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/
    //   GCP*    https://cloud.google.com/load-balancing/docs/
    //   CFL*    https://developers.cloudflare.com/
    //   NGX     https://github.com/nginx/nginx ; ENVOY https://www.envoyproxy.io/docs/envoy/latest/
    //   HAP     HAProxy 2.6 configuration manual (Debian package /usr/share/doc/haproxy/configuration.txt.gz)

    private static final ProbeSpec AZURE_DEFAULT_PROBE = ProbeSpec.builder().host("127.0.0.1").path("/")
            .interval(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(30)).unhealthyThreshold(3)
            .accept(new StatusRange(200, 399)).build();

    private static final ProbeLimits AZURE_PROBE_LIMITS = ProbeLimits.seconds(1, 86400, 1, 86400, 1, 20, 4090,
            new StatusRange(200, 599), true);

    /**
     * Azure Application Gateway v1 (Standard/WAF). Values and sources:
     * <ul>
     * <li>idle keep-alive to the backend: not fixed by the gateway; 300 s is what the Azure support blog advises the
     *     backend to exceed (not in the official docs);</li>
     * <li>request timeout 20 s, answered with <b>502</b> on v1 (AG502,
     *     https://docs.microsoft.com/ja-jp/azure/application-gateway/application-gateway-troubleshooting-502);
     *     allowed 1-86400 s (AGSDK,
     *     https://learn.microsoft.com/zh-cn/python/api/azure-mgmt-network/azure.mgmt.network.models.applicationgatewaybackendhttpsettingspropertiesformat?view=azure-python);</li>
     * <li>connect and TLS handshake timeouts: not documented, the generic 10 s;</li>
     * <li>maximum header size 32 KB (AGLIM, MicrosoftDocs/azure-docs {@code includes/application-gateway-limits.md});</li>
     * <li>default probe {@code <protocol>://127.0.0.1:<port>/}, interval 30 s, timeout 30 s, unhealthy threshold 3,
     *     healthy 200-399 (AG502; AGBH,
     *     https://docs.microsoft.com/ja-jp/azure/application-gateway/application-gateway-backend-health-troubleshooting;
     *     AGPROBE, {@code articles/application-gateway/application-gateway-probe-overview.md}); custom probes:
     *     interval and timeout 1-86400 s, unhealthy threshold 1-20, body match up to 4090 characters, protocol of
     *     the backend HTTP setting (AGPROBE);</li>
     * <li>backend TLS: <b>TLS 1.2</b> (the highest v1 speaks): since 2025-08-31 every backend must use TLS 1.2 or
     *     higher, a backend speaking only TLS 1.0/1.1 fails the handshake (audit 2026-12-01; AGTLSRET,
     *     https://learn.microsoft.com/azure/application-gateway/application-gateway-tls-version-retirement and
     *     https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview);
     *     certificates must exactly match the uploaded authentication certificates (allow-list), SNI is the pool
     *     FQDN and none for IP members (AGTLS, {@code articles/application-gateway/ssl-overview.md});</li>
     * <li>empty pool and all members unhealthy: 502 (AG502);</li>
     * <li>the v1 SKU was <b>retired on 2026-04-28</b> (migrate to v2,
     *     https://learn.microsoft.com/azure/application-gateway/migrate-v1-v2): the preset stays for gateways still
     *     running.</li>
     * </ul>
     * The idle keep-alive toward backends is not documented (the FAQ gives only the client side): UNVERIFIED.
     */
    public static final GatewayProfile AZURE_APP_GATEWAY_V1 = builder()
            .id("azure-v1").name("Azure Application Gateway v1 (retired)")
            .idleTimeout(Duration.ofSeconds(300)).requestTimeout(Duration.ofSeconds(20))
            .connectTimeout(Duration.ofSeconds(10)).tlsHandshakeTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(AZURE_DEFAULT_PROBE).probeLimits(AZURE_PROBE_LIMITS)
            .tlsProtocols("TLSv1.2").sendsSni(true)
            .certificateValidation(CertificateValidation.ALLOWLIST)
            .build();

    /**
     * Azure Application Gateway v2 (Standard_v2/WAF_v2). As {@link #AZURE_APP_GATEWAY_V1}, except:
     * <ul>
     * <li>idle keep-alive to the backend 60 s, so the backend should keep 90-120 s (an Azure support blog post; not in the official
     *     docs read, UNVERIFIED officially);</li>
     * <li>on a request timeout (20 s) v2 retries the request on a second pool member, then answers <b>504</b>
     *     (AG502, https://docs.microsoft.com/ja-jp/azure/application-gateway/application-gateway-troubleshooting-502);</li>
     * <li>backend TLS 1.2 and 1.3: since 2025-08-31 every backend must use TLS 1.2 or higher (AGTLSRET,
     *     https://learn.microsoft.com/azure/application-gateway/application-gateway-tls-version-retirement ;
     *     https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview); the chain
     *     must lead to a well-known CA or to an uploaded trusted root; SNI is the probe host, else the HTTP-settings
     *     host, else the pool FQDN, never an IP (AGTLS, {@code articles/application-gateway/ssl-overview.md}).</li>
     * </ul>
     */
    public static final GatewayProfile AZURE_APP_GATEWAY_V2 = AZURE_APP_GATEWAY_V1.toBuilder()
            .id("azure-v2").name("Azure Application Gateway v2")
            .idleTimeout(Duration.ofSeconds(60))
            .tlsProtocols("TLSv1.2", "TLSv1.3")
            .certificateValidation(CertificateValidation.TRUSTED_ROOTS)
            .status(Cause.RESPONSE_TIMEOUT, 504)
            .build();

    /**
     * AWS Application Load Balancer. Values and sources:
     * <ul>
     * <li>connection idle timeout 60 s (1-4000 s), for client and target connections; a target that sends no data
     *     within it gets <b>504</b> (ALBIDLE,
     *     https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout);</li>
     * <li>connect timeout 10 s, <b>504</b>; TLS handshake errors and the TLS handshake timeout (10 s): <b>502</b>
     *     ("SSL handshake error or SSL handshake timeout (10 seconds)", corrected by the audit of 2026-12-01); RST/ICMP
     *     on connect, a target closing with an outstanding request, malformed responses: 502; a Content-Length larger
     *     than the body: <b>504</b>; no registered targets: <b>503</b> (ALBTS,
     *     https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html);</li>
     * <li>response header limit 32 K (ALBLIM,
     *     https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.md);</li>
     * <li>health check {@code GET /} on the traffic port, timeout 5 s, interval 30 s, unhealthy threshold 2, matcher
     *     200 (configurable 200-499); interval 5-300 s, timeout 2-120 s, unhealthy threshold 2-10, no body match;
     *     when every target is unhealthy the ALB <b>fails open</b> and routes to all of them (ALBHC, awsdocs
     *     elb-application-load-balancers-user-guide {@code doc_source/target-group-health-checks.md});</li>
     * <li>target certificates are not validated: expired or self-signed certificates are accepted (ALBTG,
     *     https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-routing-configuration);
     *     TLS toward targets 1.0-1.3: ELBSecurityPolicy-2016-08 (1.0-1.2) applies only when no listener uses a TLS 1.3
     *     policy, and the console's default listener policy is now a TLS 1.3 one (ALBPOL,
     *     https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html); SNI to
     *     targets is not documented (UNVERIFIED: assumed not sent).</li>
     * </ul>
     * The health-check Host header is not documented in the sources read; the profile probes with the checked Host.
     */
    public static final GatewayProfile AWS_ALB = builder()
            .id("aws-alb").name("AWS Application Load Balancer")
            .idleTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(60))
            .connectTimeout(Duration.ofSeconds(10)).tlsHandshakeTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(ProbeSpec.builder().path("/").interval(Duration.ofSeconds(30))
                    .timeout(Duration.ofSeconds(5)).unhealthyThreshold(2).accept(StatusRange.of(200)).build())
            .probeLimits(ProbeLimits.seconds(5, 300, 2, 120, 2, 10, 0, new StatusRange(200, 499), false))
            .tlsProtocols("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3").sendsSni(false)
            .certificateValidation(CertificateValidation.NONE)
            .failsOpen(true)
            .status(Cause.CONNECT_TIMEOUT, 504).status(Cause.RESPONSE_TIMEOUT, 504)
            .status(Cause.EMPTY_BACKEND_POOL, 503)
            .severity(Cause.ALL_BACKENDS_UNHEALTHY, Severity.WARNING)
            .status(Cause.CONTENT_LENGTH_MISMATCH, 504)
            .build();

    /**
     * AWS CloudFront, custom origin. Values and sources:
     * <ul>
     * <li>origin keep-alive timeout 5 s, origin read (response) timeout 30 s, connection timeout 10 s (3 attempts)
     *     (CFSDK, https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudfront/aws.sdk.kotlin.services.cloudfront.model/-vpc-origin-config/origin-keepalive-timeout.html
     *     and the sibling origin-read-timeout / connection-timeout pages; CFBEH, awsdocs
     *     amazon-cloudfront-developer-guide {@code doc_source/RequestAndResponseBehaviorCustomOrigin.md});</li>
     * <li>a slow origin, or one a firewall hides, gets <b>504</b> (CF504, {@code doc_source/http-504-gateway-timeout.md});
     *     TLS failures, connection failures and DNS failures get 502 with {@code X-Cache: Error from cloudfront}
     *     (CF502, https://docs.aws.amazon.com/en_us/AmazonCloudFront/latest/DeveloperGuide/troubleshooting-response-errors.html);</li>
     * <li>origin TLS: SSLv3/TLSv1/TLSv1.1/TLSv1.2 selectable, a Mozilla-trusted CA, not self-signed, full chain in
     *     order, name = origin domain or forwarded Host (CFHTTPS, {@code doc_source/using-https-cloudfront-to-custom-origin.md};
     *     CFCIPH, https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-ciphers-cloudfront-to-origin.html);
     *     SNI implied by CF502's {@code -servername} advice (UNVERIFIED);</li>
     * <li>no origin health probe in the docs read; the response-header limit was not found (generic 32 KiB).</li>
     * </ul>
     */
    public static final GatewayProfile AWS_CLOUDFRONT = builder()
            .id("aws-cloudfront").name("AWS CloudFront (custom origin)")
            .idleTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(30))
            .connectTimeout(Duration.ofSeconds(10)).tlsHandshakeTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(null)
            .tlsProtocols("TLSv1", "TLSv1.1", "TLSv1.2").sendsSni(true)
            .certificateValidation(CertificateValidation.PUBLIC_CA)
            .status(Cause.RESPONSE_TIMEOUT, 504).status(Cause.CONNECT_TIMEOUT, 504)
            .build();

    /**
     * Google Cloud global external Application Load Balancer (GFE). Values and sources:
     * <ul>
     * <li>backend keep-alive fixed at 600 s: the backend must keep idle connections longer (GCPKA, quoting
     *     https://cloud.google.com/load-balancing/docs/https/#timeouts_and_retries; GCPRD,
     *     https://cloud.google.com/load-balancing/docs/https/request-distribution);</li>
     * <li>backend service timeout 30 s, {@code backend_timeout} (GCPBS,
     *     https://cloud.google.com/compute/docs/reference/latest/backendServices; GCPLOG,
     *     https://cloud.google.com/load-balancing/docs/https/https-logging-monitoring#failure-messages); no
     *     healthy backend ({@code failed_to_pick_backend}) and certificate-property failures answer <b>503</b>, most
     *     other backend failures 502 (GCPLOG);</li>
     * <li>legacy HTTP health check defaults: {@code GET /}, interval 5 s, timeout 5 s, unhealthy threshold 2,
     *     success 200 (GCPHC, https://cloud.google.com/sdk/gcloud/reference/compute/http-health-checks/create;
     *     200 UNVERIFIED);</li>
     * <li>backend TLS 1.3 and "1.2 and earlier" (GCPENC,
     *     https://cloud.google.com/load-balancing/docs/ssl-certificates/encryption-to-the-backends; audit 2026-12-01),
     *     no certificate validation and no SNI unless backend authenticated TLS is configured (GCPTLS,
     *     https://cloud.google.com/load-balancing/docs/backend-authenticated-tls-backend-mtls; SNI UNVERIFIED);</li>
     * <li>connect timeout and response-header limit not documented (generic 10 s and 32 KiB).</li>
     * </ul>
     */
    public static final GatewayProfile GOOGLE_CLOUD_LB = builder()
            .id("gcp-lb").name("Google Cloud external Application Load Balancer")
            .idleTimeout(Duration.ofSeconds(600)).requestTimeout(Duration.ofSeconds(30))
            .connectTimeout(Duration.ofSeconds(10)).tlsHandshakeTimeout(Duration.ofSeconds(10))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(ProbeSpec.builder().path("/").interval(Duration.ofSeconds(5))
                    .timeout(Duration.ofSeconds(5)).unhealthyThreshold(2).accept(StatusRange.of(200)).build())
            .tlsProtocols("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3").sendsSni(false)
            .certificateValidation(CertificateValidation.NONE)
            .status(Cause.ALL_BACKENDS_UNHEALTHY, 503).status(Cause.EMPTY_BACKEND_POOL, 503)
            .status(Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, 503)
            .build();

    /**
     * Cloudflare (proxied), SSL mode Full (strict). Values and sources:
     * <ul>
     * <li>Proxy Idle Timeout 900 s, Proxy Read Timeout <b>120 s</b> (raised from 100 s; page updated 2026-07-23),
     *     response headers 32 KB in total (CFLLIM,
     *     https://developers.cloudflare.com/fundamentals/reference/connection-limits/);</li>
     * <li>statuses (CFL52x, https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-520/
     *     and its siblings 521-526): <b>520</b> empty, malformed or oversized responses, resets, client-certificate
     *     demands; <b>521</b> connection refused or wrong port for the SSL mode; <b>522</b> no SYN+ACK within 19 s,
     *     and keep-alives disabled at the origin (so {@link Cause#KEEPALIVE_DISABLED_ON_BACKEND} is a WARNING here);
     *     <b>523</b> origin unreachable; <b>524</b> no response within the read timeout; <b>525</b> handshake failed
     *     (no shared cipher or version, no SNI support); <b>526</b> invalid certificate in Full (strict): expired,
     *     revoked, self-signed, untrusted, wrong host name (and so an incomplete or misordered chain); a 502/504
     *     from the origin itself is passed on (branded); Error 1016, origin DNS error, is served as HTTP 530;</li>
     * <li>no active health probe without Cloudflare Load Balancing (not researched); SNI is sent (525 lists "no SNI
     *     support" at the origin); TLS 1.0-1.3 offered to origins (CFLCIPH,
     *     https://developers.cloudflare.com/ssl/origin-configuration/cipher-suites/). For SSL mode Full
     *     (no validation) derive a profile with {@code certificateValidation(NONE)}.</li>
     * </ul>
     */
    public static final GatewayProfile CLOUDFLARE = builder()
            .id("cloudflare").name("Cloudflare (proxied, SSL Full strict)")
            .idleTimeout(Duration.ofSeconds(900)).requestTimeout(Duration.ofSeconds(120))
            .connectTimeout(Duration.ofSeconds(19)).tlsHandshakeTimeout(Duration.ofSeconds(19))
            .maxResponseHeaderBytes(32 * 1024)
            .defaultProbe(null)
            .tlsProtocols("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3").sendsSni(true)
            .certificateValidation(CertificateValidation.PUBLIC_CA)
            .defaultStatus(520)
            .status(Cause.CONNECTION_REFUSED, 521).status(Cause.PROTOCOL_PORT_MISMATCH, 521)
            .status(Cause.CONNECT_TIMEOUT, 522).status(Cause.KEEPALIVE_DISABLED_ON_BACKEND, 522)
            .status(Cause.HOST_UNREACHABLE, 523).status(Cause.RESPONSE_TIMEOUT, 524)
            .status(Cause.TLS_PROTOCOL_VERSION_MISMATCH, 525).status(Cause.TLS_NO_SHARED_CIPHER, 525)
            .status(Cause.TLS_SNI_REQUIRED_NOT_SENT, 525).status(Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND, 525)
            .status(Cause.TLS_HANDSHAKE_TIMEOUT, 525)
            .status(Cause.TLS_CERT_EXPIRED, 526).status(Cause.TLS_CERT_NOT_YET_VALID, 526)
            .status(Cause.TLS_CERT_REVOKED, 526).status(Cause.TLS_SELF_SIGNED, 526)
            .status(Cause.TLS_CERT_UNTRUSTED_CA, 526).status(Cause.TLS_CERT_HOSTNAME_MISMATCH, 526)
            .status(Cause.TLS_CHAIN_INCOMPLETE, 526).status(Cause.TLS_CHAIN_MISORDERED, 526)
            .status(Cause.TLS_TRUSTED_ROOT_MISMATCH, 526).status(Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, 526)
            .status(Cause.BACKEND_DNS_RESOLUTION_FAILURE, 530)
            .status(Cause.CONTENT_LENGTH_MISMATCH, 502).status(Cause.INVALID_COMPRESSED_BODY, 502)
            .severity(Cause.KEEPALIVE_DISABLED_ON_BACKEND, Severity.WARNING)
            .build();

    /**
     * nginx {@code proxy_pass} with the open-source defaults (nginx source, NGX, https://github.com/nginx/nginx,
     * {@code src/http/modules/ngx_http_proxy_module.c}, {@code ngx_http_upstream.c},
     * {@code ngx_http_upstream_keepalive_module.c}):
     * upstream {@code keepalive_timeout} 60 s; {@code proxy_read_timeout}, {@code proxy_connect_timeout} 60 s, each
     * answered with <b>504</b> ("upstream timed out"), as is a handshake timeout; {@code proxy_buffer_size} one memory
     * page (4 KiB on x86-64), so larger response headers are "upstream sent too big header" 502;
     * {@code proxy_ssl_protocols} TLSv1.2 TLSv1.3, {@code proxy_ssl_verify off} (no certificate validation),
     * {@code proxy_ssl_server_name off} (no SNI); no active health probe in open-source nginx (passive only;
     * "no live upstreams" 502). Since nginx 1.29.7/1.30.0 an explicit {@code upstream} block keeps HTTP/1.1
     * connections alive by default (before, {@code keepalive} had to be configured): the idle keep-alive matters
     * either way.
     * nginx sends the backend's status line and headers to the client as soon as it has
     * parsed them ({@code ngx_http_upstream_send_response}, before the body is read), so a body that breaks later
     * reaches the client as the backend's status and a cut body ("upstream prematurely closed connection while
     * reading upstream"), not a 502 ({@link #streamsResponseHead()}); a response without a valid status line is
     * relayed as an HTTP/0.9 response ({@code ngx_http_proxy_process_status_line}: "upstream sent no valid HTTP/1.0
     * header"), not a 502 (status 0 for {@link Cause#MALFORMED_STATUS_LINE}). Both were seen against nginx 1.22.1
     * by the differential test ({@code NginxDifferentialTest}).
     */
    public static final GatewayProfile NGINX = builder()
            .id("nginx").name("nginx proxy_pass (defaults)")
            .idleTimeout(Duration.ofSeconds(60)).requestTimeout(Duration.ofSeconds(60))
            .connectTimeout(Duration.ofSeconds(60)).tlsHandshakeTimeout(Duration.ofSeconds(60))
            .maxResponseHeaderBytes(4096)
            .defaultProbe(null)
            .tlsProtocols("TLSv1.2", "TLSv1.3").sendsSni(false)
            .certificateValidation(CertificateValidation.NONE)
            .status(Cause.CONNECT_TIMEOUT, 504).status(Cause.RESPONSE_TIMEOUT, 504)
            .status(Cause.TLS_HANDSHAKE_TIMEOUT, 504)
            .streamsResponseHead(true).status(Cause.MALFORMED_STATUS_LINE, 0)
            .build();

    /**
     * HAProxy with Debian's packaged defaults. Sources: HAProxy 2.6 configuration manual (HAP; Debian
     * {@code /usr/share/doc/haproxy/configuration.txt.gz}, online https://docs.haproxy.org/2.6/configuration.html):
     * 502 "when the server returns an empty, invalid or incomplete response", <b>503</b> "when no server was
     * available", <b>504</b> "when the response timeout strikes" (section 1.3.1); {@code check inter} 2000 ms, which
     * is also the check timeout without {@code timeout check}, {@code fall} 3, {@code rise} 2, {@code option httpchk}
     * accepts 2xx and 3xx; {@code tune.bufsize} 16384 bytes bounds a response head (a larger one is
     * an invalid response, 502); idle server connections are purged after {@code pool-purge-delay} 5 s. Timeouts have no
     * built-in default: Debian's {@code /etc/haproxy/haproxy.cfg} sets {@code timeout connect 5000} and
     * {@code timeout server 50000} (connect failures answered 503, session flag {@code sC}). Backend TLS: {@code verify}
     * defaults to {@code required} (global {@code ssl-server-verify required}), so the chain must lead to the
     * {@code ca-file} (give its roots with {@code trusting(...)}; public roots otherwise); the name is checked only
     * with {@code verifyhost} or {@code sni}, so a name mismatch is only INFO here. HAProxy 2.6 (Debian 12) sends no
     * SNI unless {@code sni} is configured; since 3.3 it takes SNI from the Host header by default: see
     * {@link #HAPROXY_3_3} (audit 2026-12-01, HAProxy {@code doc/configuration.txt}). A {@code server ... check}
     * line without {@code option httpchk} checks TCP only, so the profile has no HTTP probe (passive: the connect
     * check stands for it); with {@code option httpchk} HAProxy sends {@code OPTIONS / HTTP/1.0} without Host and
     * accepts 2xx/3xx: check that with {@code probe(ProbeSpec)}.
     */
    public static final GatewayProfile HAPROXY = builder()
            .id("haproxy").name("HAProxy 2.6 (Debian defaults)")
            .idleTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(50))
            .connectTimeout(Duration.ofSeconds(5)).tlsHandshakeTimeout(Duration.ofSeconds(5))
            .maxResponseHeaderBytes(16 * 1024)
            .defaultProbe(null)
            .tlsProtocols("TLSv1.2", "TLSv1.3").sendsSni(false)
            .certificateValidation(CertificateValidation.PUBLIC_CA)
            .severity(Cause.TLS_CERT_HOSTNAME_MISMATCH, Severity.INFO)
            .status(Cause.CONNECT_TIMEOUT, 503).status(Cause.RESPONSE_TIMEOUT, 504)
            .status(Cause.ALL_BACKENDS_UNHEALTHY, 503).status(Cause.EMPTY_BACKEND_POOL, 503)
            .build();

    /**
     * HAProxy 3.3 and later: as {@link #HAPROXY}, except that SNI toward servers is taken from the Host header by
     * default (HAProxy 3.3.0, {@code doc/configuration.txt}, {@code sni} server keyword; audit 2026-12-01), so the
     * backend's certificate name is checked against it.
     */
    public static final GatewayProfile HAPROXY_3_3 = HAPROXY.toBuilder()
            .id("haproxy-3-3").name("HAProxy 3.3+ (SNI from Host)")
            .sendsSni(true)
            .severity(Cause.TLS_CERT_HOSTNAME_MISMATCH, Cause.TLS_CERT_HOSTNAME_MISMATCH.defaultSeverity())
            .build();

    /**
     * Envoy with its defaults (ENVOY, https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage):
     * route timeout 15 s answered <b>504</b> ({@code UT}); cluster {@code idle_timeout} 1 h; upstream connection
     * failures, resets, terminations and "no healthy upstream" answered <b>503</b> ({@code UF}, {@code UR},
     * {@code UC}, {@code UH}), so Envoy's "502" is a 503. Cluster {@code connect_timeout} 5 s (ENVOYCL,
     * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto); HTTP/1 codec limits 60 KiB
     * of response headers and 100 headers (ENVOYPROTO,
     * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/protocol.proto; the header count is not
     * modelled); the upstream TLS maximum is UNVERIFIED (TLS 1.2-1.3 assumed); no active health check unless
     * configured.
     */
    public static final GatewayProfile ENVOY = builder()
            .id("envoy").name("Envoy (defaults)")
            .idleTimeout(Duration.ofHours(1)).requestTimeout(Duration.ofSeconds(15))
            .connectTimeout(Duration.ofSeconds(5)).tlsHandshakeTimeout(Duration.ofSeconds(5))
            .maxResponseHeaderBytes(60 * 1024)
            .defaultProbe(null)
            .tlsProtocols("TLSv1.2", "TLSv1.3").sendsSni(false)
            .certificateValidation(CertificateValidation.NONE)
            .defaultStatus(503)
            .status(Cause.RESPONSE_TIMEOUT, 504)
            .build();

    private final String id;
    private final String name;
    private final Duration idleTimeout;
    private final Duration requestTimeout;
    private final Duration connectTimeout;
    private final Duration tlsHandshakeTimeout;
    private final int maxResponseHeaderBytes;
    private final ProbeSpec defaultProbe;
    private final List<String> tlsProtocols;
    private final List<String> cipherSuites;
    private final boolean sendsSni;
    private final CertificateValidation certificateValidation;
    private final Duration certExpiryWarning;
    private final int maxChainLength;
    private final BackendHttp2 backendHttp2;
    private final boolean failsOpen;
    private final boolean streamsResponseHead;
    private final int defaultStatus;
    private final Map<Cause, Integer> statuses;
    private final Map<Cause, Severity> severities;
    private final ProbeLimits probeLimits;

    private GatewayProfile(Builder b) {
        this.id = b.id;
        this.name = b.name;
        this.idleTimeout = b.idleTimeout;
        this.requestTimeout = b.requestTimeout;
        this.connectTimeout = b.connectTimeout;
        this.tlsHandshakeTimeout = b.tlsHandshakeTimeout;
        this.maxResponseHeaderBytes = b.maxResponseHeaderBytes;
        this.defaultProbe = b.defaultProbe;
        this.tlsProtocols = List.copyOf(b.tlsProtocols);
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.sendsSni = b.sendsSni;
        this.certificateValidation = b.certificateValidation;
        this.certExpiryWarning = b.certExpiryWarning;
        this.maxChainLength = b.maxChainLength;
        this.backendHttp2 = b.backendHttp2;
        this.failsOpen = b.failsOpen;
        this.streamsResponseHead = b.streamsResponseHead;
        this.defaultStatus = b.defaultStatus;
        this.statuses = Map.copyOf(b.statuses);
        this.severities = Map.copyOf(b.severities);
        this.probeLimits = b.probeLimits;
    }

    /** The short id the command line uses ({@code --profile}), e.g. {@code azure-v2}. */
    public String id() {
        return id;
    }

    /** A readable name, shown in every report. */
    public String name() {
        return name;
    }

    /** How long the gateway keeps an idle connection to the backend for reuse; the backend must keep it longer. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long the gateway waits for the backend's response (first byte). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long the gateway waits for the TCP handshake. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long the gateway waits for the TLS handshake. */
    public Duration tlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    /** The largest response header section the gateway accepts, in bytes. */
    public int maxResponseHeaderBytes() {
        return maxResponseHeaderBytes;
    }

    /** The gateway's default health probe, or {@code null} when it has none (passive health only). */
    public ProbeSpec defaultProbe() {
        return defaultProbe;
    }

    /**
     * The values this gateway accepts in a custom probe (interval, timeout, threshold ranges, body match), or empty
     * when they are not documented; the rules every gateway shares are checked either way.
     */
    public java.util.Optional<ProbeLimits> probeLimits() {
        return java.util.Optional.ofNullable(probeLimits);
    }

    /** The TLS versions the gateway offers to backends, JSSE names ({@code TLSv1.2}). */
    public List<String> tlsProtocols() {
        return tlsProtocols;
    }

    /** The cipher suites the gateway offers (JSSE names); empty for the JDK's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Whether the gateway sends SNI on live traffic to the backend. */
    public boolean sendsSni() {
        return sendsSni;
    }

    /** How the gateway validates the backend certificate. */
    public CertificateValidation certificateValidation() {
        return certificateValidation;
    }

    /** Warn when a certificate expires within this window. Default 30 days. */
    public Duration certExpiryWarning() {
        return certExpiryWarning;
    }

    /** The longest chain (certificates presented) the gateway accepts. */
    public int maxChainLength() {
        return maxChainLength;
    }

    /**
     * Whether the gateway speaks HTTP/2 to TLS backends: {@link BackendHttp2#NONE} (HTTP/1.1 only, every preset: the
     * presets describe default configurations), {@link BackendHttp2#OFFERED} (ALPN {@code h2, http/1.1}: Envoy with
     * HTTP/2 upstream options), {@link BackendHttp2#REQUIRED} (HTTP/2 only: Google Cloud LB with backend protocol
     * HTTP/2, ALB with protocol version HTTP/2). Azure Application Gateway speaks HTTP/1.1 to backends.
     */
    public BackendHttp2 backendHttp2() {
        return backendHttp2;
    }

    /** How a gateway speaks HTTP/2 to its TLS backends (see {@link #backendHttp2()}). */
    public enum BackendHttp2 {
        /** HTTP/1.1 only; no ALPN h2. */
        NONE,
        /** Offers {@code h2, http/1.1} and uses HTTP/2 when the backend selects it. */
        OFFERED,
        /** Needs the backend to select {@code h2} (GCP {@code failed_to_negotiate_alpn} otherwise). */
        REQUIRED
    }

    /** Whether the gateway routes to unhealthy members when all are unhealthy (AWS ALB fails open). */
    public boolean failsOpen() {
        return failsOpen;
    }

    /**
     * Whether the gateway passes the backend's status line and headers on to the client before the body has
     * arrived (nginx does, {@code proxy_buffering} or not). For such a gateway, a body that breaks afterwards (cut
     * short, reset, stalled past the read timeout, badly chunked) reaches the client as the backend's status and a
     * cut body, not as a 5xx of the gateway's, and a body the gateway does not decode (extra bytes after
     * Content-Length, a broken gzip coding) reaches it as sent: findings about the body keep their severity (the
     * client's response fails) but carry no gateway status.
     */
    public boolean streamsResponseHead() {
        return streamsResponseHead;
    }

    /** The status overrides per cause (the judge reads them). */
    public Map<Cause, Integer> statuses() {
        return statuses;
    }

    /** The severity overrides per cause (the judge reads them). */
    public Map<Cause, Severity> severities() {
        return severities;
    }

    /** The status answered for causes without an override. */
    public int defaultStatus() {
        return defaultStatus;
    }

    /** A builder seeded with this profile, to derive a custom one. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.idleTimeout = idleTimeout;
        b.requestTimeout = requestTimeout;
        b.connectTimeout = connectTimeout;
        b.tlsHandshakeTimeout = tlsHandshakeTimeout;
        b.maxResponseHeaderBytes = maxResponseHeaderBytes;
        b.defaultProbe = defaultProbe;
        b.tlsProtocols = tlsProtocols;
        b.cipherSuites = cipherSuites;
        b.sendsSni = sendsSni;
        b.certificateValidation = certificateValidation;
        b.certExpiryWarning = certExpiryWarning;
        b.maxChainLength = maxChainLength;
        b.backendHttp2 = backendHttp2;
        b.failsOpen = failsOpen;
        b.streamsResponseHead = streamsResponseHead;
        b.defaultStatus = defaultStatus;
        b.statuses.putAll(statuses);
        b.severities.putAll(severities);
        b.probeLimits = probeLimits;
        return b;
    }

    /** A builder with the {@link #GENERIC} defaults for every limit and no name. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every preset, in documentation order. */
    public static List<GatewayProfile> presets() {
        return Presets.ALL;
    }

    /**
     * The preset with this {@link #id()}, ignoring case.
     *
     * @throws IllegalArgumentException naming the known ids
     */
    public static GatewayProfile named(String id) {
        Objects.requireNonNull(id, "profile");
        for (GatewayProfile p : presets()) {
            if (p.id.equalsIgnoreCase(id.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile must be one of " + presets().stream().map(GatewayProfile::id)
                .toList() + ", got '" + id + "'");
    }

    /** Positive and at most {@link #LONGEST}, or an exception naming the parameter. */
    static Duration requireTimeout(Duration d, String name) {
        requirePositive(d, name);
        if (d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(name + " must be at most 7 days (PT168H), got " + d);
        }
        return d;
    }

    static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    /** Equal when every limit, policy, probe, status and severity is equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GatewayProfile)) {
            return false;
        }
        GatewayProfile p = (GatewayProfile) o;
        return id.equals(p.id) && name.equals(p.name) && idleTimeout.equals(p.idleTimeout)
                && requestTimeout.equals(p.requestTimeout) && connectTimeout.equals(p.connectTimeout)
                && tlsHandshakeTimeout.equals(p.tlsHandshakeTimeout)
                && maxResponseHeaderBytes == p.maxResponseHeaderBytes
                && java.util.Objects.equals(defaultProbe, p.defaultProbe) && tlsProtocols.equals(p.tlsProtocols)
                && cipherSuites.equals(p.cipherSuites) && sendsSni == p.sendsSni
                && certificateValidation == p.certificateValidation && certExpiryWarning.equals(p.certExpiryWarning)
                && maxChainLength == p.maxChainLength && backendHttp2 == p.backendHttp2 && failsOpen == p.failsOpen
                && streamsResponseHead == p.streamsResponseHead && defaultStatus == p.defaultStatus
                && statuses.equals(p.statuses) && severities.equals(p.severities)
                && java.util.Objects.equals(probeLimits, p.probeLimits);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** One line with the limits, e.g. for jshell. */
    @Override
    public String toString() {
        return "GatewayProfile[" + id + ": " + name + ", idle=" + idleTimeout.toSeconds() + "s, request="
                + requestTimeout.toSeconds() + "s, connect=" + connectTimeout.toSeconds() + "s, tls="
                + tlsProtocols + ", validation=" + certificateValidation + ", sni=" + sendsSni
                + ", maxHeader=" + maxResponseHeaderBytes + "B, probe=" + defaultProbe
                + (backendHttp2 == BackendHttp2.NONE ? "" : ", backendHttp2=" + backendHttp2)
                + (failsOpen ? ", failsOpen" : "") + (streamsResponseHead ? ", streamsResponseHead" : "") + "]";
    }

    /** Builds a {@link GatewayProfile}; not thread-safe. */
    public static final class Builder {
        private String id = "custom";
        private String name = "custom gateway";
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
        private int maxResponseHeaderBytes = 32 * 1024;
        private ProbeSpec defaultProbe = ProbeSpec.builder().timeout(Duration.ofSeconds(5)).build();
        private List<String> tlsProtocols = List.of("TLSv1.2", "TLSv1.3");
        private List<String> cipherSuites = List.of();
        private boolean sendsSni = true;
        private CertificateValidation certificateValidation = CertificateValidation.PUBLIC_CA;
        private Duration certExpiryWarning = Duration.ofDays(30);
        private int maxChainLength = 10;
        private BackendHttp2 backendHttp2 = BackendHttp2.NONE;
        private boolean failsOpen;
        private boolean streamsResponseHead;
        private int defaultStatus = 502;
        private final Map<Cause, Integer> statuses = new EnumMap<>(Cause.class);
        private final Map<Cause, Severity> severities = new EnumMap<>(Cause.class);
        private ProbeLimits probeLimits;

        private Builder() {
        }

        /** Short id, lower case letters, digits and dashes. */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (!isId(id)) {
                throw new IllegalArgumentException("id must be lower-case letters, digits and dashes, got '" + id + "'");
            }
            this.id = id;
            return this;
        }

        /**
         * Whether {@code id} is {@code [a-z0-9][a-z0-9-]*}, checked by hand: every built-in profile's id is checked
         * when the class loads, and a regular expression compiled for it is a fresh JVM's time on the way to a check.
         */
        private static boolean isId(String id) {
            if (id.isEmpty() || id.charAt(0) == '-') {
                return false;
            }
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
            return true;
        }

        /** Readable name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Idle keep-alive towards the backend. Default: 60 s. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = requireTimeout(d, "idleTimeout");
            return this;
        }

        /** Response (first byte) timeout. Default: 20 s. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = requireTimeout(d, "requestTimeout");
            return this;
        }

        /** Connect timeout. Default: 10 s. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = requireTimeout(d, "connectTimeout");
            return this;
        }

        /** TLS handshake timeout. Default: 10 s. */
        public Builder tlsHandshakeTimeout(Duration d) {
            this.tlsHandshakeTimeout = requireTimeout(d, "tlsHandshakeTimeout");
            return this;
        }

        /** Response header limit in bytes. Default: 32768. */
        public Builder maxResponseHeaderBytes(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxResponseHeaderBytes must be at least 256, got " + bytes);
            }
            this.maxResponseHeaderBytes = bytes;
            return this;
        }

        /** Default health probe; {@code null} when the gateway has none. */
        public Builder defaultProbe(ProbeSpec probe) {
            this.defaultProbe = probe;
            return this;
        }

        /** TLS versions offered to backends (JSSE names). Default: TLSv1.2, TLSv1.3. */
        public Builder tlsProtocols(String... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("tlsProtocols must name at least one version, e.g. TLSv1.2");
            }
            this.tlsProtocols = List.of(protocols);
            return this;
        }

        /** Cipher suites offered (JSSE names); none for the JDK defaults. Default: none. */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites = List.of(suites);
            return this;
        }

        /** Whether SNI is sent. Default: true. */
        public Builder sendsSni(boolean sendsSni) {
            this.sendsSni = sendsSni;
            return this;
        }

        /** Trust model. Default: {@link CertificateValidation#PUBLIC_CA}. */
        public Builder certificateValidation(CertificateValidation v) {
            this.certificateValidation = Objects.requireNonNull(v, "certificateValidation");
            return this;
        }

        /** Expiry warning window. Default: 30 days. */
        public Builder certExpiryWarning(Duration d) {
            this.certExpiryWarning = requirePositive(d, "certExpiryWarning");
            return this;
        }

        /** Longest accepted chain. Default: 10. */
        public Builder maxChainLength(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxChainLength must be at least 1, got " + n);
            }
            this.maxChainLength = n;
            return this;
        }

        /**
         * How the gateway speaks HTTP/2 to TLS backends. Default: {@link BackendHttp2#NONE}.
         *
         * <pre>{@code
         * GatewayProfile gcpH2 = GatewayProfile.GOOGLE_CLOUD_LB.toBuilder().id("gcp-h2")
         *         .backendHttp2(GatewayProfile.BackendHttp2.REQUIRED).build();
         * }</pre>
         */
        public Builder backendHttp2(BackendHttp2 mode) {
            this.backendHttp2 = Objects.requireNonNull(mode, "backendHttp2");
            return this;
        }

        /** Whether the gateway fails open when all members are unhealthy. Default: false. */
        public Builder failsOpen(boolean failsOpen) {
            this.failsOpen = failsOpen;
            return this;
        }

        /**
         * Whether the gateway passes the backend's status line and headers on before the body has arrived, so that
         * a body that breaks afterwards reaches the client as the backend's status and a cut body (see
         * {@link GatewayProfile#streamsResponseHead()}). Default: false.
         */
        public Builder streamsResponseHead(boolean streams) {
            this.streamsResponseHead = streams;
            return this;
        }

        /** Status answered for causes without an override. Default: 502. */
        public Builder defaultStatus(int status) {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("defaultStatus must be 100-999, got " + status);
            }
            this.defaultStatus = status;
            return this;
        }

        /**
         * The status the gateway answers for {@code cause}; 0 when it answers no status of its own for it but relays
         * what the backend sent (nginx relays a response without a valid status line as an HTTP/0.9 response).
         */
        public Builder status(Cause cause, int status) {
            Objects.requireNonNull(cause, "cause");
            if (status != 0 && (status < 100 || status > 999)) {
                throw new IllegalArgumentException("status must be 0 (none of its own) or 100-999, got " + status);
            }
            statuses.put(cause, status);
            return this;
        }

        /** How the gateway judges {@code cause}. */
        public Builder severity(Cause cause, Severity severity) {
            severities.put(Objects.requireNonNull(cause, "cause"), Objects.requireNonNull(severity, "severity"));
            return this;
        }

        /** The values the gateway accepts in a custom probe; {@code null} when not documented. Default: none. */
        public Builder probeLimits(ProbeLimits limits) {
            this.probeLimits = limits;
            return this;
        }

        /** The profile. */
        public GatewayProfile build() {
            return new GatewayProfile(this);
        }
    }

    /** Holds the preset list so that class initialisation order cannot leave a null in it. */
    private static final class Presets {
        static final List<GatewayProfile> ALL = List.of(GENERIC, AZURE_APP_GATEWAY_V1, AZURE_APP_GATEWAY_V2, AWS_ALB,
                AWS_CLOUDFRONT, GOOGLE_CLOUD_LB, CLOUDFLARE, NGINX, HAPROXY, HAPROXY_3_3, ENVOY);
    }

}
