package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.BackendHttp2;
import dev.gatewaycheck.core.Text;
import java.util.List;

/**
 * What an {@link H2Seen} shows for a gateway that speaks HTTP/2 to backends ({@link GatewayProfile#backendHttp2()}):
 * a backend that selects {@code h2} must answer the GET over HTTP/2 (SETTINGS, then a response; no GOAWAY,
 * RST_STREAM or non-HTTP/2 bytes), and a gateway that requires HTTP/2 needs the backend to select {@code h2} at all
 * (GCP {@code failed_to_negotiate_alpn}, Cloudflare 520 "incorrect HTTP/2 configuration at the origin"). A gateway
 * that only offers h2 falls back to HTTP/1.1 when the backend selects it: nothing to observe. Pure.
 *
 * <pre>{@code
 * ctx.observe(H2Rules.of(H2Probe.get(ctx, target, timeout), profile));
 * }</pre>
 */
public final class H2Rules {

    private H2Rules() {
    }

    /** {@code HTTP2_ALPN_MISCONFIGURED} when the backend fails a gateway that speaks HTTP/2 as the profile does. */
    public static List<Observation> of(H2Seen o, GatewayProfile profile) {
        BackendHttp2 mode = profile.backendHttp2();
        if (o.end() == H2Seen.End.ERROR || mode == BackendHttp2.NONE) {
            return List.of();   // the TLS check reports a handshake that fails
        }
        Evidence.Builder ev = Evidence.builder().put("alpnOffered", "h2, http/1.1")
                .put("alpnSelected", o.alpn().isEmpty() ? "(none)" : o.alpn()).put("gatewayHttp2", mode.name())
                .put("tlsProtocol", o.tlsProtocol());
        String backend = o.target().label();
        if (!o.alpn().equals("h2")) {
            return mode != BackendHttp2.REQUIRED ? List.of() : List.of(Observation.of(Cause.HTTP2_ALPN_MISCONFIGURED,
                    backend, "The gateway speaks only HTTP/2 to backends, but the backend selected "
                    + (o.alpn().isEmpty() ? "no protocol" : o.alpn()) + " when offered h2, http/1.1 over ALPN",
                    ev.build()));
        }
        ev.put("settingsReceived", o.settingsReceived()).put("frames", String.join(", ", o.framesSeen()))
                .put("status", o.status() == 0 ? null : o.status()).put("goAway", o.goAway())
                .put("goAwayDebug", o.goAwayDebug()).put("rstStream", o.rstStream())
                .put("protocolError", o.protocolError()).put("end", o.end())
                .put("elapsedSeconds", o.elapsed());
        String what;
        switch (o.end()) {
            case RESPONSE:
                return List.of();   // HTTP/2 works; the response itself is judged by the HTTP/1.1 checks
            case GOAWAY:
                what = "sent GOAWAY " + o.goAway() + (o.goAwayDebug() == null ? "" : " ('" + o.goAwayDebug() + "')")
                        + " instead of answering";
                break;
            case RST_STREAM:
                what = "reset the request's stream (RST_STREAM " + o.rstStream() + ")";
                break;
            case PROTOCOL_ERROR:
                what = "did not speak HTTP/2: " + o.protocolError();
                break;
            case TIMEOUT:
                if (o.cutShort()) {
                    return List.of();   // the run's deadline ended the wait: inconclusive
                }
                what = (o.settingsReceived() ? "sent its SETTINGS but no response within "
                        : "did not answer the HTTP/2 connection preface within ") + Text.seconds(o.elapsed());
                break;
            default:
                what = "closed the connection (" + o.end() + ") " + (o.settingsReceived() ? "after its SETTINGS"
                        : "without answering the connection preface");
        }
        return List.of(Observation.of(Cause.HTTP2_ALPN_MISCONFIGURED, backend, "The backend selected h2 over ALPN but "
                + what, ev.build()));
    }
}
