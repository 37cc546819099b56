package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.hc.core5.http.ssl.TlsCiphers;
import org.junit.jupiter.api.Test;

/**
 * The cipher suites an exchange's connections offer are worked out once, and are exactly those httpclient5 would
 * enable on each connection itself: the client socket's defaults without the weak ones.
 */
class CipherSuitesTest {

    @Test
    void theSuitesAreWhatHttpclient5WouldEnableOnEachConnection() throws Exception {
        for (SSLContext ssl : List.of(HttpExchange.trustAll(), fresh())) {
            String[] expected;
            try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket()) {
                expected = TlsCiphers.excludeWeak(socket.getEnabledCipherSuites());
            }
            String[] suites = HttpExchange.ciphers(ssl);
            assertArrayEquals(expected, suites, "the suites of " + ssl);
            assertTrue(suites.length > 0, "some suites: " + Arrays.toString(suites));
            assertFalse(Arrays.stream(suites).anyMatch(TlsCiphers::isWeak), "no weak suite: " + Arrays.toString(suites));
        }
    }

    @Test
    void eachCallerGetsItsOwnCopy() {
        String[] first = HttpExchange.ciphers(HttpExchange.trustAll());
        String kept = first[0];
        first[0] = "TLS_NOT_A_SUITE";
        String[] second = HttpExchange.ciphers(HttpExchange.trustAll());
        assertNotSame(first, second);
        assertEquals(kept, second[0], "changing one answer leaves the next one alone");
    }

    private static SSLContext fresh() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, null, null);
        return ssl;
    }
}
