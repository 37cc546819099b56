package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.http.RawPeek;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the forwarded request shows ({@link ExchangeSeen}, {@link SeriesSeen}), as observations: transport failures
 * (with the second looks that tell FIN from RST, a malformed head from a cut one, and plain HTTP from a TLS port),
 * malformed or oversized heads, framing conflicts, slowness against the gateway's request timeout, a request loop,
 * a backend that itself answers 502/503/504, an application that is not deployed, and the share of a series of new
 * connections that fails. Pure: no socket, no clock.
 *
 * <pre>{@code
 * ctx.observe(ExchangeRules.of(new ExchangeSeen(target, exchange, null), profile));   // a plain answer
 * }</pre>
 */
public final class ExchangeRules {

    /** Body fragments of default pages that mean "the server runs, the application is not deployed". */
    static final List<String> WELCOME_PAGES = List.of(
            "welcome to nginx!", "apache2 debian default page", "apache2 ubuntu default page",
            "<h1>it works!</h1>", "test page for the apache http server", "iis windows server",
            "if you're seeing this, you've successfully installed tomcat", "welcome to jboss",
            "welcome to caddy", "default web site page");

    /** The remedy of a 502/503/504 that names no tier behind the backend: the application says it is unavailable. */
    public static final String NO_NEXT_TIER_REMEDY = "Nothing names a tier behind this backend (no Via header, no "
            + "known proxy's fingerprint): the application itself answers unavailable. Wait until it has started (503 "
            + "while starting: a readiness check polls again), or read its logs for why it refuses (overload, "
            + "maintenance, a dependency down).";

    /** The gateway errors a backend (or a tier behind it) can answer itself, which a gateway passes on. */
    private static final Set<Integer> GATEWAY_ERRORS = Set.of(502, 503, 504);
    /** The status of "no application at this path": the application is not deployed. */
    private static final int NOT_FOUND = 404;
    /** The status a TLS server answers plain HTTP with when it answers at all (nginx, Apache). */
    private static final int BAD_REQUEST = 400;
    /** How many of the last bytes before a FIN inside the head the evidence shows. */
    private static final int LAST_BYTES = 60;
    /** A status line a gateway accepts (RFC 9112 section 4). */
    private static final Pattern VALID_STATUS_LINE = Pattern.compile("HTTP/[0-9]\\.[0-9] [0-9]{3}( .*)?",
            Pattern.DOTALL);
    /** A header field name (RFC 9110 section 5.1: a token). */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    /** What one exchange of a series counts as. */
    public enum Attempt {
        /** A response a gateway passes on. */
        PASSED,
        /** A failure a gateway turns into an error. */
        FAILED,
        /** A timeout past the gateway's: failed, and too slow to repeat. */
        TIMED_OUT,
        /** Nothing about the backend (the run's deadline ended it, or no cause names the failure). */
        NOTHING
    }

    private ExchangeRules() {
    }

    /** What {@code a}, one exchange of a series, counts as for a gateway waiting {@code requestTimeout}. */
    public static Attempt attempt(ExchangeSeen a, Duration requestTimeout) {
        HttpObservation x = a.exchange();
        if (x.cutShort()) {
            return Attempt.NOTHING;
        }
        if (x.hasResponse()) {
            return GATEWAY_ERRORS.contains(x.status()) ? Attempt.FAILED : Attempt.PASSED;
        }
        Cause c = transport(a);
        if (c == null || c == Cause.RESPONSE_TIMEOUT && x.total().compareTo(requestTimeout) < 0) {
            return Attempt.NOTHING;
        }
        return c == Cause.RESPONSE_TIMEOUT ? Attempt.TIMED_OUT : Attempt.FAILED;
    }

    /** Each attempt's failure cause, null where it passed. */
    private static List<Cause> failures(SeriesSeen series, GatewayProfile profile) {
        List<Cause> out = new ArrayList<>();
        for (ExchangeSeen a : series.attempts()) {
            out.add(attempt(a, profile.requestTimeout()) == Attempt.PASSED ? null
                    : a.exchange().hasResponse() ? Cause.BACKEND_RETURNED_GATEWAY_ERROR : transport(a));
        }
        return out;
    }

    /** Whether some attempts of the series passed and some failed: the gateway fails a share of the requests. */
    private static boolean mixed(List<Cause> failures) {
        return failures.contains(null) && failures.stream().anyMatch(c -> c != null);
    }

    /**
     * The exchange the verdict on the request reads: {@code first}, or, when it failed without a head and others of
     * the series passed, the first that passed (the share of failures is {@link #share}'s).
     */
    public static ExchangeSeen judged(ExchangeSeen first, SeriesSeen series, GatewayProfile profile) {
        List<Cause> failures = failures(series, profile);
        if (first.failure() == null || first.exchange().hasResponse() || !mixed(failures)) {
            return first;
        }
        return series.attempts().get(failures.indexOf(null));
    }

    /** Some of the series failed: the main failure's cause, with the share of requests and the attempts. */
    public static List<Observation> share(SeriesSeen series, GatewayProfile profile) {
        List<Cause> failures = failures(series, profile);
        if (!mixed(failures)) {
            return List.of();
        }
        Map<Cause, Integer> counts = new LinkedHashMap<>();
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < failures.size(); i++) {
            Cause f = failures.get(i);
            if (f != null) {
                counts.merge(f, 1, Integer::sum);
            }
            int status = series.attempts().get(i).exchange().status();
            outcomes.append(i == 0 ? "" : ",").append(f == null ? Integer.toString(status)
                    : f == Cause.BACKEND_RETURNED_GATEWAY_ERROR ? status + "!" : f.id());
        }
        // the most frequent failure cause, the first seen on a tie
        Cause c = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
        ExchangeSeen failed = series.attempts().get(failures.indexOf(c));
        Target target = failed.target();
        int n = failures.size();
        long bad = n - failures.stream().filter(f -> f == null).count();
        double share = (double) bad / n;
        int status = Judge.status(c, profile);
        String percent = String.format(Locale.ROOT, "%.0f%%", share * 100);
        Evidence.Builder ev = request(target).put("attempts", n).put("failed", bad)
                .put("failureShare", BigDecimal.valueOf(share).setScale(2, RoundingMode.HALF_UP))
                .put("outcomes", outcomes.toString())
                .put("spacingSeconds", series.spacing());
        if (failed.exchange().hasResponse()) {
            ev.put("status", failed.exchange().status()).put("server", failed.exchange().header("Server").orElse(null));
        } else {
            ev.put("exception", failed.failure().exception())
                    .put("exceptionMessage", String.valueOf(failed.failure().message()));
        }
        return List.of(Observation.of(c, target.label(), bad + " of " + n + " requests on new connections failed ("
                + percent + "): " + c.title() + (status == 0 ? "" : "; the gateway answers " + status + " to about "
                + percent + " of requests"), ev.build()));
    }

    /**
     * Whether the verdict on {@code x}'s failure needs a TLS handshake on the plain target's port: a malformed
     * status line, a FIN or an RST instead of an answer may be a TLS port's.
     */
    public static boolean needsTlsProbe(ExchangeSeen x) {
        Cause c = transport(x);
        return !x.target().tls() && (c == Cause.MALFORMED_STATUS_LINE || c == Cause.BACKEND_CLOSED_WITHOUT_RESPONSE
                || c == Cause.BACKEND_RESET_CONNECTION);
    }

    /**
     * Whether the verdict on {@code x}'s failure needs the raw bytes of the same GET (the offending line, FIN or RST,
     * a head a FIN cut short), given what the TLS probe found ({@code portSpeaksTls}, null when not looked).
     */
    public static boolean needsPeek(ExchangeSeen x, Boolean portSpeaksTls) {
        Cause c = transport(x);
        if (c == null || Boolean.TRUE.equals(portSpeaksTls)) {
            return false;
        }
        return switch (c) {
            case MALFORMED_STATUS_LINE, INVALID_RESPONSE_HEADER, CONFLICTING_FRAMING_HEADERS,
                    BACKEND_CLOSED_WITHOUT_RESPONSE, BACKEND_RESET_CONNECTION -> true;
            case BACKEND_CLOSED_MID_RESPONSE, INVALID_CHUNKED_ENCODING -> x.exchange().hasResponse();
            default -> false;
        };
    }

    /** The cause of {@code x}'s transport failure, or null (none, the run cut it short, or no cause names it). */
    private static Cause transport(ExchangeSeen x) {
        if (x.failure() == null || x.exchange().cutShort()) {
            return null;
        }
        return TransportRules.cause(x.failure()).orElse(null);
    }

    /** What the exchange shows, in the order a reader takes it in. */
    public static List<Observation> of(ExchangeSeen seen, GatewayProfile profile) {
        List<Observation> out = new ArrayList<>();
        HttpObservation obs = seen.exchange();
        if (obs.failure() != null) {
            failure(seen, profile, out);
            if (!obs.hasResponse()) {
                return out;
            }
        }
        Target target = seen.target();
        String backend = target.label();
        Evidence.Builder base = request(target).put("status", obs.status());

        // plain HTTP to a TLS port that answers with an error page (nginx 400, Apache): the port speaks TLS
        if (seen.plainToTlsPage() != null) {
            out.add(Observation.of(Cause.PROTOCOL_PORT_MISMATCH, backend, "The gateway sends plain HTTP, but port "
                    + target.address().getPort() + " speaks TLS: it answered " + obs.status() + " '"
                    + seen.plainToTlsPage() + "' (a TLS handshake on it succeeds)", base.put("gatewayProtocol", "http")
                    .put("portSpeaks", "https").put("page", seen.plainToTlsPage())
                    .put("server", obs.header("Server").orElse(null)).build()));
            return out;
        }

        // slowness against the gateway's request timeout
        Duration requestTimeout = profile.requestTimeout();
        if (obs.firstByte() != null) {
            double ratio = (double) obs.firstByte().toNanos() / requestTimeout.toNanos();
            if (ratio > Judge.NEAR_LIMIT_RATIO) {
                out.add(Observation.of(Cause.RESPONSE_TIMEOUT, backend, String.format(Locale.ROOT,
                        "The first response byte came after %s, %d%% of the gateway's %ds request timeout",
                        Text.seconds(obs.firstByte()), Math.round(ratio * 100), requestTimeout.toSeconds()),
                        base.put("firstByteSeconds", obs.firstByte()).put("gatewayRequestTimeoutSeconds",
                                requestTimeout).build()).withIf(ratio <= 1.0, Qualifier.NEAR_LIMIT));
            }
        }

        // header size against the gateway's limit
        int headerBytes = obs.headerBytes();
        int limit = profile.maxResponseHeaderBytes();
        if (headerBytes > limit) {
            HttpObservation.Header largest = obs.largestHeader().orElse(null);
            out.add(Observation.of(Cause.RESPONSE_HEADER_TOO_LARGE, backend, "The response headers take " + headerBytes
                    + " bytes; the gateway accepts " + limit, Evidence.builder().put("status", obs.status())
                    .put("headerBytes", headerBytes).put("headerLines", obs.headers().size())
                    .put("largestHeader", largest == null ? null : largest.name())
                    .put("largestHeaderBytes", largest == null ? null : largest.wireBytes())
                    .put("gatewayLimitBytes", limit).build()));
        }

        // framing headers httpclient5 tolerates but gateways reject
        List<String> cl = obs.headers("Content-Length");
        List<String> te = obs.headers("Transfer-Encoding");
        if (!cl.isEmpty() && !te.isEmpty()) {
            out.add(Observation.of(Cause.CONFLICTING_FRAMING_HEADERS, backend,
                    "The response has both Content-Length and Transfer-Encoding", Evidence.builder()
                            .put("contentLength", String.join(", ", cl)).put("transferEncoding", String.join(", ", te))
                            .put("status", obs.status()).build()));
        } else if (new HashSet<>(cl).size() > 1) {
            out.add(Observation.of(Cause.CONFLICTING_FRAMING_HEADERS, backend, "The response has conflicting "
                    + "Content-Length headers " + cl, Evidence.builder().put("contentLength", String.join(", ", cl))
                    .build()));
        }

        // the answer went back through the gateway: its fingerprint, or a Via chain naming a hop twice
        Optional<String> ownMark = LoopSigns.gatewayFingerprint(obs, profile);
        Optional<String> repeated = LoopSigns.repeatedVia(obs);
        if (ownMark.isPresent() || repeated.isPresent()) {
            out.add(Observation.of(Cause.REQUEST_LOOP_DETECTED, backend, ownMark.map(m -> "The backend's direct "
                    + "answer carries " + profile.name() + "'s own fingerprint (" + m + "): the backend sends the "
                    + "request back through the gateway").orElseGet(() -> "The answer's Via chain passes "
                    + repeated.get() + " twice: the request loops"), request(target).put("status", obs.status())
                    .put("via", obs.headers("Via").isEmpty() ? null : String.join(", ", obs.headers("Via")))
                    .put("repeatedHop", repeated.orElse(null)).put("gatewayFingerprint", ownMark.orElse(null))
                    .put("server", obs.header("Server").orElse(null)).build()));
        }

        int status = obs.status();
        Optional<String> page = welcomePage(obs);
        if (GATEWAY_ERRORS.contains(status)) {
            // gateways pass a backend's own gateway error on unmodified (AGERR; Cloudflare brands it): its status
            // a next tier shows itself (Via, a proxy's fingerprint); without one the application answers for itself
            boolean nextTier = obs.header("Via").isPresent() || Fingerprint.identify(obs).isPresent();
            out.add(Observation.of(Cause.BACKEND_RETURNED_GATEWAY_ERROR, backend, "The backend itself answered "
                    + status + " " + obs.reason() + obs.header("Server").map(s -> " from " + s).orElse("")
                    + "; the gateway passes it on"
                    + (nextTier ? "" : "; no Via header or proxy fingerprint names a tier behind it"), base
                    .put("server", obs.header("Server").orElse(null)).put("via", obs.header("Via").orElse(null))
                    .put("xCache", obs.header("X-Cache").orElse(null)).put("bodyStart", Text.snippet(obs.body()))
                    .build()).answered(status).remedy(nextTier ? null : NO_NEXT_TIER_REMEDY));
        } else if (status == NOT_FOUND || page.isPresent()) {
            String message = page.map(p -> "The backend answers " + status + " with a default page ('" + p + "') for "
                    + target.path()).orElse("The backend answers 404 Not Found for " + target.path() + " with Host "
                    + target.host());
            Evidence ev = base.put("server", obs.header("Server").orElse(null))
                    .put("defaultPage", page.orElse(null)).put("bodyStart", Text.snippet(obs.body())).build();
            // no health probe takes the instance out: the gateway passes this answer on
            out.add(Observation.of(Cause.BACKEND_APP_NOT_DEPLOYED, backend, message, ev)
                    .withIf(!seen.healthProbe(), Qualifier.NO_HEALTH_PROBE));
        }
        return out;
    }

    /** The transport failure of the exchange, judged with its second looks. */
    private static void failure(ExchangeSeen seen, GatewayProfile profile, List<Observation> out) {
        HttpObservation obs = seen.exchange();
        Target target = seen.target();
        Cause c = transport(seen);
        if (c == null) {
            // the run's deadline or an interrupt closed the sockets: nothing about the backend (inconclusive)
            return;
        }
        TransportFailure f = seen.failure();
        Evidence.Builder ev = request(target).put("exception", f.exception())
                .put("exceptionMessage", String.valueOf(f.message())).put("elapsedSeconds", obs.total());
        String backend = target.label();
        // the head arrived whole and the body broke: a gateway that streams the head has already passed it on
        boolean afterHead = obs.hasResponse();
        if (Boolean.TRUE.equals(seen.portSpeaksTls())) {
            out.add(Observation.of(Cause.PROTOCOL_PORT_MISMATCH, backend, "The gateway sends plain HTTP, but port "
                    + target.address().getPort() + " speaks TLS (a TLS handshake on it succeeds)",
                    ev.put("gatewayProtocol", "http").put("portSpeaks", "https").build()));
            return;
        }
        Duration requestTimeout = profile.requestTimeout();
        RawPeek.Result peek = seen.peek();
        switch (c) {
            case RESPONSE_TIMEOUT -> {
                // a gateway's read timeout counts per read: mid-body, the wait since the last byte
                Duration waited = obs.hasResponse() && obs.quietAtEnd() != null ? obs.quietAtEnd() : obs.total();
                if (waited.compareTo(requestTimeout) < 0) {
                    // no read waited as long as the gateway would: inconclusive, not a finding
                    return;
                }
                String message = (afterHead ? "The response stalled mid-body for " : "No response within ")
                        + Text.seconds(waited) + "; the gateway waits " + requestTimeout.toSeconds() + "s";
                Observation stalled = Observation.of(c, backend, message, ev.put("gatewayRequestTimeoutSeconds",
                        requestTimeout).build());
                out.add(afterHead ? stalled.afterHead(obs.status()) : stalled);
            }
            case TLS_HANDSHAKE_TIMEOUT -> {
                Duration handshakeTimeout = profile.tlsHandshakeTimeout();
                if (obs.total().compareTo(handshakeTimeout) < 0) {
                    // the run's deadline (which caps every wait) ended the handshake before the gateway's timeout
                    // would: inconclusive
                    return;
                }
                out.add(Observation.of(c, backend, "The TCP connection was accepted but the TLS handshake did not "
                        + "complete within " + Text.seconds(obs.total()) + "; the gateway waits "
                        + handshakeTimeout.toMillis() + " ms", ev.put("gatewayTlsHandshakeTimeoutSeconds",
                        handshakeTimeout).build()));
            }
            case MALFORMED_STATUS_LINE, INVALID_RESPONSE_HEADER, CONFLICTING_FRAMING_HEADERS -> {
                ev.put("firstLine", peek.firstLineEscaped()).put("bytesReceived", peek.bytes().length());
                if (c == Cause.MALFORMED_STATUS_LINE && peek.cutInStatusLine()) {
                    // "HTTP/1.1 2" and FIN: not a malformed status line but one the backend's FIN cut short
                    out.add(Observation.of(Cause.BACKEND_CLOSED_MID_RESPONSE, backend, "The backend closed the "
                            + "connection (FIN) inside the status line, after " + RawPeek.escape(peek.bytes()),
                            ev.put("end", "FIN").build()));
                    return;
                }
                String bad = c == Cause.MALFORMED_STATUS_LINE ? "" : offendingHeader(peek.bytes(), c);
                ev.put("offendingHeader", bad.isEmpty() ? null : RawPeek.escape(bad));
                out.add(Observation.of(c, backend, c.title() + ": " + (bad.isEmpty() ? peek.firstLineEscaped()
                        : RawPeek.escape(bad)), ev.build()));
            }
            case BACKEND_CLOSED_WITHOUT_RESPONSE, BACKEND_RESET_CONNECTION -> {
                boolean reset = c == Cause.BACKEND_RESET_CONNECTION;
                ev.put("end", reset ? "RST" : "FIN").put("secondLookEnd", peek.end())
                        .put("secondLookBytes", peek.bytes().length());
                if (afterHead) {
                    out.add(Observation.of(c, backend, "The backend " + (reset ? "reset the connection (RST)"
                            : "closed the connection (FIN)") + " after the response head " + obs.status()
                            + ", before the body was complete", ev.build()).afterHead(obs.status()));
                    return;
                }
                out.add(Observation.of(c, backend, reset ? "The backend reset the connection (RST) before answering"
                        : "The backend closed the connection (FIN) without sending a byte", ev.build()));
            }
            default -> {
                String name = f.exception();
                String described = c.title() + " (" + name.substring(Math.max(name.lastIndexOf('.'),
                        name.lastIndexOf('$')) + 1) + ": " + f.message() + ")";
                if (peek != null && peek.cutInHead()) {
                    // httpcore5 takes a head that a FIN cuts short for a whole one: the raw bytes show it
                    out.add(Observation.of(Cause.BACKEND_CLOSED_MID_RESPONSE, backend, "The backend closed the "
                            + "connection (" + peek.end() + ") inside the response head, before the blank line that "
                            + "ends it", ev.put("end", peek.end().name()).put("bytesReceived", peek.bytes().length())
                            .put("lastBytes", RawPeek.escape(peek.bytes().substring(
                                    Math.max(0, peek.bytes().length() - LAST_BYTES)))).build()));
                    return;
                }
                Observation o = Observation.of(c, backend, described, ev.build());
                out.add(afterHead ? o.afterHead(obs.status()) : o);
            }
        }
    }

    /**
     * What the raw head shows: a status line whose version is not {@code HTTP/DIGIT.DIGIT} ({@code HTTP/1 200 OK},
     * which httpcore5 takes for HTTP/1.0) is {@code MALFORMED_STATUS_LINE} (RFC 9112 section 2.3; nginx relays such
     * a response as HTTP/0.9), the first line a gateway rejects {@code INVALID_RESPONSE_HEADER}, and a head the
     * backend's FIN ended before its blank line {@code BACKEND_CLOSED_MID_RESPONSE} (httpcore5 takes the lines so
     * far as the whole head).
     */
    public static List<Observation> head(HeadSeen seen) {
        List<Observation> out = new ArrayList<>();
        if (seen.status() <= 0) {
            return out;
        }
        Target target = seen.target();
        if (!VALID_STATUS_LINE.matcher(seen.statusLine()).matches()) {
            out.add(Observation.of(Cause.MALFORMED_STATUS_LINE, target.label(), "The status line "
                    + RawPeek.escape(seen.statusLine()) + " is not HTTP/DIGIT.DIGIT followed by a three-digit status "
                    + "(RFC 9112 section 4)", request(target).put("firstLine", RawPeek.escape(seen.statusLine()))
                    .build()));
        }
        if (seen.fault() != null) {
            String problem = seen.fault().rule();
            out.add(Observation.of(Cause.INVALID_RESPONSE_HEADER, target.label(), "The response header line "
                    + RawPeek.escape(seen.faultyLine()) + " is invalid: " + problem, request(target)
                    .put("status", seen.status()).put("offendingHeader", RawPeek.escape(seen.faultyLine()))
                    .put("problem", problem).build()));
        }
        if (seen.cutByFin()) {
            List<String> lines = seen.lines();
            String last = lines.isEmpty() ? "(the status line)" : RawPeek.escape(lines.get(lines.size() - 1));
            out.add(Observation.of(Cause.BACKEND_CLOSED_MID_RESPONSE, target.label(), "The backend closed the "
                    + "connection (FIN) inside the response head, after " + lines.size() + " header line(s) and "
                    + "before the blank line that ends the head; the gateway has no complete head to pass on",
                    request(target).put("status", seen.status()).put("end", "FIN")
                    .put("headerLinesReceived", lines.size()).put("lastLine", last).build()));
        }
        return out;
    }

    /** The evidence every observation of the request starts with. */
    private static Evidence.Builder request(Target target) {
        return Evidence.builder().put("request", "GET " + target.path()).put("host", target.host());
    }

    /** The first header line that is not {@code token: value}, or a framing header, from raw bytes. */
    static String offendingHeader(String raw, Cause c) {
        String[] lines = raw.split("\r?\n", -1);
        Set<String> seenLength = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon) : "";
            if (c == Cause.INVALID_RESPONSE_HEADER && (colon <= 0 || !name.matches(TOKEN)
                    || line.startsWith(" ") || line.startsWith("\t"))) {
                return line;
            }
            if (c == Cause.CONFLICTING_FRAMING_HEADERS) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("content-length") && (!seenLength.add(lower)
                        || !line.substring(colon + 1).trim().matches("[0-9]+"))) {
                    return line;
                }
                if (lower.equals("transfer-encoding")) {
                    return line;
                }
            }
        }
        return "";
    }

    /** The default page fragment {@code obs}'s body carries, if any. */
    static Optional<String> welcomePage(HttpObservation obs) {
        String body = obs.bodyLower();
        return WELCOME_PAGES.stream().filter(body::contains).findFirst();
    }
}
