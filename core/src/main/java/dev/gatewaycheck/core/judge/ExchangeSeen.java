package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.RawPeek;

/**
 * One GET of the forwarded request as the backend answered it, for {@link ExchangeRules}: the exchange (head,
 * capped body, timings), what its failure showed on the wire, and the second looks the rules asked for
 * ({@link ExchangeRules#needsTlsProbe}, {@link ExchangeRules#needsPeek}).
 *
 * @param target         the backend, the path and the Host sent
 * @param exchange       the exchange
 * @param failure        what the exchange's failure showed on the wire; null when it did not fail
 * @param portSpeaksTls  whether a TLS handshake on the (plain) target's port succeeds; null when not looked
 * @param peek           the same GET read raw on a new connection; null when not looked
 * @param plainToTlsPage what the answer of a TLS port to plain HTTP says (its page, or {@code 400 <reason>}); null
 *                       when the answer is no such page
 * @param healthProbe    whether a health probe takes the backend out of rotation
 */
public record ExchangeSeen(Target target, HttpObservation exchange, TransportFailure failure, Boolean portSpeaksTls,
                           RawPeek.Result peek, String plainToTlsPage, boolean healthProbe) {

    /** The exchange alone, before any second look. */
    public ExchangeSeen(Target target, HttpObservation exchange, TransportFailure failure) {
        this(target, exchange, failure, null, null, null, false);
    }

    /** The same exchange with its second looks. */
    public ExchangeSeen withLooks(Boolean speaksTls, RawPeek.Result rawPeek, String page, boolean probed) {
        return new ExchangeSeen(target, exchange, failure, speaksTls, rawPeek, page, probed);
    }
}
