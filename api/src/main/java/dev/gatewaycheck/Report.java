package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The result of {@link GatewayCheck#run()}: what was checked, how long each phase took, and the findings, most
 * severe first.
 *
 * <pre>{@code
 * Report r = GatewayCheck.forBackend("https://127.0.0.1:8443").withHost("www.example.com").run();
 * if (!r.isHealthy()) System.out.println(r);       // a readable table
 * r.has(Cause.TLS_CERT_EXPIRED);                      // query by cause
 * String json = r.toJson();                           // the documented JSON document
 * }</pre>
 *
 * <p>JSON shape: {@code schema} 2, published as the JSON Schema (draft 2020-12) {@code dev/gatewaycheck/report.schema.json}
 * in the api jar: {@code {"schema":2, "kind":"backend", "version", "profile", "startedAt", "elapsedSeconds",
 * "complete", "findings":[{"cause","severity","category","proxyStatus","gatewayStatus","backend","message",
 * "evidence":{...typed...},"remedy"}], "profileId", "backend", "host", "healthy", "checks":[...],
 * "timings":{"dns","connect","tls","firstByte","total"} (seconds or null), "phases":[{"phase","status",
 * "elapsedSeconds","reason"}]}}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param backend   the backend URI as given
 * @param host      the Host header, SNI and certificate name used
 * @param profile   the name of the {@link GatewayProfile} the findings were judged against
 * @param profileId its {@link GatewayProfile#id()}
 * @param startedAt when the run started
 * @param timings   per-phase timings of the first successful exchange
 * @param checks    the checks that were selected
 * @param phases    what happened to each phase, in run order
 * @param findings  the findings, most severe first
 * @param complete  false when the overall deadline or an interrupt cut the run short
 * @since 0.1
 */
public record Report(String backend, String host, String profile, String profileId, Instant startedAt,
                     Timings timings, Set<Check> checks, List<PhaseResult> phases, List<Finding> findings,
                     boolean complete) {

    /** Validates the report, copies the lists and sorts the findings most severe first. */
    public Report {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(timings, "timings");
        checks = Set.copyOf(checks);
        phases = List.copyOf(phases);
        findings = Findings.sorted(findings);
    }

    /** A report whose profile has no id of its own ({@code custom}). */
    public Report(String backend, String host, String profile, Instant startedAt, Timings timings, Set<Check> checks,
                  List<PhaseResult> phases, List<Finding> findings, boolean complete) {
        this(backend, host, profile, "custom", startedAt, timings, checks, phases, findings, complete);
    }

    /** How long the whole run took. */
    public Duration elapsed() {
        return timings.total();
    }

    /**
     * True when the run completed and no finding is an {@link Severity#ERROR}: the gateway would not answer 502
     * because of this backend. A run cut short by its deadline, or with a phase that failed inside the library
     * ({@link PhaseResult.Status#ERRORED}), is not healthy, whatever it found so far.
     */
    public boolean isHealthy() {
        return complete && findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)
                && phases.stream().noneMatch(p -> p.status() == PhaseResult.Status.ERRORED);
    }

    /** True when there is no finding at all, not even a warning. */
    public boolean isClean() {
        return findings.isEmpty();
    }

    /** Whether any finding has this cause. */
    public boolean has(Cause cause) {
        return !Findings.withCause(findings, cause).isEmpty();
    }

    /** The findings with this cause. */
    public List<Finding> findings(Cause cause) {
        return Findings.withCause(findings, cause);
    }

    /** The findings of one category. */
    public List<Finding> findings(Category category) {
        Objects.requireNonNull(category, "category");
        return findings.stream().filter(f -> f.cause().category() == category).toList();
    }

    /** The first finding with this cause. */
    public Optional<Finding> finding(Cause cause) {
        return findings(cause).stream().findFirst();
    }

    /** The worst severity, or empty when there is no finding. */
    public Optional<Severity> worstSeverity() {
        return findings.stream().map(Finding::severity).min(Comparator.naturalOrder());
    }

    /** The result of one phase, if it is part of this run. */
    public Optional<PhaseResult> phase(Phase phase) {
        return phases.stream().filter(p -> p.phase() == phase).findFirst();
    }

    /**
     * Throws an {@link AssertionError} whose message is this report when it is not healthy; for tests.
     *
     * <pre>{@code
     * GatewayCheck.forBackend(url).run().assertHealthy();
     * }</pre>
     *
     * @return this report, for chaining
     */
    public Report assertHealthy() {
        if (!isHealthy()) {
            throw new AssertionError("Expecting backend " + backend + " to be healthy for " + profile
                    + " but found:\n" + this);
        }
        return this;
    }

    /** The report as the documented JSON document (see the class comment). */
    public String toJson() {
        return Json.write(toJsonMap());
    }

    Map<String, Object> toJsonMap() {
        Map<String, Object> m = Json.header("backend", profile, startedAt);
        m.put("profileId", profileId);
        m.put("backend", backend);
        m.put("host", host);
        m.put("elapsedSeconds", elapsed());
        m.put("healthy", isHealthy());
        m.put("complete", complete);
        m.put("checks", checks.stream().sorted().map(Enum::name).toList());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("dns", timings.dnsOrNull());
        t.put("connect", timings.connectOrNull());
        t.put("tls", timings.tlsOrNull());
        t.put("firstByte", timings.firstByteOrNull());
        t.put("total", timings.total());
        m.put("timings", t);
        List<Object> ph = new ArrayList<>();
        for (PhaseResult p : phases) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("phase", p.phase().name());
            pm.put("status", p.status().name());
            pm.put("elapsedSeconds", p.elapsed());
            pm.put("reason", p.reason());
            ph.add(pm);
        }
        m.put("phases", ph);
        m.put("findings", Json.findings(findings));
        return m;
    }

    /**
     * A table a person reads: a header line, one block per finding (cause, severity, message, evidence, fix),
     * then one line per phase.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(512);
        b.append("Report ").append(Snippets.printable(backend));
        if (!host.isEmpty()) {
            b.append(" (Host ").append(Snippets.printable(host)).append(')');
        }
        b.append(" against ").append(profile).append(": ");
        boolean errored = phases.stream().anyMatch(p -> p.status() == PhaseResult.Status.ERRORED);
        boolean hasError = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        b.append(isHealthy() ? "HEALTHY" : hasError || (complete && !errored) ? "UNHEALTHY" : "UNKNOWN");
        b.append(", ").append(findings.size()).append(findings.size() == 1 ? " finding" : " findings");
        b.append(" in ").append(Timings.ms(elapsed()));
        if (!complete) {
            b.append(" (INCOMPLETE: the deadline or an interrupt cut the run short)");
        }
        b.append('\n');
        int i = 1;
        for (Finding f : findings) {
            b.append(Report.findingLine(i++, f));
            if (f.gatewayStatus() != 0) {
                b.append(f.severity() == Severity.ERROR ? " -> gateway answers " : " -> gateway would answer ")
                        .append(f.gatewayStatus());
            }
            b.append('\n');
            b.append("       ").append(Snippets.printable(f.message())).append('\n');
            if (!f.evidence().entries().isEmpty()) {
                b.append("       evidence: ");
                appendEvidence(b, f.evidence());
                b.append('\n');
            }
            b.append("       fix: ").append(Snippets.printable(f.remedy())).append('\n');
        }
        b.append("  phases: ").append(String.join(", ", phases.stream().map(PhaseResult::toString).toList()))
                .append('\n');
        b.append("  timings: ").append(timings);
        return b.toString();
    }

    private static void appendEvidence(StringBuilder b, Evidence evidence) {
        int shown = 0;
        int width = 0;
        // a list of objects (the presented chain) stays in full on the record and in JSON; the table names each
        // element by its subject
        List<String> entries = new ArrayList<>();
        for (Evidence.Entry e : evidence.entries()) {
            entries.add(e.value() instanceof List<?> l ? Snippets.printable(e.key()) + "=" + Snippets.printable(
                    String.join(" > ", l.stream().map(o -> ((Evidence) o).get("subject").orElse("?")).toList()))
                    : e.toString());
        }
        for (String s : entries) {
            if (shown > 0) {
                b.append(", ");
                width += 2;
            }
            if (width > 0 && width + s.length() > 100) {
                b.append("\n                 ");
                width = 0;
            }
            b.append(s);
            width += s.length();
            shown++;
        }
    }

    /**
     * A finding's first line in a report's text: {@code "  1. ERROR   CONNECTION_REFUSED"}, what
     * {@code String.format(Locale.ROOT, "%3d. %-7s %s", ...)} prints, made without a Formatter (whose first use costs a
     * fresh JVM some 25 ms of locale data).
     */
    static String findingLine(int number, Finding f) {
        String n = Integer.toString(number);
        String severity = f.severity().name();
        return " ".repeat(Math.max(0, 3 - n.length())) + n + ". " + severity
                + " ".repeat(Math.max(0, 7 - severity.length())) + " " + f.cause().id();
    }
}
