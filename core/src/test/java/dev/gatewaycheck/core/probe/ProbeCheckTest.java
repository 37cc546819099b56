package dev.gatewaycheck.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RequestHead;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The gateway's health probe against real loopback backends. */
class ProbeCheckTest {
    static final String NOT_FOUND = FaultServer.response(404, "Not Found", "no such site\n");

    /** A backend that answers each request with {@code answer.apply(head)}, kept alive. */
    static FaultServer serving(Function<RequestHead, String> answer) {
        return FaultServer.plain(c -> {
            for (String h; (h = c.readRequest()) != null;) {
                c.write(answer.apply(RequestHead.parse(h)));
            }
        });
    }

    static ProbeSpec.Builder fastProbe(String path) {
        return ProbeSpec.builder().path(path).interval(Duration.ofSeconds(5)).timeout(Duration.ofSeconds(2))
                .unhealthyThreshold(3);
    }

    @Test
    void azureDefaultProbeOnADefaultSiteIsHealthy() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend(s.url()).withHost("www.contoso.test")
                    .against(GatewayProfile.AZURE_APP_GATEWAY_V2).probe().run();
            ReportSchema.valid(r);
            Expect.noErrorOrWarning(r);
            assertEquals(PhaseResult.Status.PASSED, r.phase(Phase.PROBE).orElseThrow().status(), r::toString);
        }
    }

    @Test
    void probePathAnsweringAnErrorIsProbeStatusMismatch() {
        try (FaultServer s = serving(h -> h.path().equals("/health")
                ? FaultServer.response(500, "Internal Server Error", "db down\n") : FaultServer.okResponse("hi"))) {
            Report r = GatewayCheck.forBackend(s.url()).withHost("www.contoso.test")
                    .probe(fastProbe("/health").build()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_STATUS_MISMATCH, Severity.ERROR);
            assertEquals("500", Expect.evidence(f, "status"));
            assertEquals("/health", Expect.evidence(f, "path"));
            assertEquals("www.contoso.test", Expect.evidence(f, "hostSent"));
            assertEquals("200-399", Expect.evidence(f, "accepted"));
            assertEquals(Expect.evidence(f, "probesSent"), Expect.evidence(f, "probesFailed"));
            assertEquals(502, f.gatewayStatus());
            assertTrue(f.message().contains("Expected:200-399 Received:500"), f::message);
        }
    }

    @Test
    void albMatcher200RejectsARedirect() {
        try (FaultServer s = serving(h -> FaultServer.response(301, "Moved Permanently", "",
                "Location: https://www.contoso.test/"))) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.AWS_ALB).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_STATUS_MISMATCH);
            assertEquals("301", Expect.evidence(f, "status"));
            assertEquals("200", Expect.evidence(f, "accepted"));
            assertEquals("https://www.contoso.test/", Expect.evidence(f, "location"));
        }
    }

    @Test
    void vhostOnlyBackendFailsAzuresDefaultProbeAsProbeHostNotServed() {
        try (FaultServer s = serving(h -> h.host().equals("www.contoso.test") ? FaultServer.okResponse("shop")
                : NOT_FOUND)) {
            Report r = GatewayCheck.forBackend(s.url()).withHost("www.contoso.test")
                    .against(GatewayProfile.AZURE_APP_GATEWAY_V2).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_HOST_NOT_SERVED, Severity.ERROR);
            assertEquals("127.0.0.1", Expect.evidence(f, "hostSent"));
            assertEquals("404", Expect.evidence(f, "status"));
            assertEquals("www.contoso.test", Expect.evidence(f, "siteHost"));
            assertEquals("200", Expect.evidence(f, "siteStatus"));
            assertTrue(f.message().contains("default site"), f::message);
            assertFalse(r.has(Cause.PROBE_STATUS_MISMATCH), r::toString);
        }
    }

    @Test
    void defaultVhostThatDropsUnknownHostsIsProbeHostNotServed() {
        // like nginx 'server { listen 80 default_server; return 444; }' next to the site's vhost
        try (FaultServer s = FaultServer.plain(c -> {
            for (String h; (h = c.readRequest()) != null;) {
                if (!RequestHead.parse(h).host().equals("www.contoso.test")) {
                    c.close();
                    return;
                }
                c.write(FaultServer.okResponse("shop"));
            }
        })) {
            Report r = GatewayCheck.forBackend(s.url()).withHost("www.contoso.test")
                    .against(GatewayProfile.AZURE_APP_GATEWAY_V2).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_HOST_NOT_SERVED, Severity.ERROR);
            assertEquals("BACKEND_CLOSED_WITHOUT_RESPONSE", Expect.evidence(f, "probeOutcome"));
            assertEquals("200", Expect.evidence(f, "siteStatus"));
            assertFalse(r.has(Cause.BACKEND_CLOSED_WITHOUT_RESPONSE), r::toString);
        }
    }

    @Test
    void aFailOpenGatewayAnswersNoStatusOfItsOwnForAFailingProbe() {
        try (FaultServer s = serving(h -> NOT_FOUND)) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.AWS_ALB).probe().run();
            ReportSchema.valid(r);
            // the target is unhealthy (ALB marks it so), but ALB keeps routing to it: clients get its 404
            Finding f = Expect.finding(r, Cause.PROBE_STATUS_MISMATCH, Severity.ERROR);
            assertEquals(0, f.gatewayStatus(), f::toString);
        }
    }

    @Test
    void aFailingProbeTakesThePoolsStatusForThatGateway() {
        try (FaultServer s = serving(h -> NOT_FOUND)) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.HAPROXY.toBuilder()
                    .defaultProbe(fastProbe("/").build()).build()).probe().run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_STATUS_MISMATCH, Severity.ERROR);
            assertEquals(503, f.gatewayStatus(), "HAProxy answers 503 when no server is up: " + f);
        }
    }

    @Test
    void slowProbePathIsProbeTimeout() {
        try (FaultServer s = FaultServer.plain(c -> {
            for (String h; (h = c.readRequest()) != null;) {
                if (RequestHead.parse(h).path().equals("/slow")) {
                    c.hold(Duration.ofSeconds(5));
                }
                c.write(FaultServer.okResponse("late\n"));
            }
        })) {
            ProbeSpec probe = fastProbe("/slow").timeout(Duration.ofMillis(700)).build();
            long t0 = System.nanoTime();
            Report r = GatewayCheck.forBackend(s.url()).probe(probe).timeout(Duration.ofSeconds(10)).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_TIMEOUT);
            assertEquals("0.7", Expect.evidence(f, "probeTimeoutSeconds"));
            assertEquals("1", Expect.evidence(f, "probesSent"), "a timed-out probe is not repeated");
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(4)) < 0, r::toString);
        }
    }

    @Test
    void missingBodyTextIsProbeBodyMismatch() {
        try (FaultServer s = serving(h -> FaultServer.okResponse("status: degraded\n"))) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.AZURE_APP_GATEWAY_V1)
                    .probe(fastProbe("/health").bodyContains("healthy").build()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_BODY_MISMATCH);
            assertEquals("healthy", Expect.evidence(f, "expectedBodyContains"));
            assertEquals("status: degraded\\n", Expect.evidence(f, "bodyStart"));
        }
    }

    @Test
    void everyThirdProbeFailingIsAnIntermittentWarning() {
        AtomicInteger probes = new AtomicInteger();
        try (FaultServer s = serving(h -> !h.path().equals("/health") ? FaultServer.okResponse("hi")
                : probes.getAndIncrement() % 3 == 1 ? FaultServer.response(503, "Service Unavailable", "busy\n")
                : FaultServer.okResponse("ok\n"))) {
            Report r = GatewayCheck.forBackend(s.url()).probe(fastProbe("/health").build()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_INTERMITTENT_FAILURE, Severity.WARNING);
            assertEquals("6", Expect.evidence(f, "probesSent"));
            assertEquals("2", Expect.evidence(f, "probesFailed"));
            assertEquals("0.33", Expect.evidence(f, "failureRate"));
            assertEquals("1", Expect.evidence(f, "maxConsecutiveFailures"));
            assertEquals("200,503!,200,200,503!,200", Expect.evidence(f, "outcomes"));
            assertFalse(r.has(Cause.PROBE_STATUS_MISMATCH));
        }
    }

    @Test
    void aBackendResettingOneConnectionInThreeIsCaughtWhicheverConnectionItStartsWith() {
        // the probe series needs consecutive connections, not wall-clock pauses: whatever the other phases' share
        // of the connections, one in three failing shows in the series
        for (int residue = 0; residue < 3; residue++) {
            int r3 = residue;
            try (FaultServer s = FaultServer.plain(FaultServer.resettingOneConnectionIn(3, r3))) {
                Report r = GatewayCheck.forBackend(s.url()).probe(fastProbe("/health").build()).run();
                Finding f = Expect.oneConnectionIn(r, 3);
                assertTrue(Expect.evidence(f, "outcomes").contains("BACKEND_RESET_CONNECTION"), f::toString);
            }
        }
    }

    @Test
    void consecutiveFailuresReachingTheThresholdAreAnError() {
        AtomicInteger probes = new AtomicInteger();
        try (FaultServer s = serving(h -> !h.path().equals("/health") ? FaultServer.okResponse("hi")
                : probes.getAndIncrement() < 2 ? FaultServer.response(500, "Internal Server Error", "")
                : FaultServer.okResponse("ok\n"))) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.AWS_ALB)
                    .probe(GatewayProfile.AWS_ALB.defaultProbe().toBuilder().path("/health").build()).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_INTERMITTENT_FAILURE, Severity.ERROR);
            assertEquals("2", Expect.evidence(f, "maxConsecutiveFailures"));
            assertEquals("2", Expect.evidence(f, "unhealthyThreshold"));
            assertTrue(f.message().contains("would mark this backend unhealthy"), f::message);
        }
    }

    @Test
    void misconfiguredProbeIsReportedWithoutTheNetwork() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            String url = s.url();
            s.close();   // nothing listens any more: the rules need no network
            ProbeSpec bad = ProbeSpec.builder().path("health").interval(Duration.ofSeconds(30))
                    .timeout(Duration.ofSeconds(40)).unhealthyThreshold(3).protocol("https").build();
            Report r = GatewayCheck.forBackend(url).against(GatewayProfile.AZURE_APP_GATEWAY_V2).probe(bad).run();
            ReportSchema.valid(r);
            Finding f = Expect.finding(r, Cause.PROBE_MISCONFIGURED, Severity.ERROR);
            assertEquals("PATH_NOT_ABSOLUTE, TIMEOUT_LONGER_THAN_INTERVAL, PROTOCOL_NOT_BACKENDS",
                    Expect.evidence(f, "rules"));
            assertEquals("custom probe", Expect.evidence(f, "probeSource"));
            assertTrue(r.has(Cause.CONNECTION_REFUSED), r::toString);
        }
    }

    @Test
    void aGatewayWithoutActiveProbeSkipsThePhaseAndSaysWhy() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            Report r = GatewayCheck.forBackend(s.url()).against(GatewayProfile.AWS_CLOUDFRONT).probe().run();
            ReportSchema.valid(r);
            PhaseResult p = r.phase(Phase.PROBE).orElseThrow();
            assertEquals(PhaseResult.Status.SKIPPED, p.status());
            assertTrue(p.reason().contains("no active health probe"), p::reason);
        }
    }

    @Test
    void acceptedRangesAreTheProbes() {
        try (FaultServer s = serving(h -> FaultServer.response(401, "Unauthorized", ""))) {
            Report r = GatewayCheck.forBackend(s.url())
                    .probe(fastProbe("/").accept(new StatusRange(200, 399), StatusRange.of(401)).build()).run();
            ReportSchema.valid(r);
            assertFalse(r.findings(dev.gatewaycheck.Category.PROBE).stream().findAny().isPresent(), r::toString);
        }
    }
}
