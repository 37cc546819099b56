package dev.gatewaycheck.core.frontend;

import dev.gatewaycheck.spi.Snippets;
import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.FrontendReport.Hop;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.Deadline;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.Judge;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.dns.DnsCheck;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.pool.PoolRunner;
import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.FrontendPlan;
import dev.gatewaycheck.spi.PoolPlan;
import dev.gatewaycheck.core.Text;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Seed 003's procedure as code: read who produced the error answer, then bypass the front door and ask each
 * backend directly with the same Host and SNI (the hosts-file trick), and say which hop is at fault.
 *
 * <pre>{@code
 * FrontendReport r = FrontDoor.run(new DefaultCheckEngine(),
 *         GatewayCheck.forFrontend("https://www.contoso.com/").withBackends("https://10.0.0.4").plan());
 * }</pre>
 */
public final class FrontDoor {

    private FrontDoor() {
    }

    /** Runs the front-door plan; backends are checked through {@code engine}. */
    public static FrontendReport run(CheckEngine engine, FrontendPlan plan) {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        Deadline deadline = Deadline.in(plan.timeout());
        GatewayProfile given = plan.profile();
        CheckPlan front = GatewayCheck.forBackend(plan.url()).resolvingWith(plan.resolver()).timeout(plan.timeout())
                .against(given == null ? GatewayProfile.GENERIC : given).checks(Check.PROBE).plan();
        String label = plan.url().toString();

        // 1. the front door's answer, observed (judged below once we know who answered)
        HttpObservation obs = null;
        String unclassified = null;
        List<Finding> transport = new ArrayList<>();
        RunContext ctx = RunContext.standalone(front);
        try {
            List<InetAddress> addresses = DnsCheck.resolve(ctx, front.backendHost());
            if (!addresses.isEmpty()) {
                Target t = new Target(new InetSocketAddress(addresses.get(0), front.port()), front.isTls(),
                        front.host(), front.path());
                obs = HttpExchange.get(ctx, t, deadline.cap(plan.timeout()));
                Optional<Cause> classified = obs.failure() == null ? Optional.empty()
                        : TransportRules.cause(FailureClassifier.classify(obs.failure(), front.isTls()));
                if (!obs.hasResponse() && obs.cutShort()) {
                    // the deadline ended the wait: the front door did not answer in time, no cause is claimed
                    unclassified = "no answer within the deadline";
                } else if (!obs.hasResponse() && obs.failure() != null && classified.isEmpty()) {
                    // nothing names a cause: say what failed, claim none
                    unclassified = obs.failure().toString();
                } else if (!obs.hasResponse() && obs.failure() != null) {
                    Cause c = classified.get();
                    ctx.observe(Observation.of(c, label, "The front door itself did not answer: " + c.title(), Evidence.builder()
                            .put("host", front.host()).put("address", addresses.get(0).getHostAddress())
                            .put("exception", obs.failure().getClass().getName())
                            .put("exceptionMessage", String.valueOf(obs.failure().getMessage())).build()));
                }
            }
            transport.addAll(ctx.findings());
        } finally {
            ctx.close();
        }

        int status = obs == null ? 0 : obs.status();
        boolean errorAnswer = status == 502 || status == 503 || status == 504 || status >= 520 && status <= 530;
        Optional<Fingerprint> fp = obs != null && status >= 500 ? Fingerprint.identify(obs) : Optional.empty();
        GatewayProfile judging = given != null ? given : fp.map(Fingerprint::profile).orElse(GatewayProfile.GENERIC);
        String product = fp.map(Fingerprint::product).orElse("");

        List<Finding> findings = new ArrayList<>(transport);
        // what the front door says about its own error, when its documentation maps the words to causes
        Optional<FrontDoorWords> words = fp.isPresent() && errorAnswer && obs.hasResponse()
                ? FrontDoorWords.read(product, obs) : Optional.empty();
        // a cause the front door names that lives in the front door itself (edge function, its own limits)
        Optional<Cause> ownCause = words.filter(FrontDoorWords::decisive).map(w -> w.causes().get(0))
                .filter(c -> c.category() == dev.gatewaycheck.Category.FRONTEND);
        if (obs != null && obs.hasResponse() && errorAnswer) {
            Evidence ev = Evidence.builder().put("status", status).put("product", product.isEmpty() ? null : product)
                    .put("fingerprint", fp.map(Fingerprint::fingerprint).orElse(null)).put("host", front.host())
                    .put("server", obs.header("Server").orElse(null)).put("via", obs.header("Via").orElse(null))
                    .put("xCache", obs.header("X-Cache").orElse(null)).put("cfRay", obs.header("CF-RAY").orElse(null))
                    .put("frontDoorSays", words.map(FrontDoorWords::said).orElse(null))
                    .put("meaning", words.map(FrontDoorWords::meaning).orElse(null))
                    .put("namedCauses", words.map(FrontDoorWords::causeIds).orElse(null))
                    .put("source", words.map(FrontDoorWords::source).orElse(null))
                    .put("bodyStart", Snippets.snippet(obs.body(), 160)).build();
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

        // 2. the hosts-file trick: every backend directly, with the front door's Host and SNI
        List<Report> backends = new ArrayList<>();
        if (!plan.backends().isEmpty() && !deadline.expired()) {
            List<CheckPlan> plans = new ArrayList<>();
            for (CheckPlan b : plan.backends()) {
                plans.add(b.withProfile(judging));
            }
            PoolReport pool = PoolRunner.run(engine, new PoolPlan(plans, judging,
                    deadline.remaining().isNegative() ? Duration.ofMillis(1) : deadline.remaining(), 8));
            pool.members().forEach(m -> backends.add(m.report()));
        }

        // 3. the verdict
        Hop hop;
        String verdict;
        String who = product.isEmpty() ? "the front door" : product;
        // failing: a backend with an ERROR finding; unchecked: cut short by the deadline before anything was found
        List<Report> failing = backends.stream().filter(Judge::hasError).toList();
        long unchecked = backends.stream().filter(r -> !r.complete() && !failing.contains(r)).count();
        if (obs == null || !obs.hasResponse()) {
            hop = Hop.FRONT_DOOR;
            verdict = "The front door " + label + " did not answer at all"
                    + (!transport.isEmpty() ? " (" + transport.get(0).cause().id() + ")"
                            : unclassified != null ? " (" + unclassified + ")" : "")
                    + ": fix its address, listener or the network path to it first";
        } else if (!errorAnswer) {
            hop = Hop.NONE;
            verdict = "The front door answered " + status + " " + obs.reason() + ": no gateway error to explain"
                    + (failing.isEmpty() ? "" : ", though " + failing.size() + " backend(s) fail directly");
        } else if (ownCause.isPresent()) {
            hop = Hop.FRONT_DOOR;
            verdict = who + " answered " + status + " and names the cause itself, " + ownCause.get().id() + ": '"
                    + words.get().said() + "' (" + words.get().meaning() + "); look at " + who + " itself"
                    + (failing.isEmpty() ? "" : ", though " + failing.size() + " backend(s) also fail directly");
        } else if (backends.isEmpty()) {
            hop = Hop.UNDETERMINED;
            verdict = who + " answered " + status + words.map(w -> ", saying '" + w.said() + "' ("
                    + (w.decisive() ? w.causeIds() : "one of " + w.causeIds()) + ")").orElse("")
                    + "; give the backends behind it (withBackends) to tell which hop fails";
        } else if (!failing.isEmpty()) {
            hop = Hop.BACKEND;
            Report r = failing.get(0);
            Cause seen = r.findings().get(0).cause();
            verdict = who + " answered " + status + " because the hop behind it fails: " + r.backend() + " answers "
                    + seen.id() + " when asked directly with Host " + front.host()
                    + (failing.size() > 1 ? " (" + failing.size() + " of " + backends.size() + " backends fail)" : "")
                    + words.map(w -> w.causes().contains(seen) ? ", which is what " + who + " says ('" + w.said()
                            + "')" : "").orElse("");
        } else if (backends.stream().anyMatch(FrontDoor::hasCertificateProblem)) {
            Report r = backends.stream().filter(FrontDoor::hasCertificateProblem).findFirst().orElseThrow();
            Finding cert = r.findings().stream().filter(f -> Judge.isCertificateCause(f.cause()))
                    .findFirst().orElseThrow();
            hop = Hop.UNDETERMINED;
            verdict = who + " answered " + status + "; the backends answer directly with Host " + front.host()
                    + ", but " + r.backend() + " presents a certificate problem (" + cert.cause().id() + "): if "
                    + who + " validates backend certificates (nginx proxy_ssl_verify on, CloudFront, Azure, Cloudflare "
                    + "Full strict) that is the 502; if it does not, check the front door's own configuration";
        } else if (unchecked > 0) {
            hop = Hop.UNDETERMINED;
            verdict = who + " answered " + status + "; " + unchecked + " of " + backends.size() + " backend check(s) "
                    + "were cut short by the deadline before they found anything: run again with a longer timeout";
        } else {
            hop = Hop.FRONT_DOOR;
            verdict = "Every backend answers directly with Host " + front.host() + ", yet " + who + " answers "
                    + status + ": check the front door's own configuration (origin address and port, protocol, "
                    + "TLS policy) and its network path to the backends (firewalls that let this machine in but "
                    + "not the front door)";
        }
        return new FrontendReport(label, judging.name(), startedAt, Duration.ofNanos(System.nanoTime() - t0), status,
                product, hop, verdict, findings, backends, !deadline.expired());
    }

    private static boolean hasCertificateProblem(Report r) {
        return r.findings().stream().anyMatch(f -> Judge.isCertificateCause(f.cause())
                && f.cause() != Cause.TLS_CERT_EXPIRING_SOON && f.cause() != Cause.TLS_WEAK_CERTIFICATE);
    }

}
