package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.judge.ProbeRules.Rule;
import dev.gatewaycheck.core.judge.ProbeSeriesSeen.Answer;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The probe rules without the network, one table row per rule: the configuration (and valid controls), and what a
 * probe series means for the gateway ({@link ProbeSeriesSeen} built here).
 */
class ProbeRulesTest {

    static ProbeSpec azureOk() {
        return ProbeSpec.builder().path("/health").interval(Duration.ofSeconds(30)).timeout(Duration.ofSeconds(30))
                .unhealthyThreshold(3).build();
    }

    static Arguments row(String name, GatewayProfile profile, boolean backendTls, UnaryOperator<ProbeSpec.Builder> b,
                         Rule expected, String field, String value) {
        return Arguments.of(name, profile, backendTls, b.apply(azureOk().toBuilder()).build(), expected, field, value);
    }

    static Stream<Arguments> violations() {
        GatewayProfile az = GatewayProfile.AZURE_APP_GATEWAY_V2;
        GatewayProfile alb = GatewayProfile.AWS_ALB;
        return Stream.of(
                row("path without leading slash", GatewayProfile.GENERIC, false, b -> b.path("health"),
                        Rule.PATH_NOT_ABSOLUTE, "path", "'health'"),
                row("timeout longer than interval", GatewayProfile.GENERIC, false,
                        b -> b.timeout(Duration.ofSeconds(40)), Rule.TIMEOUT_LONGER_THAN_INTERVAL, "timeout", "40s"),
                row("Azure interval above 86400 s", az, false,
                        b -> b.interval(Duration.ofSeconds(86401)), Rule.INTERVAL_OUT_OF_RANGE, "interval", "86401s"),
                row("Azure timeout below 1 s", az, false, b -> b.timeout(Duration.ofMillis(500)),
                        Rule.TIMEOUT_OUT_OF_RANGE, "timeout", "500ms"),
                row("Azure unhealthy threshold above 20", az, false, b -> b.unhealthyThreshold(21),
                        Rule.THRESHOLD_OUT_OF_RANGE, "unhealthyThreshold", "21"),
                row("ALB unhealthy threshold below 2", alb, false, b -> b.unhealthyThreshold(1)
                        .timeout(Duration.ofSeconds(5)), Rule.THRESHOLD_OUT_OF_RANGE, "unhealthyThreshold", "1"),
                row("ALB interval above 300 s", alb, false, b -> b.interval(Duration.ofSeconds(301))
                        .timeout(Duration.ofSeconds(5)).unhealthyThreshold(2), Rule.INTERVAL_OUT_OF_RANGE,
                        "interval", "301s"),
                row("ALB has no body match", alb, false, b -> b.bodyContains("OK").timeout(Duration.ofSeconds(5))
                        .unhealthyThreshold(2), Rule.BODY_MATCH_UNSUPPORTED, "bodyContains", "'OK'"),
                row("Azure body match longer than 4090", az, false, b -> b.bodyContains("x".repeat(4091)),
                        Rule.BODY_MATCH_TOO_LONG, "bodyContains", "4091 characters"),
                row("ALB matcher outside 200-499", alb, false, b -> b.accept(new StatusRange(200, 599))
                        .timeout(Duration.ofSeconds(5)).unhealthyThreshold(2), Rule.STATUS_RANGE_NOT_ALLOWED,
                        "accepted", "200-599"),
                row("Azure https probe on an http backend setting", az, false, b -> b.protocol("https"),
                        Rule.PROTOCOL_NOT_BACKENDS, "protocol", "https"),
                row("Azure http probe on an https backend setting", az, true, b -> b.protocol("http"),
                        Rule.PROTOCOL_NOT_BACKENDS, "protocol", "http"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void reportsTheBrokenRule(String name, GatewayProfile profile, boolean backendTls, ProbeSpec spec, Rule rule,
                              String field, String value) {
        List<ProbeRules.Violation> v = ProbeRules.check(spec, profile, backendTls);
        assertEquals(1, v.size(), () -> name + ": expected exactly " + rule + " but got " + v);
        assertEquals(rule, v.get(0).rule());
        assertEquals(field, v.get(0).field());
        assertEquals(value, v.get(0).value());
        assertTrue(!v.get(0).allowed().isEmpty());
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("Azure default probe", GatewayProfile.AZURE_APP_GATEWAY_V2,
                        GatewayProfile.AZURE_APP_GATEWAY_V2.defaultProbe(), false),
                Arguments.of("ALB default probe", GatewayProfile.AWS_ALB, GatewayProfile.AWS_ALB.defaultProbe(), true),
                Arguments.of("ALB http probe of an https target is allowed", GatewayProfile.AWS_ALB,
                        GatewayProfile.AWS_ALB.defaultProbe().toBuilder().protocol("http").build(), true),
                Arguments.of("Azure bounds inclusive", GatewayProfile.AZURE_APP_GATEWAY_V1, ProbeSpec.builder()
                        .interval(Duration.ofSeconds(86400)).timeout(Duration.ofSeconds(1)).unhealthyThreshold(20)
                        .bodyContains("x".repeat(4090)).build(), false),
                Arguments.of("Azure v1 default probe", GatewayProfile.AZURE_APP_GATEWAY_V1,
                        GatewayProfile.AZURE_APP_GATEWAY_V1.defaultProbe(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsValidProbes(String name, GatewayProfile profile, ProbeSpec spec, boolean backendTls) {
        assertEquals(List.of(), ProbeRules.check(spec, profile, backendTls));
    }

    @org.junit.jupiter.api.Test
    void everyPresetsDefaultProbeIsValidForItsGateway() {
        for (GatewayProfile p : GatewayProfile.presets()) {
            if (p.defaultProbe() != null) {
                assertEquals(List.of(), ProbeRules.check(p.defaultProbe(), p, false), p.id());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void reportsEveryBrokenRuleAtOnce() {
        ProbeSpec bad = ProbeSpec.builder().path("health").interval(Duration.ofSeconds(10))
                .timeout(Duration.ofSeconds(90000)).unhealthyThreshold(30).build();
        List<Rule> rules = ProbeRules.check(bad, GatewayProfile.AZURE_APP_GATEWAY_V1, false).stream()
                .map(ProbeRules.Violation::rule).toList();
        assertEquals(List.of(Rule.PATH_NOT_ABSOLUTE, Rule.TIMEOUT_LONGER_THAN_INTERVAL, Rule.TIMEOUT_OUT_OF_RANGE,
                Rule.THRESHOLD_OUT_OF_RANGE), rules);
    }

    // ---- the probe series: one row per rule, ProbeSeriesSeen built here ----

    static final String SITE = "www.example.test";

    static Answer status(int status) {
        return new Answer(status, status == 200 ? "OK" : "Not Found", "nginx", null, "", Duration.ofMillis(2), null);
    }

    static Answer failure(Kind kind) {
        return new Answer(0, "", null, null, "", Duration.ofSeconds(5), new TransportFailure(kind,
                "java.net.SocketException", "Connection reset"));
    }

    /** A series of {@code answers} to a probe with Host {@code host} of {@code spec}. */
    static ProbeSeriesSeen series(ProbeSpec spec, String host, String tlsPage, Answer asSite, Answer... answers) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        Target probe = new Target(address, false, host, "/health");
        return new ProbeSeriesSeen(probe, spec, true, SITE, List.of(answers), Duration.ofMillis(40), Duration.ZERO,
                tlsPage, asSite);
    }

    static ProbeSeriesSeen series(Answer... answers) {
        return series(azureOk(), SITE, null, null, answers);
    }

    static Stream<Arguments> series() {
        ProbeSpec body = azureOk().toBuilder().bodyContains("UP").build();
        Answer ok = status(200);
        Answer notFound = status(404);
        Answer reset = failure(Kind.RESET);
        Answer timeout = failure(Kind.READ_TIMED_OUT);
        return Stream.of(
                Arguments.of("every probe passes: nothing", series(ok, ok, ok, ok), null, null, null),
                Arguments.of("every probe gets a status not accepted", series(notFound, notFound, notFound, notFound),
                        Cause.PROBE_STATUS_MISMATCH, "outcomes", "404!,404!,404!,404!"),
                Arguments.of("not accepted for the probe's Host, nor for the site's",
                        series(azureOk(), "127.0.0.1", null, notFound, notFound, notFound),
                        Cause.PROBE_STATUS_MISMATCH, "siteStatus", "404"),
                Arguments.of("the site's Host is served, the probe's is not",
                        series(azureOk(), "127.0.0.1", null, ok, notFound, notFound),
                        Cause.PROBE_HOST_NOT_SERVED, "siteStatus", "200"),
                Arguments.of("the site's Host is served, the probe's connection is reset",
                        series(azureOk(), "127.0.0.1", null, ok, reset, reset),
                        Cause.PROBE_HOST_NOT_SERVED, "probeOutcome", Cause.BACKEND_RESET_CONNECTION.id()),
                Arguments.of("a plain probe to a port that speaks TLS",
                        series(azureOk(), SITE, "the plain http request was sent to https port", null,
                                status(400), status(400)),
                        Cause.PROTOCOL_PORT_MISMATCH, "portSpeaks", "https"),
                Arguments.of("every probe's body lacks the match",
                        series(body, SITE, null, null, ok, ok, ok, ok), Cause.PROBE_BODY_MISMATCH,
                        "expectedBodyContains", "UP"),
                Arguments.of("no answer within the probe's timeout", series(timeout), Cause.PROBE_TIMEOUT,
                        "elapsedSeconds", null),
                Arguments.of("every probe's connection is reset", series(reset, reset, reset, reset),
                        Cause.BACKEND_RESET_CONNECTION, "exception", "java.net.SocketException"),
                Arguments.of("one in two fails, never the threshold in a row", series(ok, notFound, ok, reset),
                        Cause.PROBE_INTERMITTENT_FAILURE, "outcomes", "200,404!,200,"
                                + Cause.BACKEND_RESET_CONNECTION.id()),
                Arguments.of("the threshold in a row: the gateway marks the backend down",
                        series(ok, notFound, notFound, notFound), Cause.PROBE_INTERMITTENT_FAILURE,
                        Qualifier.MARKS_MEMBER_DOWN.name(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void namesWhatTheSeriesShows(String name, ProbeSeriesSeen seen, Cause cause, String key, String value) {
        List<Observation> out = ProbeRules.of(seen, GatewayProfile.AZURE_APP_GATEWAY_V2);
        if (cause == null) {
            assertEquals(List.of(), out);
            return;
        }
        assertEquals(1, out.size(), out::toString);
        Observation o = out.get(0);
        assertEquals(cause, o.cause(), o::toString);
        if (key.equals(Qualifier.MARKS_MEMBER_DOWN.name())) {
            assertTrue(o.has(Qualifier.MARKS_MEMBER_DOWN), o::toString);
            return;
        }
        assertFalse(o.has(Qualifier.MARKS_MEMBER_DOWN), o::toString);
        assertTrue(o.evidence().has(key), () -> "Expecting evidence " + key + " in " + o.evidence());
        if (value != null) {
            assertEquals(value, o.evidence().get(key).orElseThrow(), o::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void misconfiguredListsEveryBrokenRule(String name, GatewayProfile profile, boolean backendTls, ProbeSpec spec,
                                           Rule expected, String field, String value) {
        List<Observation> out = ProbeRules.misconfigured("http://127.0.0.1:8080", spec,
                ProbeRules.check(spec, profile, backendTls), true, profile);
        assertEquals(Cause.PROBE_MISCONFIGURED, out.get(0).cause());
        assertTrue(out.get(0).evidence().get("rules").orElseThrow().contains(expected.name()), out::toString);
        assertEquals("custom probe", out.get(0).evidence().get("probeSource").orElseThrow());
    }
}
