package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.probe.ProbeCheck;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A failure no cause names (here: the library's own IllegalArgumentException for a Host no request can carry, as a
 * bug past the API's validation would raise) is thrown out of the check, so the engine records the phase as ERRORED,
 * instead of a finding claiming the backend reset the connection.
 */
class UnclassifiedFailureTest {

    @Test
    void libraryExceptionAgainstAHealthyBackendIsNotABackendReset() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            RunContext ctx = RunContext.standalone(GatewayCheck.forBackend(s.url()).probe()
                    .timeout(Duration.ofSeconds(10)).plan());
            try {
                Target bad = new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port()), false,
                        "bad host", "/");
                assertThrows(IllegalArgumentException.class, () -> RequestCheck.run(ctx, bad));
                assertThrows(IllegalArgumentException.class, () -> ProbeCheck.run(ctx, bad));
                assertTrue(ctx.findings().isEmpty(), () -> "no finding expected, got " + ctx.findings());
                // the same backend with a valid Host is healthy
                Target good = bad.withHost("www.example.test");
                RequestCheck.run(ctx, good);
                assertEquals(dev.gatewaycheck.core.Outcome.RAN, ProbeCheck.run(ctx, good));
                assertTrue(ctx.findings().isEmpty(), () -> "no finding expected, got " + ctx.findings());
            } finally {
                ctx.close();
            }
        }
    }

    @Test
    void unclassifiedIoExceptionIsThrownWrappedNamingTheExchange() {
        Target t = new Target(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), false, "a", "/");
        IOException odd = new IOException("something odd");
        RuntimeException e = RequestCheck.unclassified(t, odd);
        assertSame(odd, e.getCause());
        assertTrue(e.getMessage().contains("http://127.0.0.1:8080") && e.getMessage().contains("something odd"),
                e::getMessage);
        IllegalStateException own = new IllegalStateException("bug");
        assertSame(own, RequestCheck.unclassified(t, own));
    }

    @Test
    void bracketedIpv6HostAgainstARealTlsBackendIsAcceptedAndNotAnError() {
        TestCertificates.Held root = TestCertificates.ca("Ipv6 Host Root").build();
        TestCertificates.Held leaf = TestCertificates.leaf("ipv6-host", root).ipSans("::1").build();
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate()),
                FaultServer.ok())) {
            Report r = GatewayCheck.forBackend(s.url()).withHost("[::1]").trusting(root.certificate()).probe()
                    .timeout(Duration.ofSeconds(10)).run();
            ReportSchema.valid(r);
            assertFalse(r.has(Cause.BACKEND_RESET_CONNECTION), r::toString);
            assertEquals(PhaseResult.Status.PASSED, r.phase(Phase.REQUEST).orElseThrow().status(), r::toString);
            Expect.noErrorOrWarning(r);
        }
    }
}
