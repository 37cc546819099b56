package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.http.BodyExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an {@link UploadSeen} shows: interim and early responses ({@code UNEXPECTED_INTERIM_OR_EARLY_RESPONSE}, with
 * their {@code kind}: {@code second-continue}, {@code unsupported-interim}, {@code switching-protocols},
 * {@code early-response}) and a backend that does not read the request ({@code REQUEST_NOT_READ_BY_BACKEND}). Which
 * gateway fails on which kind is the {@link Judge}'s ({@link Judge#UPLOAD_FAILURES}). Pure.
 *
 * <pre>{@code
 * ctx.observe(UploadRules.of(new UploadSeen(target, BodyExchange.send(ctx, target, body, timeout), false)));
 * }</pre>
 */
public final class UploadRules {

    /** The interim status of {@code 100 Continue}. */
    private static final int CONTINUE = 100;
    /** The interim status of {@code 101 Switching Protocols}. */
    private static final int SWITCHING_PROTOCOLS = 101;
    /** Final statuses from here on are errors, which a backend may answer before reading the body. */
    private static final int FIRST_ERROR_STATUS = 400;
    /** The first final (non-interim) status. */
    private static final int FIRST_FINAL_STATUS = 200;

    private UploadRules() {
    }

    /** The observations of the upload, in the order a reader takes them in. */
    public static List<Observation> of(UploadSeen seen) {
        BodyExchange.Observation o = seen.exchange();
        List<Observation> out = new ArrayList<>();
        if (o.failure() != null) {
            return out;   // the forwarded GET reports a connection that cannot be made
        }
        String backend = seen.target().label();
        Evidence.Builder base = Evidence.builder().put("request", o.method() + " " + seen.target().path() + " with "
                + o.bodyBytes() + " body bytes, Expect: 100-continue").put("host", seen.target().host())
                .put("interims", o.interims().isEmpty() ? null : o.interims().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")))
                .put("finalResponse", o.response() == null ? null : o.response().toString())
                .put("bodyBytesWritten", o.bytesWritten()).put("bodyBytes", o.bodyBytes());
        if (o.interims().stream().anyMatch(h -> h.status() == SWITCHING_PROTOCOLS)) {
            out.add(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend answered "
                    + "101 Switching Protocols to a request that asked for no upgrade", base
                    .put("interim", SWITCHING_PROTOCOLS).put("kind", "switching-protocols").build()));
        }
        if (o.continues() > 1) {
            out.add(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend sent "
                    + o.continues() + " '100 Continue' responses to one request", base.put("continues", o.continues())
                    .put("kind", "second-continue").build()));
        }
        BodyExchange.Head other = o.interims().stream().filter(h -> h.status() != CONTINUE
                && h.status() != SWITCHING_PROTOCOLS).findFirst().orElse(null);
        if (other != null) {
            out.add(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend sent the "
                    + "interim response " + other.status() + " " + other.reason(), base.put("interim", other.status())
                    .put("kind", "unsupported-interim").build()));
        }
        BodyExchange.Head r = o.response();
        if (r != null && r.status() >= FIRST_FINAL_STATUS && r.status() < FIRST_ERROR_STATUS
                && r.bodyBytesWritten() < o.bodyBytes()) {
            out.add(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend answered "
                    + r.status() + " " + r.reason() + " after " + r.bodyBytesWritten() + " of " + o.bodyBytes()
                    + " body bytes, before reading the request body", base.put("earlyStatus", r.status())
                    .put("bodyBytesBeforeResponse", r.bodyBytesWritten()).put("continues", o.continues())
                    .put("kind", "early-response").build()));
        }
        if (seen.stoppedReading()) {
            out.add(Observation.of(Cause.REQUEST_NOT_READ_BY_BACKEND, backend, "The backend accepted the "
                    + "connection but stopped reading the request: " + o.bytesWritten() + " of " + o.bodyBytes()
                    + " body bytes written, then no progress for " + Text.seconds(o.stalledFor())
                    + " and no response (the gateway's timeout is " + Text.duration(o.writeLimit()) + ")", base
                    .put("stalledForSeconds", o.stalledFor())
                    .put("gatewayTimeoutSeconds", o.writeLimit())
                    .put("continues", o.continues()).build()));
        }
        return out;
    }
}
