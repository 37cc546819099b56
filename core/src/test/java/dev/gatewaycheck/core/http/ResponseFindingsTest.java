package dev.gatewaycheck.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import org.junit.jupiter.api.Test;

class ResponseFindingsTest {

    @Test
    void healthyPlainBackendHasNoErrorOrWarning() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend(s.url()).probe().run();
            Expect.noErrorOrWarning(r);
            assertTrue(r.timings().firstByte().isPresent(), r::toString);
        }
    }

    @Test
    void resetAfterRequestIsBackendResetConnection() {
        try (FaultServer s = FaultServer.plain(FaultServer.resetAfterRequest())) {
            Report r = GatewayCheck.forBackend(s.url()).probe().run();
            Finding f = Expect.finding(r, Cause.BACKEND_RESET_CONNECTION);
            assertEquals("RST", Expect.evidence(f, "end"));
        }
    }

    @Test
    void closeAfterRequestIsBackendClosedWithoutResponse() {
        try (FaultServer s = FaultServer.plain(FaultServer.closeAfterRequest())) {
            Report r = GatewayCheck.forBackend(s.url()).probe().run();
            Finding f = Expect.finding(r, Cause.BACKEND_CLOSED_WITHOUT_RESPONSE);
            assertEquals("FIN", Expect.evidence(f, "end"));
        }
    }
}
