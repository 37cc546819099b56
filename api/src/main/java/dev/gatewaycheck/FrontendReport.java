package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link FrontendCheck#run()}: what the front door answered, which product produced it (from its
 * fingerprint), each backend's direct report with the front door's Host, and the hop at fault.
 *
 * <pre>{@code
 * FrontendReport r = GatewayCheck.forFrontend("https://www.contoso.com/").withBackends(alb).run();
 * System.out.println(r);            // status, product, verdict, then one line per backend
 * if (r.faultyHop() == FrontendReport.Hop.BACKEND) r.backends().forEach(System.out::println);
 * }</pre>
 *
 * <p>JSON shape ({@code schema} 2, see {@link Report}): {@code {"schema":2, "kind":"frontend", "version", "profile",
 * "startedAt", "url", "elapsedSeconds", "status",
 * "product", "faultyHop", "verdict", "complete", "findings":[...], "backends":[{...Report JSON...}]}}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param url       the front door URL requested
 * @param profile   the name of the profile the findings were judged against
 * @param startedAt when the check started
 * @param elapsed   how long it took
 * @param status    the status the front door answered, or 0 when it did not answer
 * @param product   the product that produced the answer (e.g. {@code AWS CloudFront}), or "" when unknown
 * @param faultyHop the hop at fault
 * @param verdict   one sentence that says which hop fails and why
 * @param findings  findings about the front door, most severe first
 * @param backends  the direct report of every backend, in the order given
 * @param complete  false when the deadline cut the check short
 * @since 0.1
 */
public record FrontendReport(String url, String profile, Instant startedAt, Duration elapsed, int status,
                             String product, Hop faultyHop, String verdict, List<Finding> findings,
                             List<Report> backends, boolean complete) {

    /** Which hop fails. */
    public enum Hop {
        /** The front door answered without a gateway error. */
        NONE,
        /** The front door fails (or cannot reach backends that answer fine directly): its config or network path. */
        FRONT_DOOR,
        /** A backend fails the same request directly: fix the backend (its findings say how). */
        BACKEND,
        /** The front door answered an error but no backend was given to compare with. */
        UNDETERMINED
    }

    /** Validates, copies and sorts the findings most severe first. */
    public FrontendReport {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(faultyHop, "faultyHop");
        Objects.requireNonNull(verdict, "verdict");
        findings = Findings.sorted(findings);
        backends = List.copyOf(backends);
    }

    /**
     * True when the front door answered, the check completed, and neither the front door nor a backend has an ERROR
     * finding. A front door that never answered (status 0), or a check its deadline cut short, is not healthy
     * whatever was found: nothing showed that clients get an answer. The command line's exit status follows this.
     */
    public boolean isHealthy() {
        return complete && status != 0 && findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)
                && backends.stream().allMatch(Report::isHealthy);
    }

    /** Whether a front-door finding has this cause. */
    public boolean has(Cause cause) {
        return !Findings.withCause(findings, cause).isEmpty();
    }

    /** The first front-door finding with this cause. */
    public Optional<Finding> finding(Cause cause) {
        return Findings.withCause(findings, cause).stream().findFirst();
    }

    /** The report as the documented JSON document (see the class comment). */
    public String toJson() {
        Map<String, Object> m = Json.header("frontend", profile, startedAt);
        m.put("url", url);
        m.put("elapsedSeconds", elapsed);
        m.put("status", status == 0 ? null : status);
        m.put("product", product.isEmpty() ? null : product);
        m.put("faultyHop", faultyHop.name());
        m.put("verdict", verdict);
        m.put("complete", complete);
        m.put("findings", Json.findings(findings));
        List<Object> b = new ArrayList<>();
        for (Report r : backends) {
            b.add(r.toJsonMap());
        }
        m.put("backends", b);
        return Json.write(m);
    }

    /** The front door's answer and verdict, its findings, then one block per backend. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(512);
        b.append("Front door ").append(Snippets.printable(url)).append(": ")
                .append(status == 0 ? "no answer" : "answered " + status)
                .append(product.isEmpty() ? "" : " produced by " + Snippets.printable(product))
                .append(", faulty hop ")
                .append(faultyHop).append(" (judged against ").append(profile).append(", ")
                .append(Timings.ms(elapsed)).append(complete ? "" : ", INCOMPLETE").append(")\n");
        b.append("  verdict: ").append(Snippets.printable(verdict)).append('\n');
        int i = 1;
        for (Finding f : findings) {
            b.append(Report.findingLine(i++, f));
            if (f.gatewayStatus() != 0) {
                b.append(" -> gateway answers ").append(f.gatewayStatus());
            }
            b.append('\n').append("       ").append(Snippets.printable(f.message())).append('\n');
            if (!f.evidence().entries().isEmpty()) {
                b.append("       evidence: ").append(f.evidence().entries()).append('\n');
            }
        }
        for (Report r : backends) {
            b.append("  backend ").append(r.toString().replace("\n", "\n    ")).append('\n');
        }
        return b.toString().stripTrailing();
    }
}
