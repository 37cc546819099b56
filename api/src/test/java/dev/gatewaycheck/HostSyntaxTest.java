package dev.gatewaycheck;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HostSyntaxTest {
    private static final GatewayCheck OK = GatewayCheck.forBackend("https://127.0.0.1:18443/");

    @ParameterizedTest
    @ValueSource(strings = {"www.contoso.com", "localhost", "www.contoso.com.", "my_host.internal", "bücher.example",
        "127.0.0.1", "198.51.100.4", "::1", "[::1]", "fe80::1", "2001:db8::8:800:200c:417a", "::ffff:192.0.2.1",
        "1:2:3:4:5:6:7:8", "[2001:db8::1]", "xn--bcher-kva.example"})
    void acceptsNamesAndAddresses(String host) {
        assertDoesNotThrow(() -> OK.withHost(host));
        assertDoesNotThrow(() -> ProbeSpec.builder().host(host).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:18443", "www.contoso.com:443", "127.0.0.1:8080", "[::1]:8443"})
    void refusesAPortAndSaysWhereItGoes(String host) {
        String m = assertThrows(IllegalArgumentException.class, () -> OK.withHost(host)).getMessage();
        assertTrue(m.startsWith("host must not carry a port"), m);
        assertTrue(m.contains("backend URI"), m);
        String p = assertThrows(IllegalArgumentException.class, () -> ProbeSpec.builder().host(host).build())
                .getMessage();
        assertTrue(p.startsWith("host must not carry a port"), p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad host", "", " ", "a..b", ".a", "-a.com", "a-.com", "1.2.3.999", "1.2.3", "::1::2",
        "1:2:3:4:5:6:7:8:9", "[::1", "::1]", "a/b", "www.contoso.com:99999", "a:b", "12345::", "[www.contoso.com]"})
    void refusesWhatNoHostIs(String host) {
        String m = assertThrows(IllegalArgumentException.class, () -> OK.withHost(host)).getMessage();
        assertTrue(m.startsWith("host must"), m);
        String p = assertThrows(IllegalArgumentException.class, () -> ProbeSpec.builder().host(host).build())
                .getMessage();
        assertTrue(p.startsWith("host must"), p);
    }

    @Test
    void aWildcardPatternIsRefusedNamingTheParameter() {
        String m = assertThrows(IllegalArgumentException.class, () -> OK.withHost("*.contoso.com")).getMessage();
        assertTrue(m.startsWith("host must be one host name, not a wildcard pattern"), m);
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.builder().host("*.contoso.com").build());
    }

    @Test
    void anInternationalisedNameIsSentInItsAsciiFormAndATrailingDotIsDropped() {
        assertEquals("xn--bcher-kva.example", OK.withHost("bücher.example").plan().host());
        assertEquals("localhost", OK.withHost("localhost.").plan().host());
        assertEquals("xn--bcher-kva.example", GatewayCheck.forBackend("https://bücher.example:8443/").plan().host());
        assertEquals("localhost", GatewayCheck.forBackend("http://localhost./").plan().host());
    }

    @Test
    void hostIsTrimmed() {
        assertEquals("www.contoso.com", OK.withHost(" www.contoso.com ").plan().host());
    }

    @Test
    void probePathRefusesSpacesAndControlsButKeepsARelativePath() {
        String m = assertThrows(IllegalArgumentException.class, () -> ProbeSpec.builder().path("/a b").build())
                .getMessage();
        assertTrue(m.startsWith("path must contain no spaces or control characters"), m);
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.builder().path("/a\r\nX: y").build());
        assertEquals("health", ProbeSpec.builder().path("health").build().path());
        assertEquals("/api/health?x=1", ProbeSpec.builder().path("/api/health?x=1").build().path());
    }
}
