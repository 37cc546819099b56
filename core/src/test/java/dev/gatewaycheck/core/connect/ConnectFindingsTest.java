package dev.gatewaycheck.core.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RefusedPort;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectFindingsTest {

    private static int freePort() {
        return RefusedPort.take();
    }

    @Test
    void closedPortIsConnectionRefusedAndLaterPhasesAreSkipped() throws IOException {
        int port = freePort();
        Report r = GatewayCheck.forBackend("http://127.0.0.1:" + port).run();
        ReportSchema.valid(r);
        Finding f = Expect.finding(r, Cause.CONNECTION_REFUSED);
        assertEquals(String.valueOf(port), Expect.evidence(f, "port"));
        assertEquals("http://127.0.0.1:" + port, f.backend());
        PhaseResult request = r.phase(Phase.REQUEST).orElseThrow();
        assertEquals(PhaseResult.Status.SKIPPED, request.status());
        assertEquals("no address accepted a connection", request.reason());
    }

    @Test
    void fullAcceptQueueIsConnectTimeoutNamingTheBlockedPath() throws IOException {
        // a listener that never accepts, with its backlog filled: the kernel drops further SYNs
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket c = new Socket();
                    try {
                        c.connect(s.getLocalSocketAddress(), 200);
                        fillers.add(c);
                    } catch (IOException full) {
                        c.close();
                        break;
                    }
                }
                GatewayProfile fast = GatewayProfile.GENERIC.toBuilder().connectTimeout(Duration.ofSeconds(1)).build();
                Report r = GatewayCheck.forBackend("http://127.0.0.1:" + s.getLocalPort()).against(fast).run();
                ReportSchema.valid(r);
                Finding f = Expect.finding(r, Cause.CONNECT_TIMEOUT);
                assertEquals("1", Expect.evidence(f, "gatewayConnectTimeoutSeconds"));
                assertTrue(f.message().contains("NETWORK_PATH_BLOCKED"), f::toString);
                assertTrue(f.remedy().contains("NETWORK_PATH_BLOCKED"), f::toString);
            } finally {
                for (Socket c : fillers) {
                    c.close();
                }
            }
        }
    }

    @Test
    void unresolvableNameIsDnsFailureWithoutOutsideNetwork() {
        NameResolver table = NameResolver.staticMap(Map.of("known.test", List.of("127.0.0.1")));
        Report r = GatewayCheck.forBackend("http://backend.example.invalid:8080").resolvingWith(table).run();
        ReportSchema.valid(r);
        Finding f = Expect.finding(r, Cause.BACKEND_DNS_RESOLUTION_FAILURE);
        assertEquals("backend.example.invalid", Expect.evidence(f, "name"));
        assertTrue(Expect.evidence(f, "resolver").contains("staticMap"), f::toString);
        assertEquals(PhaseResult.Status.SKIPPED, r.phase(Phase.CONNECT).orElseThrow().status());
    }

    @Test
    void invalidTopLevelNameFailsWithTheSystemResolverWithinTheLookupBound() {
        long start = System.nanoTime();
        Report r = GatewayCheck.forBackend("http://no-such-backend.invalid:80").run();
        ReportSchema.valid(r);
        Expect.finding(r, Cause.BACKEND_DNS_RESOLUTION_FAILURE);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), r::toString);
    }

    @Test
    void everyAddressOfANameIsTriedAndReportedOnItsOwn() throws IOException {
        int dead = freePort();
        try (FaultServer up = FaultServer.plain(FaultServer.ok())) {
            // 127.0.0.2 has nothing on the port; 127.0.0.1 serves
            try (ServerSocket probe = new ServerSocket(up.port(), 1, InetAddress.getByName("127.0.0.2"))) {
                probe.close();
            } catch (IOException inUse) {
                // the port is taken on 127.0.0.2 too; the refused address below is then another free port
            }
            NameResolver table = NameResolver.staticMap(Map.of("app.test", List.of("127.0.0.2", "127.0.0.1")));
            Report r = GatewayCheck.forBackend("http://app.test:" + up.port()).resolvingWith(table).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.CONNECTION_REFUSED);
            assertEquals("127.0.0.2", Expect.evidence(f, "address"));
            assertEquals("http://127.0.0.2:" + up.port(), f.backend());
            assertEquals(1, r.findings(Cause.CONNECTION_REFUSED).size(), r::toString);
            assertEquals(PhaseResult.Status.PASSED, r.phase(Phase.REQUEST).orElseThrow().status(), r::toString);
            assertTrue(dead > 0);
        }
    }

    @Test
    void httpsToAPlainPortIsProtocolPortMismatch() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).tls().probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH);
            assertTrue(f.message().contains("plaintext"), f::toString);
            assertEquals(PhaseResult.Status.SKIPPED, r.phase(Phase.REQUEST).orElseThrow().status(), r::toString);
        }
    }

    @Test
    void plainHttpToATlsPortIsProtocolPortMismatch() {
        TestCertificates.Held root = TestCertificates.ca("Mismatch Root").build();
        TestCertificates.Held leaf = TestCertificates.leaf("127.0.0.1", root).build();
        try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate()),
                FaultServer.ok())) {
            Report r = GatewayCheck.forBackend("http://127.0.0.1:" + s.port()).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH);
            assertEquals("http", Expect.evidence(f, "gatewayProtocol"));
            assertEquals("https", Expect.evidence(f, "portSpeaks"));
        }
    }

    @Test
    void httpsToAPlainPortWithoutTheTlsCheckIsStillProtocolPortMismatch() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).probe().run();
            ReportSchema.valid(r);
            Expect.finding(r, Cause.PROTOCOL_PORT_MISMATCH);
        }
    }
}
