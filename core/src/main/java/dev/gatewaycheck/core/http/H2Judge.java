package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile.BackendHttp2;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.Observation;

/**
 * What an {@link H2Probe.Observation} shows, as an observation for a gateway that speaks HTTP/2 to backends
 * ({@link dev.gatewaycheck.GatewayProfile#backendHttp2()}): a backend that selects {@code h2} must answer the GET
 * over HTTP/2 (SETTINGS, then a response; no GOAWAY, RST_STREAM or non-HTTP/2 bytes), and a gateway that requires
 * HTTP/2 needs the backend to select {@code h2} at all (GCP {@code failed_to_negotiate_alpn}, Cloudflare 520
 * "incorrect HTTP/2 configuration at the origin").
 */
public final class H2Judge {

    private H2Judge() {
    }

    /**
     * Records {@code HTTP2_ALPN_MISCONFIGURED} when the backend fails a gateway that speaks HTTP/2 as {@code mode}
     * does (one that only offers h2 falls back to HTTP/1.1 when the backend selects it: nothing to record).
     */
    public static void judge(RunContext ctx, Target target, H2Probe.Observation o, BackendHttp2 mode) {
        if (o.failure() != null || mode == BackendHttp2.NONE) {
            return;   // the TLS check reports a handshake that fails
        }
        Evidence.Builder ev = Evidence.builder().put("alpnOffered", "h2, http/1.1")
                .put("alpnSelected", o.alpn().isEmpty() ? "(none)" : o.alpn()).put("gatewayHttp2", mode.name())
                .put("tlsProtocol", o.tlsProtocol());
        String backend = target.label();
        if (!o.alpn().equals("h2")) {
            if (mode == BackendHttp2.REQUIRED) {
                ctx.observe(Observation.of(Cause.HTTP2_ALPN_MISCONFIGURED, backend, "The gateway speaks only HTTP/2 "
                        + "to backends, but the backend selected " + (o.alpn().isEmpty() ? "no protocol" : o.alpn())
                        + " when offered h2, http/1.1 over ALPN", ev.build()));
            }
            return;
        }
        ev.put("settingsReceived", o.settingsReceived()).put("frames", String.join(", ", o.framesSeen()))
                .put("status", o.status() == 0 ? null : o.status()).put("goAway", o.goAway())
                .put("goAwayDebug", o.goAwayDebug()).put("rstStream", o.rstStream())
                .put("protocolError", o.protocolError()).put("end", o.end())
                .put("elapsedSeconds", o.elapsed());
        String what;
        switch (o.end()) {
            case "RESPONSE":
                return;   // HTTP/2 works; the response itself is judged by the HTTP/1.1 checks
            case "GOAWAY":
                what = "sent GOAWAY " + o.goAway() + (o.goAwayDebug() == null ? "" : " ('" + o.goAwayDebug() + "')")
                        + " instead of answering";
                break;
            case "RST_STREAM":
                what = "reset the request's stream (RST_STREAM " + o.rstStream() + ")";
                break;
            case "PROTOCOL_ERROR":
                what = "did not speak HTTP/2: " + o.protocolError();
                break;
            case "TIMEOUT":
                if (ctx.cutShort()) {
                    return;   // the run's deadline ended the wait: inconclusive
                }
                what = o.settingsReceived() ? "sent its SETTINGS but no response within " + dev.gatewaycheck.core.Text.seconds(o.elapsed())
                        : "did not answer the HTTP/2 connection preface within " + dev.gatewaycheck.core.Text.seconds(o.elapsed());
                break;
            default:
                what = "closed the connection (" + o.end() + ") " + (o.settingsReceived() ? "after its SETTINGS"
                        : "without answering the connection preface");
        }
        ctx.observe(Observation.of(Cause.HTTP2_ALPN_MISCONFIGURED, backend, "The backend selected h2 over ALPN but "
                + what, ev.build()));
    }
}
