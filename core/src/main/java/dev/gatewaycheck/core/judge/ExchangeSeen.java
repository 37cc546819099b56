package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.RawPeek;

/**
 * The forwarded GET as the backend answered it, for {@link ExchangeRules}: the exchange (head, capped body, timings,
 * the transport failure) and the second looks the rules asked for ({@link ExchangeRules#needsTlsProbe},
 * {@link ExchangeRules#needsPeek}).
 *
 * @param target         the backend, the path and the Host sent
 * @param exchange       the exchange judged
 * @param portSpeaksTls  whether a TLS handshake on the (plain) target's port succeeds; null when not looked
 * @param peek           the same GET read raw on a new connection; null when not looked
 * @param plainToTlsPage what the answer of a TLS port to plain HTTP says (its page, or {@code 400 <reason>}); null
 *                       when the answer is no such page
 * @param healthProbe    whether a health probe takes the backend out of rotation
 */
public record ExchangeSeen(Target target, HttpObservation exchange, Boolean portSpeaksTls, RawPeek.Result peek,
                           String plainToTlsPage, boolean healthProbe) {
}
