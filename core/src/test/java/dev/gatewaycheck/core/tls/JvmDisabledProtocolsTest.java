package dev.gatewaycheck.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TLS 1.0 and 1.1 are in this JDK's {@code jdk.tls.disabledAlgorithms}: a gateway profile that speaks them (Azure,
 * ALB, CloudFront) cannot be imitated for those versions, and the check must say so rather than claim a mismatch.
 */
class JvmDisabledProtocolsTest {

    @Test
    void tls10And11AreNamedAsVersionsThisJvmCannotOffer() {
        assertEquals(List.of("TLSv1", "TLSv1.1"), TlsCheck.jvmDisabled(List.of("TLSv1", "TLSv1.1", "TLSv1.2")));
        assertEquals(List.of(), TlsCheck.jvmDisabled(List.of("TLSv1.2", "TLSv1.3")));
    }
}
