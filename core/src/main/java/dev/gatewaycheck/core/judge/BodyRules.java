package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.BodyLookSeen.End;
import dev.gatewaycheck.core.judge.BodyLookSeen.Forwarded;
import dev.gatewaycheck.core.judge.BodyLookSeen.SecondLook;
import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a body's facts ({@link BodyLookSeen}) mean: {@link Cause#CONTENT_LENGTH_MISMATCH} for a body that stops
 * short of its Content-Length and then stalls for the gateway's whole wait (a FIN or RST is another cause), or that
 * more bytes follow; {@link Cause#INVALID_COMPRESSED_BODY} for a gzip or deflate body that does not inflate. Both
 * are seen after the head. Pure: no network, no clock.
 *
 * <pre>{@code
 * ctx.observe(BodyRules.of(secondLook, ctx.profile()));
 * }</pre>
 */
public final class BodyRules {

    /** The most characters of the bytes after the body the evidence shows (escaped). */
    static final int EXTRA_START_CHARS = 60;
    /** The most characters of a body that does not inflate the evidence shows (escaped): its magic bytes. */
    static final int BODY_START_CHARS = 16;

    private BodyRules() {
    }

    /** The observations {@code seen} shows for a gateway like {@code profile}; empty when none. */
    public static List<Observation> of(BodyLookSeen seen, GatewayProfile profile) {
        if (seen instanceof Forwarded f) {
            return forwarded(f, profile);
        }
        SecondLook look = (SecondLook) seen;
        String coding = look.contentEncoding();
        Evidence.Builder base = Evidence.builder().put("request", "GET " + look.path() + " (Accept-Encoding: "
                + look.acceptEncoding() + ", Connection: close)").put("host", look.host()).put("status", look.status())
                .put("contentEncoding", coding);
        if (look.contentLength() >= 0 && look.end() == End.STALL) {
            return List.of(Observation.of(Cause.CONTENT_LENGTH_MISMATCH, look.backend(), "The body stopped after "
                    + look.bodyBytes() + " of the " + look.contentLength() + " bytes its Content-Length announces"
                    + (coding == null ? "" : " (Content-Encoding: " + coding + ")")
                    + ", and no further byte came for " + Text.seconds(look.stalledFor())
                    + "; the gateway waits for the rest until its timeout", base
                    .put("contentLength", look.contentLength()).put("bytesReceived", look.bodyBytes())
                    .put("after", "stall").put("stalledForSeconds", look.stalledFor()).build())
                    .afterHead(look.status()));
        }
        List<Observation> out = new ArrayList<>(2);
        if (look.contentLength() >= 0 && look.extraBytes() > 0) {
            String extra = look.extraBytes() + (look.extraCapped() ? "+" : "");
            out.add(Observation.of(Cause.CONTENT_LENGTH_MISMATCH, look.backend(), extra + " more bytes followed the "
                    + look.contentLength() + "-byte body its Content-Length announces "
                    + "(nginx: 'upstream sent more data than specified in \"Content-Length\" header')", base
                    .put("contentLength", look.contentLength())
                    .put("bytesReceived", look.bodyBytes() + look.extraBytes())
                    .put("after", extra + " extra bytes").put("extraBytes", look.extraBytes())
                    .put("extraStart", escaped(look.extraStart(), EXTRA_START_CHARS)).build())
                    .afterHead(look.status()));
        }
        if (look.inflated() != null && look.inflated().error() != null
                && (look.end() == End.COMPLETE || look.end() == End.CAP)) {
            String error = look.inflated().error();
            out.add(Observation.of(Cause.INVALID_COMPRESSED_BODY, look.backend(), "The body says Content-Encoding: "
                    + coding + " but does not decompress: " + error, base
                    .put("bytes", look.bodyBytes()).put("bodyComplete", look.end() == End.COMPLETE)
                    .put("inflatedBeforeError", look.inflated().inflated()).put("error", error)
                    .put("bodyStart", escaped(look.bodyStart(), BODY_START_CHARS)).build())
                    .afterHead(look.status()));
        }
        return out;
    }

    /** The forwarded request's body stopped short of Content-Length, and the gateway's wait (not a FIN) ended it. */
    private static List<Observation> forwarded(Forwarded f, GatewayProfile profile) {
        if (f.contentLength() < 0 || f.capped() || f.received() >= f.contentLength() || f.cutShort()) {
            return List.of();   // nothing short, or the run's deadline ended the wait (inconclusive)
        }
        Optional<Cause> c = TransportRules.cause(f.failure());
        if (c.isPresent() && c.get() != Cause.RESPONSE_TIMEOUT) {
            return List.of();   // FIN, RST, chunk or framing errors: their own causes
        }
        Duration gatewayWait = profile.requestTimeout();
        if (f.stalled().compareTo(gatewayWait) < 0) {
            return List.of();   // no read waited as long as the gateway would
        }
        String endedBy = "the gateway's request timeout";
        return List.of(Observation.of(Cause.CONTENT_LENGTH_MISMATCH, f.backend(), "The body stopped after "
                + f.received() + " of the " + f.contentLength() + " bytes its Content-Length announces, and no "
                + "further byte came for " + Text.seconds(f.stalled()) + " (" + endedBy + " ended the wait; the "
                + "gateway waits " + gatewayWait.toSeconds() + "s and then answers an error)", Evidence.builder()
                .put("request", "GET " + f.path()).put("host", f.host()).put("status", f.status())
                .put("contentLength", f.contentLength()).put("bytesReceived", f.received()).put("after", "stall")
                .put("stalledForSeconds", f.stalled()).put("endedBy", endedBy)
                .put("gatewayRequestTimeoutSeconds", gatewayWait).build()).afterHead(f.status()));
    }

    private static String escaped(String start, int chars) {
        return Snippets.escape(start.length() > chars ? start.substring(0, chars) : start);
    }
}
