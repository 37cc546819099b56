package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.judge.BodyLookSeen.End;
import dev.gatewaycheck.core.judge.BodyLookSeen.Forwarded;
import dev.gatewaycheck.core.judge.BodyLookSeen.Inflated;
import dev.gatewaycheck.core.judge.BodyLookSeen.SecondLook;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The body rules, one row each, without a socket: the facts, the causes named (in order), and one key piece of
 * evidence of the first; the generic gateway waits 20 s for a response.
 */
class BodyRulesTest {

    static final String B = "http://127.0.0.1:8080";
    static final Duration LONGER = Duration.ofSeconds(21);
    static final Inflated BAD_GZIP = new Inflated(0, "ZipException: Not in GZIP format");

    static Forwarded forwarded(long cl, int received, boolean capped, boolean cutShort, Kind kind, Duration stalled) {
        return new Forwarded(B, "example.test", "/", 200, cl, received, capped, cutShort, TransportFailure.of(kind),
                stalled);
    }

    static SecondLook look(String coding, long cl, End end, int extra, boolean capped, Inflated inflated) {
        return new SecondLook(B, "example.test", "/", "gzip, deflate", 200, coding, cl, 3, "abc", end,
                end == End.STALL ? LONGER : Duration.ZERO, extra, capped, "\0tail", inflated);
    }

    static Arguments row(String name, BodyLookSeen seen, List<Cause> causes, String key, String value) {
        return Arguments.of(name, seen, causes, key, value);
    }

    static Stream<Arguments> rows() {
        Cause mismatch = Cause.CONTENT_LENGTH_MISMATCH;
        return Stream.of(
                row("forwarded body stalls past the gateway's wait", forwarded(10, 3, false, false,
                        Kind.READ_TIMED_OUT, LONGER), List.of(mismatch), "bytesReceived", "3"),
                row("forwarded body ended by an unrecognised failure after the wait", forwarded(10, 3, false, false,
                        Kind.UNRECOGNIZED, LONGER), List.of(mismatch), "endedBy", "the gateway's request timeout"),
                row("forwarded body stalls less than the gateway waits", forwarded(10, 3, false, false,
                        Kind.READ_TIMED_OUT, Duration.ofSeconds(5)), List.of(), null, null),
                row("forwarded body ended by a RST: its own cause", forwarded(10, 3, false, false, Kind.RESET, LONGER),
                        List.of(), null, null),
                row("forwarded body ended by a FIN: its own cause", forwarded(10, 3, false, false,
                        Kind.CLOSED_MID_RESPONSE, LONGER), List.of(), null, null),
                row("forwarded wait cut by the run's deadline", forwarded(10, 3, false, true, Kind.READ_TIMED_OUT,
                        LONGER), List.of(), null, null),
                row("forwarded body complete", forwarded(10, 10, false, false, Kind.READ_TIMED_OUT, LONGER),
                        List.of(), null, null),
                row("forwarded body without a Content-Length", forwarded(-1, 3, false, false, Kind.READ_TIMED_OUT,
                        LONGER), List.of(), null, null),
                row("forwarded body cut at the read cap", forwarded(10, 3, true, false, Kind.READ_TIMED_OUT, LONGER),
                        List.of(), null, null),
                row("second look: body stalls short of Content-Length", look(null, 10, End.STALL, 0, false, null),
                        List.of(mismatch), "after", "stall"),
                row("second look: chunked body stalls (no Content-Length)", look(null, -1, End.STALL, 0, false,
                        null), List.of(), null, null),
                row("second look: more bytes after the body", look(null, 3, End.COMPLETE, 5, false, null),
                        List.of(mismatch), "extraStart", "\\x00tail"),
                row("second look: extra bytes cut at their cap", look(null, 3, End.COMPLETE, 65536, true, null),
                        List.of(mismatch), "after", "65536+ extra bytes"),
                row("second look: gzip body that does not inflate", look("gzip", 3, End.COMPLETE, 0, false,
                        BAD_GZIP), List.of(Cause.INVALID_COMPRESSED_BODY), "error", BAD_GZIP.error()),
                row("second look: gzip body cut at the cap that does not inflate", look("gzip", -1, End.CAP, 0,
                        false, BAD_GZIP), List.of(Cause.INVALID_COMPRESSED_BODY), "bodyComplete", "false"),
                row("second look: broken body is not inflated", look("gzip", -1, End.BROKEN, 0, false, BAD_GZIP),
                        List.of(), null, null),
                row("second look: extra bytes and a bad gzip body", look("gzip", 3, End.COMPLETE, 5, false, BAD_GZIP),
                        List.of(mismatch, Cause.INVALID_COMPRESSED_BODY), "extraBytes", "5"),
                row("second look: gzip body that inflates", look("gzip", 3, End.COMPLETE, 0, false,
                        new Inflated(10, null)), List.of(), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void namesTheCause(String name, BodyLookSeen seen, List<Cause> causes, String key, String value) {
        List<Observation> seenAs = BodyRules.of(seen, GatewayProfile.GENERIC);
        assertEquals(causes, seenAs.stream().map(Observation::cause).toList(), () -> name + ": " + seenAs);
        for (Observation o : seenAs) {
            assertTrue(o.has(Qualifier.AFTER_HEAD), o::toString);
            assertEquals(200, o.answeredStatus(), o::toString);
        }
        if (key != null) {
            assertEquals(value, seenAs.get(0).evidence().get(key).orElse(null), () -> seenAs.get(0).toString());
        }
    }
}
