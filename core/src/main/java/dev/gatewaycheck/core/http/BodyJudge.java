package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.UploadSeen;
import java.util.stream.Collectors;

/**
 * What a {@link UploadSeen} shows, as observations for the {@link dev.gatewaycheck.core.judge.Judge}:
 * interim and early responses ({@code UNEXPECTED_INTERIM_OR_EARLY_RESPONSE}, with their {@code kind}:
 * {@code second-continue}, {@code unsupported-interim}, {@code switching-protocols}, {@code early-response}) and a
 * backend that does not read the request ({@code REQUEST_NOT_READ_BY_BACKEND}). Which gateway fails on which kind is
 * the judge's ({@code Judge.UPLOAD_FAILURES}).
 */
public final class BodyJudge {

    private BodyJudge() {
    }

    /** Records what the observation shows; returns whether the backend did not read the request. */
    public static boolean judge(RunContext ctx, Target target, UploadSeen o) {
        if (o.failure() != null) {
            return false;   // the forwarded GET reports a connection that cannot be made
        }
        String backend = target.label();
        Evidence.Builder base = Evidence.builder().put("request", o.method() + " " + target.path() + " with "
                + o.bodyBytes() + " body bytes, Expect: 100-continue").put("host", target.host())
                .put("interims", o.interims().isEmpty() ? null : o.interims().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")))
                .put("finalResponse", o.response() == null ? null : o.response().toString())
                .put("bodyBytesWritten", o.bytesWritten()).put("bodyBytes", o.bodyBytes());
        UploadSeen.Head upgrade = o.interims().stream().filter(h -> h.status() == 101).findFirst().orElse(null);
        if (upgrade != null) {
            ctx.observe(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend answered "
                    + "101 Switching Protocols to a request that asked for no upgrade", base.put("interim", 101)
                    .put("kind", "switching-protocols").build()));
        }
        if (o.continues() > 1) {
            ctx.observe(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend sent "
                    + o.continues() + " '100 Continue' responses to one request", base.put("continues", o.continues())
                    .put("kind", "second-continue").build()));
        }
        UploadSeen.Head other = o.interims().stream().filter(h -> h.status() != 100 && h.status() != 101)
                .findFirst().orElse(null);
        if (other != null) {
            ctx.observe(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend sent the "
                    + "interim response " + other.status() + " " + other.reason(), base.put("interim", other.status())
                    .put("kind", "unsupported-interim").build()));
        }
        UploadSeen.Head r = o.response();
        if (r != null && r.status() >= 200 && r.status() < 400 && r.bodyBytesWritten() < o.bodyBytes()) {
            ctx.observe(Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, backend, "The backend answered "
                    + r.status() + " " + r.reason() + " after " + r.bodyBytesWritten() + " of " + o.bodyBytes()
                    + " body bytes, before reading the request body", base.put("earlyStatus", r.status())
                    .put("bodyBytesBeforeResponse", r.bodyBytesWritten()).put("continues", o.continues())
                    .put("kind", "early-response").build()));
        }
        if (o.stalledFor() != null && r == null && !ctx.cutShort()) {
            ctx.observe(Observation.of(Cause.REQUEST_NOT_READ_BY_BACKEND, backend, "The backend accepted the "
                    + "connection but stopped reading the request: " + o.bytesWritten() + " of " + o.bodyBytes()
                    + " body bytes written, then no progress for " + dev.gatewaycheck.core.Text.seconds(o.stalledFor())
                    + " and no response (the gateway's timeout is "
                    + dev.gatewaycheck.core.Text.duration(o.writeLimit()) + ")", base
                    .put("stalledForSeconds", o.stalledFor())
                    .put("gatewayTimeoutSeconds", o.writeLimit())
                    .put("continues", o.continues()).build()));
            return true;
        }
        return false;
    }
}
