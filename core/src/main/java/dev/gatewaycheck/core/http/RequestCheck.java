package dev.gatewaycheck.core.http;

import dev.gatewaycheck.spi.Snippets;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.Judge;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The request the gateway forwards ({@code GET path} with the configured Host), judged: transport failures,
 * malformed or oversized responses, framing conflicts, slowness against the profile's request timeout, a backend
 * that itself answers 502/503/504, and an application that is not deployed.
 */
public final class RequestCheck {

    /** Body fragments of default pages that mean "the server runs, the application is not deployed". */
    static final List<String> WELCOME_PAGES = List.of(
            "welcome to nginx!", "apache2 debian default page", "apache2 ubuntu default page",
            "<h1>it works!</h1>", "test page for the apache http server", "iis windows server",
            "if you're seeing this, you've successfully installed tomcat", "welcome to jboss",
            "welcome to caddy", "default web site page");

    private RequestCheck() {
    }

    /**
     * Why the request could not be judged (the run's deadline ended the wait before the gateway's timeout), or
     * null when it was.
     */
    public static Outcome inconclusive(RunContext ctx, HttpObservation obs) {
        if (obs.hasResponse() || !ctx.cutShort()) {
            return Outcome.RAN;
        }
        return Outcome.inconclusive("the run's deadline ended the wait for the response after "
                + Text.seconds(obs.total()) + "; the gateway waits " + ctx.profile().requestTimeout().toSeconds() + "s");
    }

    /** Runs the forwarded request against {@code target} and reports what is wrong. */
    public static HttpObservation run(RunContext ctx, Target target) {
        Duration requestTimeout = ctx.profile().requestTimeout();
        // wait a little longer than the gateway so that "slower than the gateway" is measured, not guessed
        Duration wait = requestTimeout.plus(requestTimeout.dividedBy(10)).plusMillis(200);
        if (ctx.plan().requestBody() != null) {
            // the upload first: a backend that does not read it would only make the GET time out the same way
            BodyExchange.Observation upload = BodyExchange.send(ctx, target, ctx.plan().requestBody(), requestTimeout);
            if (BodyJudge.judge(ctx, target, upload)) {
                return new HttpObservation(0, "", "", java.util.List.of(), "", false, null, upload.elapsed(), null,
                        null, false);
            }
        }
        HttpObservation obs = HttpExchange.get(ctx, target, wait);
        if (obs.firstByte() != null) {
            ctx.firstByteTime(obs.firstByte());
        }
        TrafficSeries traffic = TrafficSeries.after(ctx, target, obs, wait, requestTimeout);
        if (traffic.mixed()) {
            // some requests fail, some pass: the gateway fails that share of its traffic (the cause, with the share)
            judgeShare(ctx, target, traffic);
            HttpObservation passed = traffic.firstPassed();
            judge(ctx, target, obs.failure() == null || obs.hasResponse() ? obs : passed, requestTimeout);
        } else {
            judge(ctx, target, obs, requestTimeout);
        }
        BodyCheck.afterRequest(ctx, target, obs);
        if (target.tls() && ctx.profile().backendHttp2() != dev.gatewaycheck.GatewayProfile.BackendHttp2.NONE
                && !ctx.cutShort()) {
            // the gateway speaks HTTP/2 to backends: the same GET over h2, as it would send it
            H2Judge.judge(ctx, target, H2Probe.get(ctx, target, requestTimeout), ctx.profile().backendHttp2());
        }
        return obs;
    }

    /** Some of the series failed: the failure's cause, with the share of requests and the attempts. */
    private static void judgeShare(RunContext ctx, Target target, TrafficSeries traffic) {
        Cause c = traffic.mainFailure();
        HttpObservation failed = traffic.firstFailed(c);
        int n = traffic.attempts().size();
        long bad = traffic.failed();
        double share = (double) bad / n;
        int status = Judge.status(c, ctx.profile());
        String percent = String.format(Locale.ROOT, "%.0f%%", share * 100);
        Evidence.Builder ev = Evidence.builder().put("request", "GET " + target.path()).put("host", target.host())
                .put("attempts", n).put("failed", bad)
                .put("failureShare", java.math.BigDecimal.valueOf(share).setScale(2, java.math.RoundingMode.HALF_UP))
                .put("outcomes", traffic.outcomes())
                .put("spacingSeconds", TrafficSeries.SPACING);
        if (failed.hasResponse()) {
            ev.put("status", failed.status()).put("server", failed.header("Server").orElse(null));
        } else {
            ev.put("exception", failed.failure().getClass().getName())
                    .put("exceptionMessage", String.valueOf(failed.failure().getMessage()));
        }
        ctx.observe(Observation.of(c, target.label(), bad + " of " + n + " requests on new connections failed (" + percent + "): "
                + c.title() + (status == 0 ? "" : "; the gateway answers " + status + " to about " + percent
                + " of requests"), ev.build()));
    }

    static void judge(RunContext ctx, Target target, HttpObservation obs, Duration requestTimeout) {
        String backend = target.label();
        if (obs.failure() != null) {
            judgeFailure(ctx, target, obs, requestTimeout);
            if (!obs.hasResponse()) {
                return;
            }
        }
        Evidence.Builder base = Evidence.builder().put("request", "GET " + target.path())
                .put("host", target.host()).put("status", obs.status());

        // plain HTTP to a TLS port that answers with an error page (nginx 400, Apache): the port speaks TLS
        Optional<String> plainToTls = PlainToTls.detect(ctx, target, obs);
        if (plainToTls.isPresent()) {
            ctx.observe(Observation.of(Cause.PROTOCOL_PORT_MISMATCH, backend, "The gateway sends plain HTTP, but port "
                    + target.address().getPort() + " speaks TLS: it answered " + obs.status() + " '"
                    + plainToTls.get() + "' (a TLS handshake on it succeeds)", base.put("gatewayProtocol", "http")
                    .put("portSpeaks", "https").put("page", plainToTls.get())
                    .put("server", obs.header("Server").orElse(null)).build()));
            return;
        }


        // slowness against the gateway's request timeout
        if (obs.firstByte() != null) {
            double ratio = (double) obs.firstByte().toNanos() / requestTimeout.toNanos();
            if (ratio > Judge.NEAR_LIMIT_RATIO) {
                ctx.observe(Observation.of(Cause.RESPONSE_TIMEOUT, backend, String.format(Locale.ROOT,
                        "The first response byte came after %s, %d%% of the gateway's %ds request timeout",
                        Text.seconds(obs.firstByte()), Math.round(ratio * 100), requestTimeout.toSeconds()),
                        base.put("firstByteSeconds", obs.firstByte()).put("gatewayRequestTimeoutSeconds",
                                requestTimeout).build()).withIf(ratio <= 1.0, Qualifier.NEAR_LIMIT));
            }
        }

        // header size against the gateway's limit
        int headerBytes = obs.headerBytes();
        int limit = ctx.profile().maxResponseHeaderBytes();
        if (headerBytes > limit) {
            HttpObservation.Header largest = obs.largestHeader().orElse(null);
            ctx.observe(Observation.of(Cause.RESPONSE_HEADER_TOO_LARGE, backend, "The response headers take " + headerBytes
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
            ctx.observe(Observation.of(Cause.CONFLICTING_FRAMING_HEADERS, backend,
                    "The response has both Content-Length and Transfer-Encoding", Evidence.builder()
                            .put("contentLength", String.join(", ", cl)).put("transferEncoding", String.join(", ", te))
                            .put("status", obs.status()).build()));
        } else if (new HashSet<>(cl).size() > 1) {
            ctx.observe(Observation.of(Cause.CONFLICTING_FRAMING_HEADERS, backend, "The response has conflicting Content-Length "
                    + "headers " + cl, Evidence.builder().put("contentLength", String.join(", ", cl)).build()));
        }

        // the answer went back through the gateway: its fingerprint, or a Via chain naming a hop twice
        Optional<String> ownMark = LoopSigns.gatewayFingerprint(obs, ctx.profile());
        Optional<String> repeated = LoopSigns.repeatedVia(obs);
        if (ownMark.isPresent() || repeated.isPresent()) {
            ctx.observe(Observation.of(Cause.REQUEST_LOOP_DETECTED, backend, ownMark.map(m -> "The backend's direct answer carries "
                    + ctx.profile().name() + "'s own fingerprint (" + m + "): the backend sends the request back "
                    + "through the gateway").orElseGet(() -> "The answer's Via chain passes " + repeated.get()
                    + " twice: the request loops"), Evidence.builder().put("request", "GET " + target.path())
                    .put("host", target.host()).put("status", obs.status())
                    .put("via", obs.headers("Via").isEmpty() ? null : String.join(", ", obs.headers("Via")))
                    .put("repeatedHop", repeated.orElse(null)).put("gatewayFingerprint", ownMark.orElse(null))
                    .put("server", obs.header("Server").orElse(null)).build()));
        }

        int status = obs.status();
        if (status == 502 || status == 503 || status == 504) {
            // gateways pass a backend's own gateway error on unmodified (AGERR; Cloudflare brands it): its status
            // a next tier shows itself (Via, a proxy's fingerprint); without one the application answers for itself
            boolean nextTier = obs.header("Via").isPresent()
                    || dev.gatewaycheck.core.frontend.Fingerprint.identify(obs).isPresent();
            ctx.observe(Observation.of(Cause.BACKEND_RETURNED_GATEWAY_ERROR, backend, "The backend itself answered "
                    + status + " " + obs.reason() + optional(" from ", obs.header("Server"))
                    + "; the gateway passes it on"
                    + (nextTier ? "" : "; no Via header or proxy fingerprint names a tier behind it"), base
                    .put("server", obs.header("Server").orElse(null)).put("via", obs.header("Via").orElse(null))
                    .put("xCache", obs.header("X-Cache").orElse(null)).put("bodyStart", Text.snippet(obs.body()))
                    .build()).answered(status).remedy(nextTier ? null : NO_NEXT_TIER_REMEDY));
        } else if (status == 404 || isWelcomePage(obs)) {
            Optional<String> page = welcomePage(obs);
            String seen = page.map(p -> "The backend answers " + status + " with a default page ('" + p + "') for "
                    + target.path()).orElse("The backend answers 404 Not Found for " + target.path() + " with Host "
                    + target.host());
            Evidence ev = base.put("server", obs.header("Server").orElse(null))
                    .put("defaultPage", page.orElse(null)).put("bodyStart", Text.snippet(obs.body())).build();
            // no health probe takes the instance out: the gateway passes this answer on
            ctx.observe(Observation.of(Cause.BACKEND_APP_NOT_DEPLOYED, backend, seen, ev)
                    .withIf(ctx.plan().effectiveProbe() == null, Qualifier.NO_HEALTH_PROBE));
        }
    }

    private static void judgeFailure(RunContext ctx, Target target, HttpObservation obs, Duration requestTimeout) {
        if (obs.cutShort()) {
            // the run's deadline or an interrupt closed the sockets: nothing about the backend (inconclusive)
            return;
        }
        Throwable f = obs.failure();
        Optional<Cause> cause = TransportRules.cause(FailureClassifier.classify(f, target.tls()));
        if (cause.isEmpty()) {
            throw unclassified(target, f);
        }
        Evidence.Builder ev = Evidence.builder().put("request", "GET " + target.path()).put("host", target.host())
                .put("exception", f.getClass().getName()).put("exceptionMessage", String.valueOf(f.getMessage()))
                .put("elapsedSeconds", obs.total());
        Cause c = cause.get();
        String backend = target.label();
        // the head arrived whole and the body broke: a gateway that streams the head has already passed it on
        boolean afterHead = obs.hasResponse();
        if (!target.tls() && (c == Cause.MALFORMED_STATUS_LINE || c == Cause.BACKEND_CLOSED_WITHOUT_RESPONSE
                || c == Cause.BACKEND_RESET_CONNECTION) && TlsProbe.speaksTls(ctx, target)) {
            ctx.observe(Observation.of(Cause.PROTOCOL_PORT_MISMATCH, backend, "The gateway sends plain HTTP, but port "
                    + target.address().getPort() + " speaks TLS (a TLS handshake on it succeeds)",
                    ev.put("gatewayProtocol", "http").put("portSpeaks", "https").build()));
            return;
        }
        switch (c) {
            case RESPONSE_TIMEOUT: {
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
                ctx.observe(afterHead ? stalled.afterHead(obs.status()) : stalled);
                break;
            }
            case TLS_HANDSHAKE_TIMEOUT: {
                Duration handshakeTimeout = ctx.profile().tlsHandshakeTimeout();
                if (obs.total().compareTo(handshakeTimeout) < 0) {
                    // the run's deadline (which caps every wait) ended the handshake before the gateway's timeout
                    // would: inconclusive
                    return;
                }
                ctx.observe(Observation.of(c, backend, "The TCP connection was accepted but the TLS handshake did not complete within "
                        + Text.seconds(obs.total()) + "; the gateway waits " + handshakeTimeout.toMillis() + " ms", ev
                        .put("gatewayTlsHandshakeTimeoutSeconds", handshakeTimeout).build()));
                break;
            }
            case MALFORMED_STATUS_LINE:
            case INVALID_RESPONSE_HEADER:
            case CONFLICTING_FRAMING_HEADERS: {
                RawPeek.Result peek = RawPeek.get(ctx, target, peekWait(requestTimeout));
                ev.put("firstLine", peek.firstLineEscaped()).put("bytesReceived", peek.bytes().length());
                if (c == Cause.MALFORMED_STATUS_LINE && peek.end() == RawPeek.End.FIN
                        && isStatusLinePrefix(peek.bytes())) {
                    // "HTTP/1.1 2" and FIN: not a malformed status line but one the backend's FIN cut short
                    ctx.observe(Observation.of(Cause.BACKEND_CLOSED_MID_RESPONSE, backend, "The backend closed the "
                            + "connection (FIN) inside the status line, after " + RawPeek.escape(peek.bytes()),
                            ev.put("end", "FIN").build()));
                    break;
                }
                String bad = c == Cause.MALFORMED_STATUS_LINE ? "" : offendingHeader(peek.bytes(), c);
                ev.put("offendingHeader", bad.isEmpty() ? null : RawPeek.escape(bad));
                ctx.observe(Observation.of(c, backend, describe(c) + (bad.isEmpty() ? ": " + peek.firstLineEscaped()
                        : ": " + RawPeek.escape(bad)), ev.build()));
                break;
            }
            case BACKEND_CLOSED_WITHOUT_RESPONSE:
            case BACKEND_RESET_CONNECTION: {
                RawPeek.Result peek = RawPeek.get(ctx, target, peekWait(requestTimeout));
                ev.put("end", c == Cause.BACKEND_RESET_CONNECTION ? "RST" : "FIN")
                        .put("secondLookEnd", peek.end()).put("secondLookBytes", peek.bytes().length());
                if (afterHead) {
                    ctx.observe(Observation.of(c, backend, "The backend "
                            + (c == Cause.BACKEND_RESET_CONNECTION ? "reset the connection (RST)" : "closed the "
                            + "connection (FIN)") + " after the response head " + obs.status()
                            + ", before the body was complete", ev.build()).afterHead(obs.status()));
                    break;
                }
                ctx.observe(Observation.of(c, backend, c == Cause.BACKEND_RESET_CONNECTION
                        ? "The backend reset the connection (RST) before answering"
                        : "The backend closed the connection (FIN) without sending a byte", ev.build()));
                break;
            }
            default:
                String described = describe(c) + " (" + f.getClass().getSimpleName() + ": " + f.getMessage() + ")";
                if (afterHead && c != Cause.BACKEND_CLOSED_MID_RESPONSE && c != Cause.INVALID_CHUNKED_ENCODING) {
                    ctx.observe(Observation.of(c, backend, described, ev.build()).afterHead(obs.status()));
                    break;
                }
                if (afterHead) {
                    // httpcore5 takes a head that a FIN cuts short for a whole one: look at the raw bytes
                    RawPeek.Result peek = RawPeek.get(ctx, target, peekWait(requestTimeout));
                    if ((peek.end() == RawPeek.End.FIN || peek.end() == RawPeek.End.RST)
                            && !peek.bytes().isEmpty() && !peek.bytes().contains("\r\n\r\n")
                            && !peek.bytes().contains("\n\n")) {
                        ctx.observe(Observation.of(Cause.BACKEND_CLOSED_MID_RESPONSE, backend, "The backend closed the "
                                + "connection (" + peek.end() + ") inside the response head, before the blank line that "
                                + "ends it", ev.put("end", peek.end().name()).put("bytesReceived", peek.bytes().length())
                                        .put("lastBytes", RawPeek.escape(peek.bytes().substring(
                                                Math.max(0, peek.bytes().length() - 60)))).build()));
                        break;
                    }
                    ctx.observe(Observation.of(c, backend, described, ev.build()).afterHead(obs.status()));
                    break;
                }
                ctx.observe(Observation.of(c, backend, described, ev.build()));
        }
    }

    /** Whether {@code bytes} (no line end) could be the start of a status line such as {@code HTTP/1.1 200 OK}. */
    static boolean isStatusLinePrefix(String bytes) {
        if (bytes.isEmpty() || bytes.indexOf('\n') >= 0) {
            return false;
        }
        String template = "HTTP/9.9 999";
        for (int i = 0; i < Math.min(bytes.length(), template.length()); i++) {
            char t = template.charAt(i);
            char b = bytes.charAt(i);
            if (t == '9' ? b < '0' || b > '9' : b != t) {
                return false;
            }
        }
        return bytes.length() <= template.length() || bytes.charAt(template.length()) == ' ';
    }

    /**
     * What to throw for a failure no cause names, so that the engine records the phase as ERRORED with it instead of
     * a finding blaming the backend: a RuntimeException (a bug or a bad argument inside gateway-check) as itself,
     * anything else wrapped, naming the exchange.
     */
    public static RuntimeException unclassified(Target target, Throwable failure) {
        if (failure instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException("the exchange with " + target.label() + " failed in a way gateway-check "
                + "does not classify (no backend cause is claimed): " + failure, failure);
    }

    /** How long a second look waits: two seconds, or less when the gateway itself waits less. */
    static Duration peekWait(Duration requestTimeout) {
        Duration two = Duration.ofSeconds(2);
        return requestTimeout.compareTo(two) < 0 ? requestTimeout : two;
    }

    private static String describe(Cause c) {
        return c.title();
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
            if (c == Cause.INVALID_RESPONSE_HEADER && (colon <= 0 || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")
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

    static boolean isWelcomePage(HttpObservation obs) {
        return welcomePage(obs).isPresent();
    }

    static Optional<String> welcomePage(HttpObservation obs) {
        String body = obs.bodyLower();
        return WELCOME_PAGES.stream().filter(body::contains).findFirst();
    }

    /** The remedy of a 502/503/504 that names no tier behind the backend: the application says it is unavailable. */
    static final String NO_NEXT_TIER_REMEDY = "Nothing names a tier behind this backend (no Via header, no known "
            + "proxy's fingerprint): the application itself answers unavailable. Wait until it has started (503 while "
            + "starting: a readiness check polls again), or read its logs for why it refuses (overload, maintenance, a "
            + "dependency down).";

    private static String optional(String prefix, Optional<String> value) {
        return value.map(v -> prefix + v).orElse("");
    }


}
