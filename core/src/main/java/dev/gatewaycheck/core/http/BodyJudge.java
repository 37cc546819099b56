package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.util.stream.Collectors;

/**
 * Judges a {@link BodyExchange.Observation}: interim and early responses ({@code UNEXPECTED_INTERIM_OR_EARLY_RESPONSE})
 * and a backend that does not read the request ({@code REQUEST_NOT_READ_BY_BACKEND}). Severity follows what each
 * gateway documents: a second {@code 100 Continue} is an error for CloudFront (CFBEH), an early non-error response
 * and an unsupported 1xx for Google Cloud LB (GCPLOG {@code backend_early_response_with_non_error_status},
 * {@code backend_interim_response_not_supported}); elsewhere they are warnings, since other gateways do not say
 * they fail on them. A {@code 101} to a request that asked for no upgrade is an error everywhere.
 */
public final class BodyJudge {

    private BodyJudge() {
    }

    /** Whether the profile is Google Cloud LB or built from it. */
    static boolean google(GatewayProfile p) {
        return p.id().startsWith("gcp");
    }

    /** Whether the profile is CloudFront or built from it. */
    static boolean cloudFront(GatewayProfile p) {
        return p.id().contains("cloudfront");
    }

    /** Reports what the observation shows; returns whether the backend did not read the request. */
    public static boolean judge(RunContext ctx, Target target, BodyExchange.Observation o) {
        if (o.failure() != null) {
            return false;   // the forwarded GET reports a connection that cannot be made
        }
        String backend = target.label();
        GatewayProfile p = ctx.profile();
        Evidence.Builder base = Evidence.builder().put("request", o.method() + " " + target.path() + " with "
                + o.bodyBytes() + " body bytes, Expect: 100-continue").put("host", target.host())
                .put("interims", o.interims().isEmpty() ? null : o.interims().stream().map(Object::toString)
                        .collect(Collectors.joining(", ")))
                .put("finalResponse", o.response() == null ? null : o.response().toString())
                .put("bodyBytesWritten", o.bytesWritten()).put("bodyBytes", o.bodyBytes());
        BodyExchange.Head upgrade = o.interims().stream().filter(h -> h.status() == 101).findFirst().orElse(null);
        if (upgrade != null) {
            ctx.report(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, Severity.ERROR, backend, "The backend answered "
                    + "101 Switching Protocols to a request that asked for no upgrade", base.put("interim", "101")
                    .put("kind", "switching-protocols").build());
        }
        if (o.continues() > 1) {
            Severity s = cloudFront(p) ? Severity.ERROR : Severity.WARNING;
            ctx.report(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, s, backend, "The backend sent " + o.continues()
                    + " '100 Continue' responses to one request" + (s == Severity.ERROR ? "; " + p.name()
                    + " fails the request when the origin sends more than one" : "; CloudFront fails on this, "
                    + p.name() + " does not document it"), base.put("continues", o.continues())
                    .put("kind", "second-continue").build());
        }
        BodyExchange.Head other = o.interims().stream().filter(h -> h.status() != 100 && h.status() != 101)
                .findFirst().orElse(null);
        if (other != null) {
            Severity s = google(p) ? Severity.ERROR : Severity.WARNING;
            ctx.report(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, s, backend, "The backend sent the interim "
                    + "response " + other.status() + " " + other.reason() + (s == Severity.ERROR ? "; " + p.name()
                    + " does not accept interim responses other than 100 Continue (backend_interim_response_not_"
                    + "supported)" : "; Google Cloud LB fails on interim responses it does not support"),
                    base.put("interim", other.status())
                    .put("kind", "unsupported-interim").build());
        }
        BodyExchange.Head r = o.response();
        if (r != null && r.status() >= 200 && r.status() < 400 && r.bodyBytesWritten() < o.bodyBytes()) {
            Severity s = google(p) ? Severity.ERROR : Severity.WARNING;
            ctx.report(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, s, backend, "The backend answered " + r.status()
                    + " " + r.reason() + " after " + r.bodyBytesWritten() + " of " + o.bodyBytes() + " body bytes, "
                    + "before reading the request body" + (s == Severity.ERROR ? "; " + p.name() + " fails such "
                    + "a request (backend_early_response_with_non_error_status)" : "; Google Cloud LB fails such a "
                    + "request, " + p.name() + " does not document it"), base.put("earlyStatus", r.status())
                    .put("bodyBytesBeforeResponse", r.bodyBytesWritten()).put("continues", o.continues())
                    .put("kind", "early-response").build());
        }
        if (o.stalledFor() != null && r == null && !ctx.cutShort()) {
            ctx.report(Cause.REQUEST_NOT_READ_BY_BACKEND, backend, "The backend accepted the connection but stopped "
                    + "reading the request: " + o.bytesWritten() + " of " + o.bodyBytes() + " body bytes written, "
                    + "then no progress for " + RequestCheck.secs(o.stalledFor()) + " and no response (the "
                    + "gateway's timeout is " + o.writeLimit().toSeconds() + "s)", base
                    .put("stalledFor", RequestCheck.secs(o.stalledFor()))
                    .put("gatewayTimeout", o.writeLimit().toSeconds() + "s")
                    .put("continues", o.continues()).build());
            return true;
        }
        return false;
    }
}
