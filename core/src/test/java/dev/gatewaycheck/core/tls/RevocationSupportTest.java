package dev.gatewaycheck.core.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Asking for revocation without Bouncy Castle is a setup mistake that names the artifact, not a silent no-op. */
class RevocationSupportTest {

    @Test
    void revocationWithoutBouncyCastleNamesTheArtifactToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TlsCheck.requireRevocationSupport(true, false));
        assertTrue(e.getMessage().contains("org.bouncycastle:bcpkix-jdk18on"), e.getMessage());
    }

    @Test
    void revocationWithBouncyCastleOrNotRequestedIsFine() {
        assertDoesNotThrow(() -> TlsCheck.requireRevocationSupport(true, true));
        assertDoesNotThrow(() -> TlsCheck.requireRevocationSupport(false, false));
        assertDoesNotThrow(() -> TlsCheck.requireRevocationSupport(true));
    }
}
