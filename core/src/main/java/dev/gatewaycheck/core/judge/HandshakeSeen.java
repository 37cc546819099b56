package dev.gatewaycheck.core.judge;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * One TLS handshake with chosen parameters, as seen: the chain exactly as the server presented it (kept even when
 * the handshake failed later), the negotiated version and suite, whether a client certificate was asked for, and
 * the failure. {@link TlsRules} and {@link ChainRules} judge it.
 *
 * @param sni                 the SNI name sent, or null for none
 * @param offeredProtocols    the versions offered
 * @param offeredCiphers      the suites offered
 * @param ok                  whether the handshake completed (and, when a client certificate was asked for and
 *                            none presented, the server did not reject the connection right after it)
 * @param chain               the certificates the server presented, in its order; empty when none arrived
 * @param protocol            the negotiated version, or null
 * @param cipherSuite         the negotiated suite, or null
 * @param failure             what failed on the wire, or null
 * @param alert               what the failure's message says read as a TLS alert, or null when nothing failed
 * @param timedOut            whether the handshake hit the gateway's handshake timeout (it took at least the
 *                            profile's {@code tlsHandshakeTimeout}); false when the run's deadline ended it sooner
 * @param cappedByDeadline    whether a socket timed out before the gateway's handshake timeout: the run's deadline,
 *                            which caps socket timeouts, ended the handshake (it says nothing about the backend)
 * @param clientCertRequested whether the server sent a CertificateRequest
 * @param clientCertPresented whether a client certificate was sent
 * @param elapsed             how long the handshake took
 */
public record HandshakeSeen(String sni, List<String> offeredProtocols, List<String> offeredCiphers, boolean ok,
                            List<X509Certificate> chain, String protocol, String cipherSuite,
                            TransportFailure failure, TransportFailure.Kind alert, boolean timedOut,
                            boolean cappedByDeadline, boolean clientCertRequested, boolean clientCertPresented,
                            Duration elapsed) {

    /** The leaf as presented (first certificate), or null. */
    public X509Certificate first() {
        return chain.isEmpty() ? null : chain.get(0);
    }

    /** The failure's message, or an empty string. */
    public String failureMessage() {
        return failure == null || failure.message() == null ? "" : failure.message();
    }

    /** Whether both handshakes got a chain and the server presented the same first certificate in both. */
    public boolean sameLeaf(HandshakeSeen other) {
        return !chain.isEmpty() && !other.chain().isEmpty() && first().equals(other.first());
    }
}
