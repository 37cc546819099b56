package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Category;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport.Hop;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.spi.Snippets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a front door's answer ({@link FrontDoorSeen}) shows, and which hop is at fault once its backends were asked
 * directly: who answered ({@link Fingerprint}), what it says about its own error ({@link FrontDoorWords}), the
 * findings about its answer and the verdict. Pure: no network, no clock.
 *
 * <pre>{@code
 * FrontDoorRules.Answer a = FrontDoorRules.answer(seen, null);      // a.product(): "AWS CloudFront"
 * FrontDoorRules.Verdict v = FrontDoorRules.verdict(seen, a, transport, backendReports);   // v.hop(): BACKEND
 * }</pre>
 */
public final class FrontDoorRules {
    /** The longest start of the front door's error page its finding carries. */
    static final int BODY_START_CHARS = 160;

    private FrontDoorRules() {
    }

    /**
     * What the front door's answer says, judged.
     *
     * @param fingerprint who produced the answer, when its fingerprint is known
     * @param profile     the profile the findings are judged against: the one given, else the identified product's
     * @param words       what the front door says about its own error, when its documentation maps the words
     * @param ownCause    a cause the front door names that lives in the front door itself (edge function, limits)
     * @param findings    the findings about the answer (none when it is no gateway error)
     */
    public record Answer(Optional<Fingerprint> fingerprint, GatewayProfile profile, Optional<FrontDoorWords> words,
                         Optional<Cause> ownCause, List<Finding> findings) {
        /** The product that answered, or "" when unknown. */
        public String product() {
            return fingerprint.map(Fingerprint::product).orElse("");
        }
    }

    /**
     * Which hop is at fault.
     *
     * @param hop  the hop
     * @param text one sentence that says which hop fails and why
     */
    public record Verdict(Hop hop, String text) {
    }

    /** Whether {@code status} is a front door's answer for a failed hop behind it: 502-504, Cloudflare's 52x. */
    static boolean isGatewayError(int status) {
        return status == 502 || status == 503 || status == 504 || Fingerprint.cloudflareCode(status);
    }

    /** The observation when the front door itself did not answer and the wire names why; none otherwise. */
    public static List<Observation> of(FrontDoorSeen seen) {
        TransportFailure f = seen.failure();
        if (seen.answer() == null || seen.answered() || seen.answer().cutShort() || f == null) {
            return List.of();
        }
        return TransportRules.cause(f).map(c -> List.of(Observation.of(c, seen.frontDoor(), "The front door itself "
                + "did not answer: " + c.title(), Evidence.builder().put("host", seen.host())
                .put("address", seen.address()).put("exception", f.exception())
                .put("exceptionMessage", String.valueOf(f.message())).build()))).orElse(List.of());
    }

    /** Who answered, the profile that judges, and the findings about an error answer, {@code given} or not. */
    public static Answer answer(FrontDoorSeen seen, GatewayProfile given) {
        HttpObservation obs = seen.answer();
        int status = seen.status();
        boolean errorAnswer = isGatewayError(status);
        Optional<Fingerprint> fp = obs != null && status >= 500 ? Fingerprint.identify(obs) : Optional.empty();
        GatewayProfile judging = given != null ? given : fp.map(Fingerprint::profile).orElse(GatewayProfile.GENERIC);
        String product = fp.map(Fingerprint::product).orElse("");
        // what the front door says about its own error, when its documentation maps the words to causes
        Optional<FrontDoorWords> words = fp.isPresent() && errorAnswer && seen.answered()
                ? FrontDoorWords.read(product, obs) : Optional.empty();
        // a cause the front door names that lives in the front door itself (edge function, its own limits)
        Optional<Cause> ownCause = words.filter(FrontDoorWords::decisive).map(w -> w.causes().get(0))
                .filter(c -> c.category() == Category.FRONTEND);
        List<Finding> findings = new ArrayList<>();
        if (seen.answered() && errorAnswer) {
            String label = seen.frontDoor();
            Evidence ev = Evidence.builder().put("status", status).put("product", product.isEmpty() ? null : product)
                    .put("fingerprint", fp.map(Fingerprint::fingerprint).orElse(null)).put("host", seen.host())
                    .put("server", obs.header("Server").orElse(null)).put("via", obs.header("Via").orElse(null))
                    .put("xCache", obs.header("X-Cache").orElse(null)).put("cfRay", obs.header("CF-RAY").orElse(null))
                    .put("frontDoorSays", words.map(FrontDoorWords::said).orElse(null))
                    .put("meaning", words.map(FrontDoorWords::meaning).orElse(null))
                    .put("namedCauses", words.map(FrontDoorWords::causeIds).orElse(null))
                    .put("source", words.map(FrontDoorWords::source).orElse(null))
                    .put("bodyStart", Snippets.snippet(obs.body(), BODY_START_CHARS)).build();
            if (fp.isPresent()) {
                String why = words.map(w -> ": it says '" + w.said() + "': " + w.meaning()
                        + (ownCause.isPresent() ? "" : "; the hop behind it failed")
                        + (w.decisive() ? "" : " (documented causes: " + w.causeIds() + ")"))
                        .orElse(": the hop behind it failed");
                findings.add(Judge.finding(Observation.of(Cause.FRONTEND_GATEWAY_ERROR, label, product
                        + " produced the " + status + " " + obs.reason() + " itself (" + fp.get().fingerprint() + ")"
                        + why, ev).answered(status), judging));
                if (ownCause.isPresent()) {
                    findings.add(Judge.finding(Observation.of(ownCause.get(), label, product + " names the cause of "
                            + "its " + status + " itself: '" + words.get().said() + "': " + words.get().meaning(), ev)
                            .answered(status), judging));
                }
            } else {
                findings.add(Judge.finding(Observation.of(Cause.BACKEND_RETURNED_GATEWAY_ERROR, label, "The front "
                        + "door passed on a " + status + " " + obs.reason() + " that carries no known front-door "
                        + "fingerprint: a tier behind it probably produced it", ev).answered(status), judging));
            }
        }
        return new Answer(fp, judging, words, ownCause, List.copyOf(findings));
    }

    /**
     * Which hop is at fault, from the front door's answer, the {@code transport} findings about its own failure to
     * answer, and the {@code backends}' direct reports (empty when none were given or the deadline left no time).
     */
    public static Verdict verdict(FrontDoorSeen seen, Answer a, List<Finding> transport, List<Report> backends) {
        HttpObservation obs = seen.answer();
        int status = seen.status();
        String label = seen.frontDoor();
        String host = seen.host();
        Optional<FrontDoorWords> words = a.words();
        Optional<Cause> ownCause = a.ownCause();
        String who = a.product().isEmpty() ? "the front door" : a.product();
        // failing: a backend with an ERROR finding; unchecked: cut short by the deadline before anything was found
        List<Report> failing = backends.stream().filter(Judge::hasError).toList();
        long unchecked = backends.stream().filter(r -> !r.complete() && !failing.contains(r)).count();
        if (!seen.answered()) {
            String unclassified = obs == null ? null : obs.cutShort() ? "no answer within the deadline"
                    : seen.failure() != null && TransportRules.cause(seen.failure()).isEmpty()
                            ? seen.failure().thrown() : null;
            return new Verdict(Hop.FRONT_DOOR, "The front door " + label + " did not answer at all"
                    + (!transport.isEmpty() ? " (" + transport.get(0).cause().id() + ")"
                            : unclassified != null ? " (" + unclassified + ")" : "")
                    + ": fix its address, listener or the network path to it first");
        }
        if (!isGatewayError(status)) {
            return new Verdict(Hop.NONE, "The front door answered " + status + " " + obs.reason() + ": no gateway "
                    + "error to explain" + (failing.isEmpty() ? "" : ", though " + failing.size()
                            + " backend(s) fail directly"));
        }
        if (ownCause.isPresent()) {
            return new Verdict(Hop.FRONT_DOOR, who + " answered " + status + " and names the cause itself, "
                    + ownCause.get().id() + ": '" + words.get().said() + "' (" + words.get().meaning() + "); look at "
                    + who + " itself" + (failing.isEmpty() ? "" : ", though " + failing.size()
                            + " backend(s) also fail directly"));
        }
        if (backends.isEmpty()) {
            return new Verdict(Hop.UNDETERMINED, who + " answered " + status + words.map(w -> ", saying '"
                    + w.said() + "' (" + (w.decisive() ? w.causeIds() : "one of " + w.causeIds()) + ")").orElse("")
                    + "; give the backends behind it (withBackends) to tell which hop fails");
        }
        if (!failing.isEmpty()) {
            Report r = failing.get(0);
            Cause seenDirectly = r.findings().get(0).cause();
            return new Verdict(Hop.BACKEND, who + " answered " + status + " because the hop behind it fails: "
                    + r.backend() + " answers " + seenDirectly.id() + " when asked directly with Host " + host
                    + (failing.size() > 1 ? " (" + failing.size() + " of " + backends.size() + " backends fail)" : "")
                    + words.map(w -> w.causes().contains(seenDirectly) ? ", which is what " + who + " says ('"
                            + w.said() + "')" : "").orElse(""));
        }
        Optional<Report> certificate = backends.stream().filter(FrontDoorRules::hasCertificateProblem).findFirst();
        if (certificate.isPresent()) {
            Report r = certificate.get();
            Finding cert = r.findings().stream().filter(f -> Judge.isCertificateCause(f.cause()))
                    .findFirst().orElseThrow();
            return new Verdict(Hop.UNDETERMINED, who + " answered " + status + "; the backends answer directly with "
                    + "Host " + host + ", but " + r.backend() + " presents a certificate problem ("
                    + cert.cause().id() + "): if " + who + " validates backend certificates (nginx "
                    + "proxy_ssl_verify on, CloudFront, Azure, Cloudflare Full strict) that is the 502; if it does "
                    + "not, check the front door's own configuration");
        }
        if (unchecked > 0) {
            return new Verdict(Hop.UNDETERMINED, who + " answered " + status + "; " + unchecked + " of "
                    + backends.size() + " backend check(s) were cut short by the deadline before they found "
                    + "anything: run again with a longer timeout");
        }
        return new Verdict(Hop.FRONT_DOOR, "Every backend answers directly with Host " + host + ", yet " + who
                + " answers " + status + ": check the front door's own configuration (origin address and port, "
                + "protocol, TLS policy) and its network path to the backends (firewalls that let this machine in "
                + "but not the front door)");
    }

    private static boolean hasCertificateProblem(Report r) {
        return r.findings().stream().anyMatch(f -> Judge.isCertificateCause(f.cause())
                && f.cause() != Cause.TLS_CERT_EXPIRING_SOON && f.cause() != Cause.TLS_WEAK_CERTIFICATE);
    }
}
