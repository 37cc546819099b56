package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The error pages a TLS server answers plain HTTP with, instead of a TLS alert: nginx's 400 "The plain HTTP
 * request was sent to HTTPS port", Apache's 400 "You're speaking plain HTTP to an SSL-enabled server port", and
 * their kin.
 */
public final class PlainToTls {
    /** Lower-case fragments of those pages. */
    static final List<String> PAGES = List.of(
            "the plain http request was sent to https port",
            "speaking plain http to an ssl-enabled server port",
            "client sent an http request to an https server",
            "this combination of host and port requires tls");

    /** The status nginx and Apache answer plain HTTP on a TLS port with. */
    private static final int BAD_REQUEST = 400;
    /** The last client-error status: such pages come as 4xx. */
    private static final int LAST_CLIENT_ERROR = 499;

    private PlainToTls() {
    }

    /**
     * Whether a plain-HTTP {@code target}'s 4xx answer came from a TLS port: its page says so, or (a 400 whose body
     * was not read, as a health probe reads none) a TLS handshake on the port succeeds. Returns what the page says,
     * or {@code 400 <reason>}.
     */
    public static Optional<String> detect(RunContext ctx, Target target, HttpObservation obs) {
        Optional<String> page = pageSays(target, obs);
        boolean unread = !target.tls() && obs.status() == BAD_REQUEST && obs.body().isEmpty();
        if ((page.isPresent() || unread) && TlsProbe.speaksTls(ctx, target)) {
            return Optional.of(page.orElse(obs.status() + " " + obs.reason()));
        }
        return Optional.empty();
    }

    /** The fragment the page of a plain-HTTP {@code target}'s 4xx answer says, if it is such a page. */
    static Optional<String> pageSays(Target target, HttpObservation obs) {
        if (target.tls() || obs.status() < BAD_REQUEST || obs.status() > LAST_CLIENT_ERROR) {
            return Optional.empty();
        }
        String body = obs.bodyLower();
        String reason = obs.reason().toLowerCase(Locale.ROOT);
        return PAGES.stream().filter(p -> body.contains(p) || reason.contains(p)).findFirst();
    }
}
