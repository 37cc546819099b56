package example;

import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.KeepAliveCheck;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.RequestBody;
import dev.gatewaycheck.StatusRange;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * README's other Java blocks, outside "Use it": compiled against the published API so that they cannot drift from
 * it, never run (they name documentation addresses such as 10.0.0.4, which no test may connect to).
 */
@SuppressWarnings("unused")
final class MoreRecipes {

    private MoreRecipes() {
    }

    static void whatItLooksLike() {
        // README: What it looks like
        Report r = GatewayCheck.forBackend("http://127.0.0.4:8080")    // where the gateway connects
                .withHost("www.contoso.com")                            // Host header, SNI and certificate name
                .against(GatewayProfile.AZURE_APP_GATEWAY_V2)           // whose limits and probe judge the findings
                .probe()                                                // which checks; none named = all
                .run();
        System.out.println(r);
        // README end
    }

    static void uploads() {
        // README: Uploads
        Report r = GatewayCheck.forBackend("http://10.0.0.4:8080").withPath("/upload")
                .against(GatewayProfile.GOOGLE_CLOUD_LB)
                .withRequestBody(RequestBody.ofSize(4 * 1024 * 1024))   // or RequestBody.of(bytes, "application/json")
                .probe().run();
        // README end
    }

    static void http2Backends() {
        // README: HTTP/2 to backends
        GatewayProfile gcpH2 = GatewayProfile.GOOGLE_CLOUD_LB.toBuilder().id("gcp-h2")
                .backendHttp2(GatewayProfile.BackendHttp2.REQUIRED).build();
        // README end
    }

    static void tls() {
        // README: TLS
        Report r = GatewayCheck.forBackend("https://10.0.0.4:443")
                .withHost("www.contoso.com")            // SNI and the name the certificate must match
                .trusting(Path.of("root-ca.pem"))       // the gateway's trusted roots, if private
                .tls()
                .run();
        // README end
    }

    static void trustedRoots(String url, KeyStore keyStore, X509Certificate rootCert, X509Certificate otherRoot) {
        // README: Passing the gateway's trusted roots
        GatewayCheck.forBackend(url).trusting(Path.of("roots.pem"));       // PEM or DER, one or more certificates
        GatewayCheck.forBackend(url).trusting(keyStore);                   // every certificate in a loaded KeyStore
        GatewayCheck.forBackend(url).trusting(rootCert, otherRoot);        // X509Certificate...
        // README end
    }

    static void tlsPolicy() {
        // README: a TLS policy of one's own
        GatewayProfile tls12Only = GatewayProfile.GENERIC.toBuilder().id("tls12-only")
                .tlsProtocols("TLSv1.2").cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .sendsSni(false).certExpiryWarning(Duration.ofDays(14)).maxChainLength(4).build();
        // README end
    }

    static void keepAlive(GatewayProfile azureV2) {
        // README: Keep-alive
        Report r = GatewayCheck.forBackend("http://10.0.0.4")
                .against(azureV2)                                   // its idleTimeout() is what the backend must outlast
                .keepAlive(KeepAliveCheck.reproduceRace())          // or .keepAlive() to measure only
                .run();
        // README end
    }

    static void profile() {
        // README: Gateway profiles
        GatewayProfile myAlb = GatewayProfile.AWS_ALB.toBuilder()
                .id("my-alb").name("our ALB (idle 120 s)")
                .idleTimeout(Duration.ofSeconds(120))
                .build();
        // README end
    }

    static void probe() {
        // README: Health probes
        ProbeSpec probe = ProbeSpec.builder()
                .path("/healthz").host("www.contoso.com")
                .interval(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(30)).unhealthyThreshold(3)
                .accept(StatusRange.parse("200-399")).bodyContains("OK")
                .build();
        Report r = GatewayCheck.forBackend("http://10.0.0.4:8080").withHost("www.contoso.com")
                .against(GatewayProfile.AZURE_APP_GATEWAY_V2).probe(probe).run();
        // README end
    }

    static void pool() {
        // README: Pools
        PoolReport pool = GatewayCheck.forPool(List.of("http://app.internal:8080", "http://10.0.0.5:8080"))
                .withHost("www.contoso.com")
                .against(GatewayProfile.AZURE_APP_GATEWAY_V2)
                .resolvingWith(NameResolver.staticMap(Map.of("app.internal", List.of("10.0.0.4", "10.0.0.6"))))
                .timeout(Duration.ofSeconds(30))
                .run();
        pool.unhealthyMembers().forEach(m -> System.out.println(m.report()));
        String json = pool.toJson();
        // README end
    }

    static void frontDoor() {
        // README: Which hop answered the 502?
        FrontendReport r = GatewayCheck.forFrontend("https://www.contoso.com/")
                .withBackends("https://alb-123.eu-west-1.elb.amazonaws.com")
                .run();
        r.product();     // "AWS CloudFront"
        r.faultyHop();   // BACKEND, FRONT_DOOR, NONE or UNDETERMINED
        r.verdict();     // one sentence
        // README end
    }
}
