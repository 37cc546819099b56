package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Target's hand-written equals and hashCode are a record's: every component counts, nulls included. */
class TargetTest {
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 8443);

    @Test
    void equalWhenEveryComponentIs() {
        Target t = new Target(A, true, "www.contoso.com", "/");
        Target same = new Target(new InetSocketAddress("127.0.0.1", 8443), true, "www.contoso.com", "/");
        assertEquals(t, same);
        assertEquals(t.hashCode(), same.hashCode());
        assertEquals(t, t.withHost("www.contoso.com"));
        assertEquals(new Target(null, false, null, null), new Target(null, false, null, null));
        assertEquals(new Target(null, false, null, null).hashCode(), new Target(null, false, null, null).hashCode());
    }

    @Test
    void differentWhenAnyComponentIs() {
        Target t = new Target(A, true, "www.contoso.com", "/");
        assertNotEquals(t, new Target(new InetSocketAddress("127.0.0.1", 8444), true, "www.contoso.com", "/"));
        assertNotEquals(t, new Target(A, false, "www.contoso.com", "/"));
        assertNotEquals(t, t.withHost("api.contoso.com"));
        assertNotEquals(t, new Target(A, true, "www.contoso.com", "/health"));
        assertNotEquals(t, new Target(A, true, null, "/"));
        assertNotEquals(t, null);
        assertNotEquals(t, "https://127.0.0.1:8443");
    }
}
