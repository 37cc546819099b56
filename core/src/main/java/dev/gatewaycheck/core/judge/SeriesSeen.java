package dev.gatewaycheck.core.judge;

import java.time.Duration;
import java.util.List;

/**
 * The forwarded GET sent several times on new connections, as a gateway's traffic arrives: every exchange that says
 * something about the backend ({@link ExchangeRules#attempt}), in order; empty when there was no series.
 *
 * @param attempts the exchanges, the forwarded request's first
 * @param spacing  the pause between two requests
 */
public record SeriesSeen(List<ExchangeSeen> attempts, Duration spacing) {

    /** Copies the attempts. */
    public SeriesSeen {
        attempts = List.copyOf(attempts);
    }
}
