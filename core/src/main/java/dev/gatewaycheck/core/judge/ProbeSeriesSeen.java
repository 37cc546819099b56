package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.core.Target;
import java.time.Duration;
import java.util.List;

/**
 * A health-probe series sent as the gateway sends its probe, as seen: each probe's answer or failure and, when
 * every probe failed, whether the probe's port speaks TLS and what the same probe got with the site's Host.
 * {@link ProbeRules} judges it.
 *
 * @param probe    where the probe went: protocol, address, the Host it sent and the path it asked for
 * @param spec     the probe (timeout, accepted statuses, body match, unhealthy threshold, interval)
 * @param custom   whether the plan gave the probe (else it is the profile's default probe)
 * @param siteHost the site's Host
 * @param probes   each probe's answer, in order; not empty
 * @param window   from the first probe's start to the last one's end
 * @param spacing  the pause between two probes (the gateway's interval is not waited for)
 * @param tlsPage  when a plain-http probe got a 4xx from a port that speaks TLS: what that page says; else null
 * @param asSite   the same probe with the site's Host when it was sent, else null
 */
public record ProbeSeriesSeen(Target probe, ProbeSpec spec, boolean custom, String siteHost, List<Answer> probes,
                              Duration window, Duration spacing, String tlsPage, Answer asSite) {

    /**
     * One probe's answer.
     *
     * @param status   the status, 0 when no response head arrived
     * @param reason   the reason phrase
     * @param server   the Server header, or null
     * @param location the Location header, or null
     * @param body     the body as read (empty when not read: only a body match reads it)
     * @param elapsed  how long the probe took
     * @param failure  what failed on the wire when no response arrived, else null
     */
    public record Answer(int status, String reason, String server, String location, String body, Duration elapsed,
                         TransportFailure failure) {

        /** Whether no response arrived within the probe's timeout. */
        public boolean timedOut() {
            return failure != null && failure.kind() == TransportFailure.Kind.READ_TIMED_OUT;
        }
    }
}
