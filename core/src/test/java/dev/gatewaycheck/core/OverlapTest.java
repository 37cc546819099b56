package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Category;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RequestHead;
import dev.gatewaycheck.testkit.TestCertificates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive watch runs beside the other phases, not after them: a full check takes about the watch's time
 * instead of the sum, and findings and skips are those of phases run one after the other.
 */
class OverlapTest {
    static final GatewayProfile IDLE_2S = GatewayProfile.GENERIC.toBuilder().idleTimeout(Duration.ofSeconds(2))
            .build();
    static final ProbeSpec SLOW_HEALTH = ProbeSpec.builder().path("/health").interval(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(2)).unhealthyThreshold(3).build();

    @Test
    void theWatchOverlapsTheProbeSeries() {
        // a healthy backend whose health endpoint takes 350 ms: six probes take about as long as the 2 s watch
        try (FaultServer s = FaultServer.plain(c -> {
            for (String h; (h = c.readRequest()) != null;) {
                if (RequestHead.parse(h).path().equals("/health")) {
                    Thread.sleep(350);
                }
                c.write(FaultServer.okResponse("ok\n"));
            }
        })) {
            Report r = GatewayCheck.forBackend(s.url()).against(IDLE_2S).probe(SLOW_HEALTH).keepAlive()
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.isClean() && r.isHealthy(), r::toString);
            assertEquals(List.of(Phase.DNS, Phase.CONNECT, Phase.REQUEST, Phase.PROBE, Phase.KEEP_ALIVE),
                    r.phases().stream().map(PhaseResult::phase).toList());
            Duration probe = r.phase(Phase.PROBE).orElseThrow().elapsed();
            Duration watch = r.phase(Phase.KEEP_ALIVE).orElseThrow().elapsed();
            assertTrue(probe.compareTo(Duration.ofMillis(6 * 350)) >= 0, r::toString);
            assertTrue(watch.compareTo(Duration.ofSeconds(2)) >= 0, r::toString);
            // one after the other, the run would take at least their sum
            assertTrue(r.timings().total().compareTo(probe.plus(watch)) < 0,
                    () -> "total " + r.timings().total() + ", probe " + probe + ", watch " + watch);
        }
    }

    @Test
    void aBackendResettingOneConnectionInThreeIsCaughtByTheProbeSeriesBesideTheWatch() {
        // the watch opens its connection before the probe series starts, so the series' connections stay
        // consecutive at the backend
        for (int residue = 0; residue < 3; residue++) {
            int r3 = residue;
            try (FaultServer s = FaultServer.plain(FaultServer.resettingOneConnectionIn(3, r3))) {
                Report r = GatewayCheck.forBackend(s.url()).against(IDLE_2S).probe(SLOW_HEALTH).keepAlive()
                        .timeout(Duration.ofSeconds(20)).run();
                Finding f = Expect.oneConnectionIn(r, 3);
            }
        }
    }

    @Test
    void overTlsTheProbeSeriesAfterTheHandshakeStillSeesOneConnectionInThreeFail() {
        TestCertificates.Held ca = TestCertificates.ca("Overlap Root").build();
        TestCertificates.Held leaf = TestCertificates.loopbackLeaf(ca).build();
        for (int residue = 0; residue < 3; residue++) {
            int r3 = residue;
            try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate(),
                    ca.certificate()), FaultServer.resettingOneConnectionIn(3, r3))) {
                Report r = GatewayCheck.forBackend(s.url()).trusting(ca.certificate()).tls().probe(SLOW_HEALTH)
                        .timeout(Duration.ofSeconds(20)).run();
                PhaseResult tls = r.phase(Phase.TLS).orElseThrow();
                if (tls.status() == PhaseResult.Status.PASSED) {
                    // the handshake's connection was a good one: the series, after it, must see the bad ones
                    Finding f = Expect.oneConnectionIn(r, 3);
                } else {
                    // the connect check's or the handshake's connection was the bad one: that phase says so (an ERROR),
                    // the rest is skipped
                    assertTrue(r.findings().stream().anyMatch(f -> f.severity() == dev.gatewaycheck.Severity.ERROR),
                            r::toString);
                    assertEquals(PhaseResult.Status.SKIPPED, r.phase(Phase.PROBE).orElseThrow().status(), r::toString);
                }
            }
        }
    }

    @Test
    void overTlsEachSeriesBesideTheOtherSeesExactlyItsShareOfFailingConnections() {
        eachSeriesSeesItsShare(null);
    }

    @Test
    void overTls12PinnedEachSeriesSeesExactlyItsShareOfFailingConnections() {
        // the same against a TLS 1.2 backend: the series' connections offer TLS 1.2 only (RunContext.httpTlsVersions)
        eachSeriesSeesItsShare(new String[] {"TLSv1.2"});
    }

    private static void eachSeriesSeesItsShare(String[] protocols) {
        // the traffic series and the probe series run beside each other and beside the TLS phase, two handshakes at
        // once in each; each series' connections stay consecutive at the backend and in order, so a backend failing
        // one connection in n shows in each series exactly as in a series of its own: 6/n of the six requests, and
        // in the four probes the failures n apart (never two in a row, which would be an ERROR for a threshold of 2)
        TestCertificates.Held ca = TestCertificates.ca("Overlap Root").build();
        TestCertificates.Held leaf = TestCertificates.loopbackLeaf(ca).build();
        for (int n = 2; n <= 3; n++) {
            for (int residue = 0; residue < n; residue++) {
                try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate(),
                        ca.certificate()), FaultServer.resettingOneConnectionIn(n, residue),
                        server -> {
                            if (protocols != null) {
                                server.setEnabledProtocols(protocols);
                            }
                        })) {
                    Report r = GatewayCheck.forBackend(s.url()).trusting(ca.certificate()).tls().probe()
                            .timeout(Duration.ofSeconds(20)).run();
                    if (r.phase(Phase.TLS).orElseThrow().status() != PhaseResult.Status.PASSED) {
                        // the handshake's connection was a bad one: the TLS phase says so, the rest is skipped
                        assertEquals(PhaseResult.Status.SKIPPED, r.phase(Phase.REQUEST).orElseThrow().status(),
                                r::toString);
                        continue;
                    }
                    // over TLS the server's reset after the handshake reads as a close without response
                    Finding traffic = r.findings().stream().filter(f -> f.evidence().has("failureShare"))
                            .findFirst().orElseThrow(() -> new AssertionError(r.toString()));
                    assertEquals("6", Expect.evidence(traffic, "attempts"), traffic::toString);
                    assertEquals(Integer.toString(6 / n), Expect.evidence(traffic, "failed"), traffic::toString);
                    Finding probe = Expect.oneConnectionIn(r, n);
                    assertEquals("4", Expect.evidence(probe, "probesSent"), probe::toString);
                    assertEquals("1", Expect.evidence(probe, "maxConsecutiveFailures"), probe::toString);
                    assertEquals(dev.gatewaycheck.Severity.WARNING, probe.severity(), probe::toString);
                }
            }
        }
    }

    @Test
    void aFailedHandshakeStillSkipsTheWatch() {
        // plain HTTP on a port the plan calls https: the handshake fails, the watch says why it did not count
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend("https://127.0.0.1:" + s.port()).against(IDLE_2S).tls().probe()
                    .keepAlive().timeout(Duration.ofSeconds(20)).run();
            for (Phase later : List.of(Phase.REQUEST, Phase.PROBE, Phase.KEEP_ALIVE)) {
                PhaseResult p = r.phase(later).orElseThrow();
                assertEquals(PhaseResult.Status.SKIPPED, p.status(), r::toString);
                assertTrue(p.reason().startsWith("the TLS handshake failed"), p::reason);
            }
            assertTrue(r.findings().stream().noneMatch(f -> f.cause().category() == Category.PROBE
                    || f.cause().category() == Category.KEEPALIVE), r::toString);
        }
    }
}
