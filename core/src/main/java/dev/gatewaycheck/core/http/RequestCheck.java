package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.ExchangeRules;
import dev.gatewaycheck.core.judge.ExchangeSeen;
import dev.gatewaycheck.core.judge.H2Rules;
import dev.gatewaycheck.core.judge.SeriesSeen;
import dev.gatewaycheck.core.judge.TransportFailure.Kind;
import dev.gatewaycheck.core.judge.UploadRules;
import dev.gatewaycheck.core.judge.UploadSeen;
import java.time.Duration;
import java.util.List;

/**
 * The request the gateway forwards ({@code GET path} with the configured Host), observed: the exchange, a series of
 * new connections after it, and the second looks {@link ExchangeRules} asks for (a TLS handshake on a plain port,
 * the raw bytes of the same GET), which then judges them.
 */
public final class RequestCheck {

    /** The remedy of a 502/503/504 that names no tier behind the backend ({@link ExchangeRules}'s). */
    static final String NO_NEXT_TIER_REMEDY = ExchangeRules.NO_NEXT_TIER_REMEDY;
    /** The wait beyond the gateway's request timeout: a tenth of it, so "slower than the gateway" is measured. */
    private static final int WAIT_MARGIN_DIVISOR = 10;
    /** And this much more, for a short timeout's scheduling noise. */
    private static final Duration WAIT_MARGIN_EXTRA = Duration.ofMillis(200);
    /** The longest a second look waits (less when the gateway itself waits less). */
    private static final Duration PEEK_WAIT = Duration.ofSeconds(2);
    /** The shape of a status line's start: '9' stands for any digit. */
    private static final String STATUS_LINE_SHAPE = "HTTP/9.9 999";

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

    /**
     * How long a read waits for what the gateway waits {@code gateway} for (the forwarded request's response, a body
     * read): a tenth more and {@link #WAIT_MARGIN_EXTRA}, so that "slower than the gateway" is measured,
     * not guessed.
     */
    static Duration beyond(Duration gateway) {
        return gateway.plus(gateway.dividedBy(WAIT_MARGIN_DIVISOR)).plus(WAIT_MARGIN_EXTRA);
    }

    /** Runs the forwarded request against {@code target} and reports what is wrong. */
    public static HttpObservation run(RunContext ctx, Target target) {
        Duration requestTimeout = ctx.profile().requestTimeout();
        // wait a little longer than the gateway so that "slower than the gateway" is measured, not guessed
        Duration wait = beyond(requestTimeout);
        if (ctx.plan().requestBody() != null) {
            // the upload first: a backend that does not read it would only make the GET time out the same way
            UploadSeen upload = new UploadSeen(target, BodyExchange.send(ctx, target, ctx.plan().requestBody(),
                    requestTimeout), ctx.cutShort());
            ctx.observe(UploadRules.of(upload));
            if (upload.stoppedReading()) {
                return new HttpObservation(0, "", "", List.of(), "", false, null, upload.exchange().elapsed(), null,
                        null, false);
            }
        }
        TrafficSeries.Sent traffic;
        try {
            traffic = TrafficSeries.send(ctx, target, wait, requestTimeout);
        } finally {
            ctx.dropGatewayConnection();   // the gateway's handshaken connection, if the series did not take it
        }
        ExchangeSeen first = traffic.first();
        HttpObservation obs = first.exchange();
        if (obs.firstByte() != null) {
            ctx.firstByteTime(obs.firstByte());
        }
        SeriesSeen series = traffic.series();
        // some requests fail, some pass: the gateway fails that share of its traffic (the cause, with the share)
        ctx.observe(ExchangeRules.share(series, ctx.profile()));
        ctx.observe(ExchangeRules.of(look(ctx, ExchangeRules.judged(first, series, ctx.profile())), ctx.profile()));
        BodyCheck.afterRequest(ctx, target, obs);
        if (target.tls() && ctx.profile().backendHttp2() != dev.gatewaycheck.GatewayProfile.BackendHttp2.NONE
                && !ctx.cutShort()) {
            // the gateway speaks HTTP/2 to backends: the same GET over h2, as it would send it
            ctx.observe(H2Rules.of(H2Probe.get(ctx, target, requestTimeout), ctx.profile()));
        }
        return obs;
    }

    /** The exchange with the second looks its verdict needs; throws for a failure nothing on the wire explains. */
    private static ExchangeSeen look(RunContext ctx, ExchangeSeen x) {
        Target target = x.target();
        if (x.failure() != null && !x.exchange().cutShort() && x.failure().kind() == Kind.UNRECOGNIZED) {
            throw unclassified(target, x.exchange().failure());
        }
        Boolean speaksTls = ExchangeRules.needsTlsProbe(x) ? TlsProbe.speaksTls(ctx, target) : null;
        RawPeek.Result peek = ExchangeRules.needsPeek(x, speaksTls)
                ? RawPeek.get(ctx, target, peekWait(ctx.profile().requestTimeout())) : null;
        String page = x.exchange().hasResponse() ? PlainToTls.detect(ctx, target, x.exchange()).orElse(null) : null;
        return x.withLooks(speaksTls, peek, page, ctx.plan().effectiveProbe() != null);
    }

    /** Whether {@code bytes} (no line end) could be the start of a status line such as {@code HTTP/1.1 200 OK}. */
    static boolean isStatusLinePrefix(String bytes) {
        if (bytes.isEmpty() || bytes.indexOf('\n') >= 0) {
            return false;
        }
        for (int i = 0; i < Math.min(bytes.length(), STATUS_LINE_SHAPE.length()); i++) {
            char t = STATUS_LINE_SHAPE.charAt(i);
            char b = bytes.charAt(i);
            if (t == '9' ? b < '0' || b > '9' : b != t) {
                return false;
            }
        }
        return bytes.length() <= STATUS_LINE_SHAPE.length() || bytes.charAt(STATUS_LINE_SHAPE.length()) == ' ';
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

    /** How long a second look waits: {@link #PEEK_WAIT}, or less when the gateway itself waits less. */
    static Duration peekWait(Duration requestTimeout) {
        return requestTimeout.compareTo(PEEK_WAIT) < 0 ? requestTimeout : PEEK_WAIT;
    }
}
