package dev.gatewaycheck.core.judge;

import java.security.cert.X509Certificate;

/**
 * A leaf the JDK's revocation checker found revoked in an OCSP response or a CRL; {@link TlsRules} judges it.
 *
 * @param leaf   the revoked certificate
 * @param source where the status came from, e.g. {@code OCSP http://ocsp.example}
 * @param reason the checker's words
 */
public record RevocationSeen(X509Certificate leaf, String source, String reason) {
}
