package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Text;
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
import dev.gatewaycheck.core.keepalive.ServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the keep-alive check's facts ({@link IdleCloseSeen}) mean: keep-alive off on the backend, an unannounced
 * close, an advertised timeout not honoured, an idle close before the gateway's (a warning within {@link #MARGIN}
 * after it), or a first request that failed outright. Pure: no network, no clock.
 *
 * <pre>{@code
 * ctx.observe(IdleRules.of(new IdleCloseSeen.IdleClosed(label, before, end, 3, null, null), ctx.profile()));
 * }</pre>
 */
public final class IdleRules {

    /** How long past the gateway's idle timeout a close still races the gateway's reuse (timer jitter): a warning. */
    public static final Duration MARGIN = Duration.ofMillis(500);
    /** How far an observed close may fall short of the advertised {@code Keep-Alive: timeout=} unremarked. */
    static final Duration ADVERTISED_TOLERANCE = Duration.ofMillis(500);

    private IdleRules() {
    }

    /** The observations {@code seen} shows for a gateway like {@code profile}; empty when none. */
    public static List<Observation> of(IdleCloseSeen seen, GatewayProfile profile) {
        if (seen instanceof FirstRequestFailed f) {
            return firstRequestFailed(f);
        }
        if (seen instanceof NotKeptAlive n) {
            return List.of(disabled(n, profile));
        }
        if (seen instanceof ClosedUnannounced u) {
            return List.of(unannounced(u));
        }
        IdleClosed c = (IdleClosed) seen;
        List<Observation> out = new ArrayList<>(2);
        Duration advertised = c.before().advertisedTimeout();
        if (advertised != null && c.end().idle().plus(ADVERTISED_TOLERANCE).compareTo(advertised) < 0) {
            out.add(notHonoured(c));
        }
        if (closesBeforeGateway(c.end().idle(), profile)) {
            out.add(shorter(c, profile));
        }
        return out;
    }

    /** Whether an idle close after {@code idle} races a gateway like {@code profile} (its idle timeout + margin). */
    public static boolean closesBeforeGateway(Duration idle, GatewayProfile profile) {
        return idle.compareTo(profile.idleTimeout().plus(MARGIN)) <= 0;
    }

    private static List<Observation> firstRequestFailed(FirstRequestFailed f) {
        Cause cause = switch (f.failure()) {
            case RST -> Cause.BACKEND_RESET_CONNECTION;
            case EMPTY_REPLY -> Cause.BACKEND_CLOSED_WITHOUT_RESPONSE;
            case TRUNCATED -> Cause.BACKEND_CLOSED_MID_RESPONSE;
            case TIMEOUT -> Cause.RESPONSE_TIMEOUT;
            default -> null;
        };
        if (cause == null) {
            return List.of();   // not something a gateway turns into a 502 of its own: the phase is skipped
        }
        String end = f.failure() == Failure.RST ? "RST" : f.failure() == Failure.TIMEOUT ? "TIMEOUT" : "FIN";
        // the request check usually reported it already; the run keeps the first finding per cause
        return List.of(Observation.of(cause, f.backend(), "The first request of the keep-alive check failed: "
                + f.failure() + ".", Evidence.builder().put("phase", "KEEP_ALIVE").put("end", end)
                .put("detail", f.detail()).build()));
    }

    private static Observation disabled(NotKeptAlive n, GatewayProfile profile) {
        Exchange opening = n.opening();
        String why = opening.connectionHeader() != null
                && opening.connectionHeader().toLowerCase(Locale.ROOT).contains("close")
                ? "announces 'Connection: " + opening.connectionHeader() + "'"
                : "close-delimited".equals(opening.framing()) ? "ends the response body by closing the connection"
                : "answers " + opening.version() + " without keep-alive";
        Evidence ev = Evidence.builder()
                .put("connectionHeader", opening.connectionHeader() == null ? "none" : opening.connectionHeader())
                .put("httpVersion", opening.version())
                .put("framing", opening.framing())
                .put("closeKind", n.closeKind() == null ? "not closed within " + Text.duration(n.watched())
                        : n.closeKind().name())
                .put("gatewayIdleTimeoutSeconds", profile.idleTimeout())
                .build();
        return Observation.of(Cause.KEEPALIVE_DISABLED_ON_BACKEND, n.backend(), "The backend " + why
                + " on the first response of a connection: keep-alive is off, each gateway request opens a new "
                + "connection.", ev);
    }

    private static Observation unannounced(ClosedUnannounced u) {
        Exchange last = u.last();
        int served = u.served();
        Evidence ev = Evidence.builder()
                .put("requestsBeforeClose", served)
                .put("failedRequest", served + 1)
                .put("failure", u.failure().toString())
                .put("closeKind", u.failure() == Failure.RST ? "RST" : "FIN")
                .put("lastConnectionHeader", last.connectionHeader() == null ? "none" : last.connectionHeader())
                .put("advertisedMax", last.advertisedMax())
                .build();
        String message = served == 1
                ? "The backend closes the connection after every response without announcing 'Connection: close': "
                + "a gateway that reuses it gets " + u.failure() + "."
                : "The backend closed a kept-alive connection after " + served + " requests without announcing "
                + "'Connection: close' on the last response: request " + (served + 1) + " got "
                + u.failure() + ", as a gateway's would.";
        return Observation.of(Cause.KEEPALIVE_UNANNOUNCED_CLOSE, u.backend(), message, ev);
    }

    private static Observation notHonoured(IdleClosed c) {
        Exchange before = c.before();
        IdleEnd end = c.end();
        Evidence ev = Evidence.builder()
                .put("advertisedTimeoutSeconds", before.advertisedTimeout())
                .put("observedIdleCloseSeconds", end.idle())
                .put("closeKind", end.kind().name())
                .put("keepAliveHeader", "timeout=" + before.advertisedTimeout().toSeconds()
                        + (before.advertisedMax() == null ? "" : ", max=" + before.advertisedMax()))
                .build();
        return Observation.of(Cause.KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED, c.backend(), "The backend announces "
                + "'Keep-Alive: timeout=" + before.advertisedTimeout().toSeconds() + "' but closed the idle "
                + "connection after " + Text.seconds(end.idle()) + " (" + end.kind() + ").", ev);
    }

    private static Observation shorter(IdleClosed c, GatewayProfile profile) {
        Duration gatewayIdle = profile.idleTimeout();
        IdleEnd end = c.end();
        boolean withinMargin = end.idle().compareTo(gatewayIdle) > 0;
        Evidence.Builder ev = Evidence.builder()
                .put("observedIdleCloseSeconds", end.idle())
                .put("closeKind", end.kind().name());
        if (end.kind() == CloseKind.RST) {
            ev.put("idleCloseByReset", "the backend resets (RST) idle connections instead of closing them (FIN): "
                    + "the gateway cannot tell this from a crash, and a request in flight is lost without a reply");
        }
        ev.put("advertisedTimeoutSeconds", c.before().advertisedTimeout())
                .put("advertisedMax", c.before().advertisedMax())
                .put("gatewayIdleTimeoutSeconds", gatewayIdle)
                .put("requestsOnConnection", c.served())
                .put("announcedRequestLimit", c.announcedLimit());
        if (!end.received().isEmpty()) {
            ev.put("sentWhileIdle", end.received());
        }
        ServerSettings.addTo(ev, gatewayIdle);
        if (c.race() != null) {
            race(ev, c.race());
        }
        String message = withinMargin
                ? "The backend closes idle keep-alive connections after " + Text.seconds(end.idle()) + " ("
                + end.kind() + "), only just after the gateway's " + Text.duration(gatewayIdle)
                + ": timer jitter makes the gateway's reuse race the close."
                : "The backend closes idle keep-alive connections after " + Text.seconds(end.idle()) + " ("
                + end.kind() + "), before the gateway's " + Text.duration(gatewayIdle)
                + " idle timeout: a request the gateway sends on one at that moment fails with a 502.";
        return Observation.of(Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY, c.backend(), message, ev.build())
                .remedy(ServerSettings.remedy(gatewayIdle)).withIf(withinMargin, Qualifier.NEAR_LIMIT);
    }

    /**
     * Adds {@code raceReproduced}, {@code raceResult} (the first request a closed connection failed, e.g.
     * {@code RST after 2.000s idle}, else what the backend answered; or why the race did not run) and
     * {@code raceAttempts} (every request's outcome).
     */
    private static void race(Evidence.Builder ev, Race race) {
        if (race.notRun() != null) {
            ev.put("raceReproduced", false).put("raceResult", "not run: " + race.notRun());
            return;
        }
        String result = null;
        List<String> lines = new ArrayList<>();
        for (RaceAttempt a : race.attempts()) {
            String line = (a.failure() != null ? a.failure().toString() : "HTTP " + a.status()) + " after "
                    + Text.seconds(a.idle()) + " idle";
            lines.add(line);
            if (result == null && a.failure() != null && a.failure().isClosedConnection()) {
                result = line;
            }
        }
        ev.put("raceReproduced", result != null)
                .put("raceResult", result != null ? result
                        : lines.get(0) + " (the backend still answered at the close instant)")
                .put("raceAttempts", String.join("; ", lines));
    }
}
