package dev.gatewaycheck.core.judge;

import java.security.cert.X509Certificate;

/** A leaf the JDK's revocation checker found revoked by {@code source} (OCSP or CRL URL), in its own words. */
public record RevocationSeen(X509Certificate leaf, String source, String reason) {
}
