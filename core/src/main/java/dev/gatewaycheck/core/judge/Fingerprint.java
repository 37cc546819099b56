package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.http.HttpObservation;
import java.util.Locale;
import java.util.Optional;

/**
 * The product that produced an error answer, told from what it leaves in the response: CloudFront's
 * {@code X-Cache: Error from cloudfront} (CF502), ALB's {@code Server: awselb/2.0}, Azure Application Gateway's
 * {@code Microsoft-Azure-Application-Gateway} error page, Cloudflare's {@code Server: cloudflare} with a 52x code
 * (CFL52x), nginx's default error page ({@code <center>nginx</center>}), HAProxy's and Envoy's default error texts,
 * Google's {@code Error 502 (Server Error)!!1} page. Pure.
 *
 * <pre>{@code
 * Fingerprint.identify(observation).map(Fingerprint::product);   // Optional[AWS CloudFront]
 * }</pre>
 *
 * @param product     the product's name, e.g. {@code AWS CloudFront}
 * @param profile     the matching preset
 * @param fingerprint the header or body text that identified it
 */
public record Fingerprint(String product, GatewayProfile profile, String fingerprint) {
    /** The first of Cloudflare's own error codes (520-530: the origin failed in a way Cloudflare names). */
    static final int CLOUDFLARE_FIRST = 520;
    /** The last of Cloudflare's own error codes. */
    static final int CLOUDFLARE_LAST = 530;

    /** The product that produced {@code obs}, if its fingerprint is known. */
    public static Optional<Fingerprint> identify(HttpObservation obs) {
        int status = obs.status();
        String server = obs.header("Server").orElse("");
        String serverLower = server.toLowerCase(Locale.ROOT);
        String body = obs.bodyLower();
        for (String xCache : obs.headers("X-Cache")) {
            if (xCache.toLowerCase(Locale.ROOT).contains("error from cloudfront")) {
                return found("AWS CloudFront", GatewayProfile.AWS_CLOUDFRONT, "X-Cache: " + xCache);
            }
        }
        if (serverLower.equals("cloudflare") && (cloudflareCode(status) || status == 502 || status == 504)) {
            return found("Cloudflare", GatewayProfile.CLOUDFLARE, "Server: " + server + " with " + status
                    + obs.header("CF-RAY").map(r -> ", CF-RAY: " + r).orElse(""));
        }
        if (serverLower.startsWith("awselb")) {
            return found("AWS Application Load Balancer", GatewayProfile.AWS_ALB, "Server: " + server);
        }
        if (serverLower.contains("microsoft-azure-application-gateway")
                || body.contains("microsoft-azure-application-gateway")) {
            boolean v2 = serverLower.contains("/v2") || body.contains("microsoft-azure-application-gateway/v2");
            return found(v2 ? "Azure Application Gateway v2" : "Azure Application Gateway",
                    v2 ? GatewayProfile.AZURE_APP_GATEWAY_V2 : GatewayProfile.AZURE_APP_GATEWAY_V1,
                    serverLower.contains("microsoft-azure") ? "Server: " + server
                            : "error page 'Microsoft-Azure-Application-Gateway'");
        }
        if (serverLower.equals("cloudfront")) {
            return found("AWS CloudFront", GatewayProfile.AWS_CLOUDFRONT, "Server: " + server);
        }
        boolean envoyServer = serverLower.equals("envoy") || serverLower.equals("istio-envoy");
        if (envoyServer || body.contains("upstream connect error or disconnect/reset before headers")
                || body.strip().equals("no healthy upstream") || body.strip().equals("upstream request timeout")) {
            return found("Envoy", GatewayProfile.ENVOY, envoyServer ? "Server: " + server
                    : "error text '" + obs.body().strip() + "'");
        }
        int center = body.indexOf("<center>nginx");
        if (center >= 0) {
            int end = body.indexOf("</center>", center);
            String page = end > center ? obs.body().substring(center, end + "</center>".length())
                    : obs.body().substring(center, Math.min(obs.body().length(), center + 40));
            return found("nginx", GatewayProfile.NGINX, "default error page " + page
                    + (server.isEmpty() ? "" : ", Server: " + server));
        }
        for (String text : new String[] {"the server returned an invalid or incomplete response",
                "no server is available to handle this request", "the server didn't respond in time"}) {
            if (body.contains(text)) {
                return found("HAProxy", GatewayProfile.HAPROXY, "default error page '" + text + "'");
            }
        }
        if (body.contains("(server error)!!1") || serverLower.equals("google frontend")) {
            return found("Google Cloud Load Balancer", GatewayProfile.GOOGLE_CLOUD_LB,
                    serverLower.equals("google frontend") ? "Server: " + server : "Google error page");
        }
        return Optional.empty();
    }

    /** Whether {@code status} is one of Cloudflare's own error codes. */
    static boolean cloudflareCode(int status) {
        return status >= CLOUDFLARE_FIRST && status <= CLOUDFLARE_LAST;
    }

    private static Optional<Fingerprint> found(String product, GatewayProfile profile, String fingerprint) {
        return Optional.of(new Fingerprint(product, profile, fingerprint));
    }
}
