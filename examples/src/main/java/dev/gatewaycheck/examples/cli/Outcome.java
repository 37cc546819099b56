package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.Category;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The result of one run of the tool, whichever mode made it (one backend, a pool, a front door), and its
 * renderings: text (optionally coloured), JSON, JUnit XML and a Nagios plugin line. Reads the reports through
 * their public API only.
 *
 * @param kind     "backend", "pool" or "front-door"
 * @param subject  what was checked, for one-line outputs
 * @param top      findings about the whole (the pool's, the front door's); empty for one backend
 * @param reports  the backend reports (one, each member's, each backend behind the front door)
 * @param healthy  the mode's own verdict (isHealthy of its report)
 * @param complete whether the run finished within its deadline
 * @param elapsed  how long it took
 * @param table    the report's readable table, rendered when asked (a run prints one format)
 * @param document the report's JSON document, rendered when asked
 */
record Outcome(String kind, String subject, List<Finding> top, List<Report> reports, boolean healthy, boolean complete,
               Duration elapsed, Supplier<String> table, Supplier<String> document) {

    static Outcome of(Report r) {
        return new Outcome("backend", r.backend(), List.of(), List.of(r), r.isHealthy(), r.complete(), r.elapsed(),
                r::toString, r::toJson);
    }

    static Outcome of(PoolReport r) {
        return new Outcome("pool", "pool of " + r.members().size(), r.findings(),
                r.members().stream().map(PoolReport.Member::report).toList(), r.isHealthy(), r.complete(),
                r.elapsed(), r::toString, r::toJson);
    }

    static Outcome of(FrontendReport r) {
        return new Outcome("front-door", r.url(), r.findings(), r.backends(), r.isHealthy(), r.complete(), r.elapsed(),
                r::toString, r::toJson);
    }

    /** Whether one backend was checked (not a pool, not a front door). */
    private boolean single() {
        return kind.equals("backend");
    }

    /** Every finding: the whole's, then each report's. */
    List<Finding> allFindings() {
        List<Finding> all = new ArrayList<>(top);
        reports.forEach(r -> all.addAll(r.findings()));
        return all;
    }

    /** The findings that decide the verdict: the whole's when there is a whole (pool), else every finding. */
    private List<Finding> verdictFindings() {
        return single() ? reports.get(0).findings() : allFindings();
    }

    /** The exit status: 0 healthy, 1 unhealthy or incomplete, or (with {@code failOnWarning}) any WARNING. */
    int exitStatus(boolean failOnWarning) {
        if (!healthy) {
            return Main.UNHEALTHY;
        }
        if (failOnWarning && allFindings().stream().anyMatch(f -> f.severity() == Severity.WARNING)) {
            return Main.UNHEALTHY;
        }
        return Main.HEALTHY;
    }

    /** The report's JSON document. */
    String json() {
        return document.get();
    }

    // ---------------------------------------------------------------------------------------------- text

    /** The readable table, without control characters from the backend, coloured when asked. */
    String text(boolean colour) {
        String t = Main.printable(table.get());
        if (!colour) {
            return t;
        }
        StringBuilder b = new StringBuilder(t.length() + 256);
        for (String line : t.split("\n", -1)) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(colourLine(line));
        }
        return b.toString();
    }

    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String CYAN = "\u001b[36m";
    private static final String RESET = "\u001b[0m";

    private static String colourLine(String line) {
        java.util.regex.Matcher finding = java.util.regex.Pattern.compile("^(\\s*\\d+\\. )(ERROR|WARNING|INFO)(\\s.*)$")
                .matcher(line);
        if (finding.matches()) {
            String c = switch (finding.group(2)) {
                case "ERROR" -> RED;
                case "WARNING" -> YELLOW;
                default -> CYAN;
            };
            return finding.group(1) + c + finding.group(2) + RESET + finding.group(3);
        }
        if (line.startsWith("Report ") || line.startsWith("Pool ") || line.startsWith("Front door ")) {
            return line.replaceFirst(": HEALTHY", ": " + GREEN + "HEALTHY" + RESET)
                    .replaceFirst(": UNHEALTHY", ": " + RED + "UNHEALTHY" + RESET)
                    .replaceFirst(": UNKNOWN", ": " + YELLOW + "UNKNOWN" + RESET);
        }
        return line;
    }

    // ---------------------------------------------------------------------------------------------- Nagios

    /** Nagios plugin statuses. */
    enum Nagios { OK, WARNING, CRITICAL, UNKNOWN }

    /** OK, WARNING (healthy, with warnings), CRITICAL (an ERROR finding), UNKNOWN (incomplete without an ERROR). */
    Nagios nagiosStatus() {
        boolean error = verdictFindings().stream().anyMatch(f -> f.severity() == Severity.ERROR);
        if (!healthy) {
            return error ? Nagios.CRITICAL : Nagios.UNKNOWN;
        }
        return allFindings().stream().anyMatch(f -> f.severity() != Severity.INFO) ? Nagios.WARNING : Nagios.OK;
    }

    /** One line: status, summary, then performance data after {@code |}. */
    String nagiosLine() {
        Nagios s = nagiosStatus();
        List<Finding> all = allFindings();
        long errors = all.stream().filter(f -> f.severity() == Severity.ERROR).count();
        long warnings = all.stream().filter(f -> f.severity() == Severity.WARNING).count();
        long infos = all.size() - errors - warnings;
        StringBuilder b = new StringBuilder("GATEWAY-CHECK ").append(s).append(" - ").append(subject);
        List<String> named = all.stream().filter(f -> f.severity() != Severity.INFO)
                .map(f -> f.cause().id() + (f.gatewayStatus() == 0 ? "" : " (" + f.gatewayStatus() + ")"))
                .distinct().toList();
        if (named.isEmpty()) {
            b.append(healthy ? ": healthy" : ": no verdict");
        } else {
            b.append(": ").append(String.join(", ", named));
        }
        if (!complete) {
            b.append(" (incomplete: the deadline cut the run short)");
        }
        b.append(" | errors=").append(errors).append(";;;0 warnings=").append(warnings).append(";;;0 infos=")
                .append(infos).append(";;;0 time=").append(seconds(elapsed)).append("s;;;0");
        if (single()) {
            Report r = reports.get(0);
            r.timings().dns().ifPresent(d -> b.append(" dns=").append(seconds(d)).append("s;;;0"));
            r.timings().connect().ifPresent(d -> b.append(" connect=").append(seconds(d)).append("s;;;0"));
            r.timings().tls().ifPresent(d -> b.append(" tls=").append(seconds(d)).append("s;;;0"));
            r.timings().firstByte().ifPresent(d -> b.append(" firstbyte=").append(seconds(d)).append("s;;;0"));
        } else {
            long up = reports.stream().filter(Report::isHealthy).count();
            b.append(" healthy_backends=").append(up).append(";;;0;").append(reports.size());
        }
        return Main.printable(b.toString()).replace('\n', ' ');
    }

    static String seconds(Duration d) {
        return dev.gatewaycheck.core.Text.decimalSeconds(d);
    }

    // ---------------------------------------------------------------------------------------------- JUnit XML

    /**
     * JUnit XML: one test suite per backend report (and one for the pool or front door itself), one test case per
     * check (plus "connect" for name resolution and TCP connect, which every check needs), one failure per ERROR
     * finding; WARNING and INFO findings go to the case's system-out; a skipped check is skipped; a run the
     * deadline cut short adds an error.
     */
    String junit() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        List<String> suites = new ArrayList<>();
        int[] totals = new int[3];
        if (!single()) {
            suites.add(suite("gateway-check " + subject, subject, List.of(new Case(kind, top, Duration.ZERO, null,
                    null)), elapsed, totals));
        }
        for (Report r : reports) {
            suites.add(suite("gateway-check " + r.backend() + (r.host().isEmpty() ? "" : " (Host " + r.host() + ")")
                    + " against " + r.profile(), r.backend(), cases(r), r.elapsed(), totals));
        }
        b.append("<testsuites name=\"gateway-check\" tests=\"").append(totals[0]).append("\" failures=\"")
                .append(totals[1]).append("\" errors=\"").append(totals[2]).append("\" time=\"")
                .append(seconds(elapsed)).append("\">\n");
        suites.forEach(b::append);
        b.append("</testsuites>\n");
        return b.toString();
    }

    /** One test case: findings, time, and why it was skipped or errored (null when it ran). */
    private record Case(String name, List<Finding> findings, Duration time, String skipped, String error) {
    }

    private static List<Case> cases(Report r) {
        Set<Check> selected = r.checks().isEmpty() ? EnumSet.allOf(Check.class) : EnumSet.copyOf(r.checks());
        List<Case> cases = new ArrayList<>();
        cases.add(caseOf(r, "connect", EnumSet.of(Phase.DNS, Phase.CONNECT), null));
        for (Check c : Check.values()) {
            if (!selected.contains(c)) {
                continue;
            }
            Set<Phase> phases = switch (c) {
                case TLS -> EnumSet.of(Phase.TLS);
                case PROBE -> EnumSet.of(Phase.REQUEST, Phase.PROBE);
                case KEEP_ALIVE -> EnumSet.of(Phase.KEEP_ALIVE);
            };
            cases.add(caseOf(r, c.name().toLowerCase(Locale.ROOT).replace("_", ""), phases, c));
        }
        return cases;
    }

    private static Case caseOf(Report r, String name, Set<Phase> phases, Check check) {
        List<Finding> findings = r.findings().stream().filter(f -> checkOf(f.cause().category()) == check).toList();
        Duration time = Duration.ZERO;
        List<PhaseResult> ran = new ArrayList<>();
        for (PhaseResult p : r.phases()) {
            if (phases.contains(p.phase())) {
                time = time.plus(p.elapsed());
                ran.add(p);
            }
        }
        String skipped = !ran.isEmpty() && findings.isEmpty()
                && ran.stream().allMatch(p -> p.status() == PhaseResult.Status.SKIPPED)
                ? ran.stream().map(PhaseResult::reason).distinct().reduce((a, c) -> a + "; " + c).orElse("") : null;
        String error = ran.stream().filter(p -> p.status() == PhaseResult.Status.ERRORED)
                .map(p -> p.phase() + ": " + p.reason()).findFirst().orElse(null);
        if (error == null && !r.complete() && findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)
                && (ran.isEmpty() || ran.stream().anyMatch(p -> p.status() == PhaseResult.Status.SKIPPED))
                && check != null) {
            error = "incomplete: the run's deadline cut this check short";
            skipped = null;
        }
        return new Case(name, findings, time, skipped, error);
    }

    /** The check a cause's category belongs to; null for name resolution, connect and the rest ("connect"). */
    private static Check checkOf(Category c) {
        return switch (c) {
            case TLS -> Check.TLS;
            case KEEPALIVE -> Check.KEEP_ALIVE;
            case RESPONSE, PROBE -> Check.PROBE;
            default -> null;
        };
    }

    private static String suite(String name, String className, List<Case> cases, Duration time, int[] totals) {
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        StringBuilder body = new StringBuilder();
        for (Case c : cases) {
            body.append("    <testcase classname=\"").append(xml(className)).append("\" name=\"").append(xml(c.name))
                    .append("\" time=\"").append(seconds(c.time)).append("\">\n");
            StringBuilder out = new StringBuilder();
            for (Finding f : c.findings) {
                if (f.severity() == Severity.ERROR) {
                    failures++;
                    body.append("      <failure type=\"").append(f.cause().id()).append("\" message=\"")
                            .append(xml(f.cause().id() + (f.gatewayStatus() == 0 ? "" : " -> gateway answers "
                                    + f.gatewayStatus()) + ": " + f.message())).append("\">")
                            .append(xml(detail(f))).append("</failure>\n");
                } else {
                    out.append(f.severity()).append(' ').append(detail(f)).append('\n');
                }
            }
            if (c.error != null) {
                errors++;
                body.append("      <error message=\"").append(xml(c.error)).append("\"/>\n");
            } else if (c.skipped != null && c.findings.isEmpty()) {
                skipped++;
                body.append("      <skipped message=\"").append(xml(c.skipped)).append("\"/>\n");
            }
            if (out.length() > 0) {
                body.append("      <system-out>").append(xml(out.toString())).append("</system-out>\n");
            }
            body.append("    </testcase>\n");
        }
        totals[0] += cases.size();
        totals[1] += failures;
        totals[2] += errors;
        return "  <testsuite name=\"" + xml(name) + "\" tests=\"" + cases.size() + "\" failures=\"" + failures
                + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\" time=\"" + seconds(time) + "\">\n"
                + body + "  </testsuite>\n";
    }

    private static String detail(Finding f) {
        return f.cause().id() + ": " + f.message() + "\nevidence: " + f.evidence() + "\nfix: " + f.remedy();
    }

    /** XML text or attribute: escaped, characters XML 1.0 cannot carry replaced by U+FFFD. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\n' -> b.append("&#10;");
                case '\t' -> b.append("&#9;");
                default -> {
                    if (c < 0x20 || c == 0xfffe || c == 0xffff || (c >= 0x7f && c < 0xa0)) {
                        b.append('\ufffd');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
