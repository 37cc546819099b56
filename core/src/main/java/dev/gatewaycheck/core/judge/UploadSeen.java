package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.BodyExchange;

/**
 * The configured request body sent with {@code Expect: 100-continue} before the forwarded GET, for
 * {@link UploadRules}: the interim and final heads, how much of the body the backend read, where it stalled.
 *
 * @param target   the backend, the path and the Host sent
 * @param exchange what the upload showed
 * @param cutShort the run's deadline or an interrupt ended the upload: a stall then says nothing
 */
public record UploadSeen(Target target, BodyExchange.Observation exchange, boolean cutShort) {

    /** Whether the backend accepted the connection and then stopped reading the body, without answering. */
    public boolean stoppedReading() {
        return exchange.failure() == null && exchange.stalledFor() != null && exchange.response() == null
                && !cutShort;
    }
}
