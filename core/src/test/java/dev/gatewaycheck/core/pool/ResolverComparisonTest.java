package dev.gatewaycheck.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.ReportSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed 002's custom-DNS case: the gateway's resolver does not know a name this machine resolves. */
class ResolverComparisonTest {

    @Test
    void aNameTheCustomResolverLacksNamesTheResolverAndWhatTheSystemAnswers() {
        NameResolver vnetDns = NameResolver.staticMap(Map.of("other.pool.test", List.of("127.0.0.1")));
        Report r = GatewayCheck.forBackend("http://localhost:9").resolvingWith(vnetDns).probe().run();
        ReportSchema.valid(r);
        Finding f = Expect.finding(r, Cause.BACKEND_DNS_RESOLUTION_FAILURE);
        assertEquals("NameResolver.staticMap[other.pool.test]", Expect.evidence(f, "resolver"));
        String system = Expect.evidence(f, "systemResolverAnswer");
        assertFalse(system.startsWith("does not resolve"), system);
    }

    @Test
    void theSystemResolverIsNotComparedWithItself() {
        Report r = GatewayCheck.forBackend("http://no-such-host.pool.test:9").probe().run();
        ReportSchema.valid(r);
        Finding f = Expect.finding(r, Cause.BACKEND_DNS_RESOLUTION_FAILURE);
        assertFalse(f.evidence().has("systemResolverAnswer"), f::toString);
        assertEquals("NameResolver.system()", Expect.evidence(f, "resolver"));
    }
}
