package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.http.HttpObservation;

/**
 * The front door's own answer to one GET of its public URL: the exchange, and what its failure showed on the wire.
 *
 * @param frontDoor the front door's URL, as findings name it
 * @param host      the Host (and SNI) sent
 * @param address   the address asked, null when the name did not resolve
 * @param answer    the exchange, null when none was made (the name did not resolve)
 * @param failure   what the exchange's failure showed on the wire, null when it did not fail
 */
public record FrontDoorSeen(String frontDoor, String host, String address, HttpObservation answer,
                            TransportFailure failure) {

    /** The status the front door answered, 0 when it did not answer. */
    public int status() {
        return answer == null ? 0 : answer.status();
    }

    /** Whether a response head arrived. */
    boolean answered() {
        return answer != null && answer.hasResponse();
    }
}
