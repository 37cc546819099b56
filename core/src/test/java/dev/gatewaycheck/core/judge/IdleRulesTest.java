package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.judge.IdleCloseSeen.ClosedUnannounced;
import dev.gatewaycheck.core.judge.IdleCloseSeen.CloseKind;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Exchange;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Failure;
import dev.gatewaycheck.core.judge.IdleCloseSeen.FirstRequestFailed;
import dev.gatewaycheck.core.judge.IdleCloseSeen.IdleClosed;
import dev.gatewaycheck.core.judge.IdleCloseSeen.IdleEnd;
import dev.gatewaycheck.core.judge.IdleCloseSeen.NotKeptAlive;
import dev.gatewaycheck.core.judge.IdleCloseSeen.Race;
import dev.gatewaycheck.core.judge.IdleCloseSeen.RaceAttempt;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The keep-alive rules, one row each, without a socket: the facts the check saw, the causes named (in order), and
 * one key piece of evidence of the first; the generic gateway keeps idle connections 60 s.
 */
class IdleRulesTest {

    static final String B = "http://127.0.0.1:8080";

    static Exchange answer(String connection, String version, String framing, Duration advertised, Integer max) {
        return new Exchange(200, version, connection == null, connection, advertised, max, framing, null, "", 0);
    }

    static Exchange kept(Duration advertised, Integer max) {
        return answer(null, "HTTP/1.1", "content-length", advertised, max);
    }

    static IdleClosed closed(double seconds, CloseKind kind, Exchange before, Race race) {
        return new IdleClosed(B, before, new IdleEnd(kind, Duration.ofMillis((long) (seconds * 1000)), "", false),
                3, null, race);
    }

    static Arguments row(String name, IdleCloseSeen seen, List<Cause> causes, String key, String value) {
        return Arguments.of(name, seen, causes, key, value);
    }

    static Stream<Arguments> rows() {
        Duration ms10 = Duration.ofMillis(1010);
        return Stream.of(
                row("first request reset", new FirstRequestFailed(B, Failure.RST, "Connection reset"),
                        List.of(Cause.BACKEND_RESET_CONNECTION), "end", "RST"),
                row("first request empty reply", new FirstRequestFailed(B, Failure.EMPTY_REPLY, ""),
                        List.of(Cause.BACKEND_CLOSED_WITHOUT_RESPONSE), "end", "FIN"),
                row("first request truncated", new FirstRequestFailed(B, Failure.TRUNCATED, ""),
                        List.of(Cause.BACKEND_CLOSED_MID_RESPONSE), "end", "FIN"),
                row("first request timed out", new FirstRequestFailed(B, Failure.TIMEOUT, ""),
                        List.of(Cause.RESPONSE_TIMEOUT), "phase", "KEEP_ALIVE"),
                row("first request not HTTP: no cause here (the phase is skipped)",
                        new FirstRequestFailed(B, Failure.PROTOCOL, ""), List.of(), null, null),
                row("Connection: close on the first response", new NotKeptAlive(B,
                        answer("close", "HTTP/1.1", "content-length", null, null), CloseKind.FIN,
                        Duration.ofMillis(250)), List.of(Cause.KEEPALIVE_DISABLED_ON_BACKEND), "connectionHeader",
                        "close"),
                row("HTTP/1.0 answer, not closed in the wait", new NotKeptAlive(B,
                        answer(null, "HTTP/1.0", "content-length", null, null), null, Duration.ofMillis(250)),
                        List.of(Cause.KEEPALIVE_DISABLED_ON_BACKEND), "closeKind", "not closed within 250ms"),
                row("close after 3 requests, unannounced", new ClosedUnannounced(B, kept(null, null), 3,
                        Failure.RST), List.of(Cause.KEEPALIVE_UNANNOUNCED_CLOSE), "failedRequest", "4"),
                row("idle close before the gateway's", closed(1, CloseKind.FIN, kept(null, null), null),
                        List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), "recommendedNginx",
                        "keepalive_timeout 90s;"),
                row("idle close by RST", closed(1, CloseKind.RST, kept(null, null), null),
                        List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), "closeKind", "RST"),
                row("idle close past the gateway's and its margin", closed(60.6, CloseKind.FIN, kept(null, null),
                        null), List.of(), null, null),
                row("advertised timeout undercut", closed(1, CloseKind.FIN, kept(Duration.ofSeconds(5), 100), null),
                        List.of(Cause.KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED,
                                Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), "keepAliveHeader", "timeout=5, max=100"),
                row("advertised timeout met within the tolerance", closed(1.6, CloseKind.FIN,
                        kept(Duration.ofSeconds(2), null), null), List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY),
                        "advertisedTimeoutSeconds", "2"),
                row("race reproduced by the second request", closed(1, CloseKind.FIN, kept(null, null),
                        new Race(null, List.of(new RaceAttempt(null, 200, Duration.ofSeconds(1)),
                                new RaceAttempt(Failure.RST, 0, ms10)))),
                        List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), "raceResult", "RST after 1.010s idle"),
                row("race answered every time", closed(1, CloseKind.FIN, kept(null, null),
                        new Race(null, List.of(new RaceAttempt(null, 200, Duration.ofSeconds(1))))),
                        List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), "raceReproduced", "false"),
                row("race not run", closed(1, CloseKind.FIN, kept(null, null), new Race("no time", List.of())),
                        List.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY), "raceResult", "not run: no time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void namesTheCause(String name, IdleCloseSeen seen, List<Cause> causes, String key, String value) {
        List<Observation> seenAs = IdleRules.of(seen, GatewayProfile.GENERIC);
        assertEquals(causes, seenAs.stream().map(Observation::cause).toList(), () -> name + ": " + seenAs);
        if (key != null) {
            assertEquals(value, seenAs.get(0).evidence().get(key).orElse(null), () -> seenAs.get(0).toString());
        }
    }

    @ParameterizedTest(name = "idle close after {0}s: near the limit {1}")
    @MethodSource("margins")
    void aCloseJustAfterTheGatewaysIsNearTheLimit(double seconds, boolean near) {
        Observation o = IdleRules.of(closed(seconds, CloseKind.FIN, kept(null, null), null), GatewayProfile.GENERIC)
                .get(0);
        assertEquals(near, o.has(Qualifier.NEAR_LIMIT), o::toString);
    }

    static Stream<Arguments> margins() {
        return Stream.of(Arguments.of(59.9, false), Arguments.of(60.0, false), Arguments.of(60.3, true),
                Arguments.of(60.5, true));
    }
}
