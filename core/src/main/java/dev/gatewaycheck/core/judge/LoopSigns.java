package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.http.HttpObservation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Signs in a backend's direct answer that the request went back through the gateway (GCPLOG
 * {@code request_loop_detected}): a {@code Via} chain that names one hop twice, or the judging gateway's own
 * fingerprint on an answer that should come from the backend alone (CloudFront's {@code X-Amz-Cf-Id} and
 * {@code Via: ... (CloudFront)}, Cloudflare's {@code CF-RAY}, Google's {@code Via: 1.1 google}, Application
 * Gateway's and ALB's {@code Server}). Envoy's {@code x-envoy-upstream-service-time} is no sign: a backend behind its
 * own Envoy sidecar carries it without any loop. nginx and HAProxy add nothing by default. Pure.
 *
 * <pre>{@code
 * LoopSigns.gatewayFingerprint(observation, GatewayProfile.AWS_CLOUDFRONT);   // Optional[X-Amz-Cf-Id: abc==]
 * }</pre>
 */
final class LoopSigns {

    private LoopSigns() {
    }

    /** The received-by hop named twice in the {@code Via} headers, if any. */
    static Optional<String> repeatedVia(HttpObservation obs) {
        Set<String> hops = new HashSet<>();
        for (String via : obs.headers("Via")) {
            for (String entry : via.split(",")) {
                String[] parts = entry.strip().split("\\s+");
                if (parts.length >= 2 && !hops.add(parts[1].toLowerCase(Locale.ROOT))) {
                    return Optional.of(parts[1]);
                }
            }
        }
        return Optional.empty();
    }

    /** The judging gateway's own fingerprint in {@code obs}, as {@code Header: value}, if any. */
    static Optional<String> gatewayFingerprint(HttpObservation obs, GatewayProfile profile) {
        String id = profile.id();
        List<String> found = new ArrayList<>();
        if (id.contains("cloudfront")) {
            obs.header("X-Amz-Cf-Id").ifPresent(v -> found.add("X-Amz-Cf-Id: " + v));
            obs.headers("Via").stream().filter(v -> v.toLowerCase(Locale.ROOT).contains("cloudfront")).findFirst()
                    .ifPresent(v -> found.add("Via: " + v));
        } else if (id.startsWith("cloudflare")) {
            obs.header("CF-RAY").ifPresent(v -> found.add("CF-RAY: " + v));
        } else if (id.startsWith("gcp")) {
            obs.headers("Via").stream().filter(v -> v.toLowerCase(Locale.ROOT).matches(".*\\b1\\.1 google\\b.*"))
                    .findFirst().ifPresent(v -> found.add("Via: " + v));
        } else if (id.startsWith("azure")) {
            obs.header("Server").filter(v -> v.toLowerCase(Locale.ROOT).contains("microsoft-azure-application-gateway"))
                    .ifPresent(v -> found.add("Server: " + v));
        } else if (id.startsWith("aws-alb")) {
            obs.header("Server").filter(v -> v.toLowerCase(Locale.ROOT).startsWith("awselb"))
                    .ifPresent(v -> found.add("Server: " + v));
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", found));
    }
}
