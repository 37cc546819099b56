package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad argument fails at the call that takes it, with a message that names the argument. */
class GatewayCheckArgumentsTest {

    private static final GatewayCheck OK = GatewayCheck.forBackend("http://127.0.0.1:8080");

    @Test
    void nullBackendStringNamesBackend() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> GatewayCheck.forBackend((String) null));
        assertEquals("backend", e.getMessage());
    }

    @Test
    void nullBackendUriNamesBackend() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> GatewayCheck.forBackend((URI) null));
        assertEquals("backend", e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                       | empty string",
        "'   '                    | empty string",
        "http://bad host:80       | at index",
        "localhost:8080           | scheme must be http or https",
        "ftp://127.0.0.1/         | scheme must be http or https",
        "/just/a/path             | no scheme",
        "http:///nohost           | must name a host",
        "http://127.0.0.1:0       | port must be 1-65535, got 0",
        "http://127.0.0.1:70000   | port must be 1-65535, got 70000",
        "http://u:p@127.0.0.1:80  | must not carry user info",
    })
    void malformedBackendIsRejectedNamingBackend(String backend, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayCheck.forBackend(backend));
        assertTrue(e.getMessage().startsWith("backend"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void negativeTimeoutNamesTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OK.timeout(Duration.ofSeconds(-1)));
        assertEquals("timeout must be positive, got PT-1S", e.getMessage());
    }

    @Test
    void zeroTimeoutNamesTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OK.timeout(Duration.ZERO));
        assertEquals("timeout must be positive, got PT0S", e.getMessage());
    }

    @Test
    void hugeTimeoutsAreRejectedNamingTheParameterInsteadOfOverflowing() {
        assertEquals("timeout must be at most 7 days (PT168H), got PT2562047788015215H30M7S",
                assertThrows(IllegalArgumentException.class,
                        () -> OK.timeout(Duration.ofSeconds(Long.MAX_VALUE))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> OK.awaitHealthy(Duration.ofDays(365 * 200))).getMessage().startsWith("atMost must be at most"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GatewayCheck.forPool(java.util.List.of("http://127.0.0.1:1")).timeout(Duration.ofDays(8)))
                .getMessage().startsWith("timeout must be at most"));
        assertEquals(Duration.ofDays(7), OK.timeout(Duration.ofDays(7)).plan().timeout());
    }

    @Test
    void nullTimeoutNamesTimeout() {
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> OK.timeout(null)).getMessage());
    }

    @Test
    void badHostNamesHost() {
        assertEquals("host", assertThrows(NullPointerException.class, () -> OK.withHost(null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OK.withHost(" ")).getMessage()
                .startsWith("host must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OK.withHost("www.contoso.com/x")).getMessage()
                .startsWith("host must be"));
    }

    @Test
    void pathWithoutLeadingSlashNamesPath() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OK.withPath("health")).getMessage()
                .startsWith("path must start with /"));
    }

    @Test
    void otherNullsNameTheirArgument() {
        assertEquals("profile", assertThrows(NullPointerException.class, () -> OK.against(null)).getMessage());
        assertEquals("resolver", assertThrows(NullPointerException.class, () -> OK.resolvingWith(null)).getMessage());
        assertEquals("clock", assertThrows(NullPointerException.class, () -> OK.withClock(null)).getMessage());
        assertEquals("probe", assertThrows(NullPointerException.class, () -> OK.probe(null)).getMessage());
        assertEquals("pemFile", assertThrows(NullPointerException.class, () -> OK.trusting((Path) null)).getMessage());
        assertEquals("keyStore", assertThrows(NullPointerException.class,
                () -> OK.trusting((KeyStore) null)).getMessage());
        assertEquals("certificates[0]", assertThrows(NullPointerException.class,
                () -> OK.trusting((X509Certificate) null)).getMessage());
    }

    @Test
    void unreadableTrustFileNamesPemFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OK.trusting(Path.of("/nonexistent/root.pem")));
        assertTrue(e.getMessage().startsWith("pemFile must be"), e.getMessage());
    }

    @Test
    void unloadedKeyStoreNamesKeyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OK.trusting(ks)).getMessage()
                .startsWith("keyStore must be loaded"));
    }

    @Test
    void badAwaitWaitNamesWait() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OK.awaitHealthy(Duration.ofMillis(-5)))
                .getMessage().startsWith("atMost must be positive"));
    }

    @Test
    void unknownCheckNameListsTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Check.parse("dns"));
        assertEquals("check must be one of tls, probe, keepalive, got 'dns'", e.getMessage());
        assertEquals(Check.KEEP_ALIVE, Check.parse("keep-alive"));
    }

    @Test
    void unknownProfileListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayProfile.named("azure-v9"));
        assertTrue(e.getMessage().startsWith("profile must be one of [generic"), e.getMessage());
    }

    @Test
    void profileIdIsLowerCaseLettersDigitsAndDashes() {
        for (String ok : new String[] {"nginx", "a", "0", "nginx-3s", "azure-v2", "a-", "9lives"}) {
            assertEquals(ok, GatewayProfile.NGINX.toBuilder().id(ok).build().id());
        }
        for (String bad : new String[] {"", "-a", "Nginx", "a_b", "a.b", "a b", "\u00e4", "a/", "nginx\n"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatewayProfile.NGINX.toBuilder().id(bad), bad);
            assertEquals("id must be lower-case letters, digits and dashes, got '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void badStatusRangeNamesItsPart() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StatusRange.parse("2xx")).getMessage()
                .startsWith("status range must look like"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StatusRange(400, 200)).getMessage()
                .startsWith("to must be"));
    }
}
