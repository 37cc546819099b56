package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link PoolCheck#run()}: one {@link Report} per member address, checked concurrently, and the
 * findings about the pool as a whole ({@link Cause#EMPTY_BACKEND_POOL}, {@link Cause#ALL_BACKENDS_UNHEALTHY},
 * {@link Cause#SOME_BACKENDS_UNHEALTHY}), judged by the profile.
 *
 * <pre>{@code
 * PoolReport pool = GatewayCheck.forPool(List.of("http://10.0.0.4", "http://10.0.0.5"))
 *         .withHost("www.contoso.com").against(GatewayProfile.AZURE_APP_GATEWAY_V2).run();
 * System.out.println(pool);                 // one line per member, then the pool findings
 * pool.has(Cause.ALL_BACKENDS_UNHEALTHY);   // every member fails the gateway's probe
 * pool.unhealthyMembers().forEach(m -> System.out.println(m.report()));
 * }</pre>
 *
 * <p>JSON shape ({@code schema} 2, see {@link Report}): {@code {"schema":2, "kind":"pool", "version", "profile",
 * "startedAt", "elapsedSeconds", "healthy", "complete", "members":[{"member","address","resolvedBy","healthy",
 * "state","notExaminedBecause","report":{...Report JSON...}}], "concurrency":{"requested","used","boundBy"},
 * "findings":[...as in Report...]}}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param profile   the name of the profile that judged the pool
 * @param startedAt when the check started
 * @param elapsed   how long the whole pool check took
 * @param members   one entry per member address, in the order given
 * @param findings  the findings about the pool as a whole, most severe first
 * @param complete  false when the overall deadline cut a member's check short
 * @param concurrency how many members were checked at the same time, and what bounded it
 * @since 0.1
 */
public record PoolReport(String profile, Instant startedAt, Duration elapsed, List<Member> members,
                         List<Finding> findings, boolean complete, Concurrency concurrency) {

    /** Whether the gateway keeps a member in rotation, and whether the check could tell. */
    public enum State {
        /** Examined completely, no ERROR finding: the gateway keeps it in rotation. */
        HEALTHY,
        /** An ERROR finding: the gateway takes it out of rotation. */
        UNHEALTHY,
        /**
         * gateway-check itself could not examine it (the pool's deadline ended first, or a phase failed inside the
         * library) and found no ERROR so far: nothing is known against the member, see
         * {@link Member#notExaminedBecause()}.
         */
        NOT_EXAMINED
    }

    /**
     * How many member addresses were checked at the same time.
     *
     * @param requested the parallelism asked for ({@link PoolCheck#parallelism(int)})
     * @param used      the parallelism used: the requested one, bounded by the number of addresses and by the
     *                  file descriptors this process may still open
     * @param boundBy   what set {@code used}, e.g. {@code "parallelism"}, {@code "addresses"} or
     *                  {@code "file descriptors (limit 1024, 40 open, 8 per member)"}
     */
    public record Concurrency(int requested, int used, String boundBy) {
        /** Validates. */
        public Concurrency {
            Objects.requireNonNull(boundBy, "boundBy");
        }

        /** {@code 32 of 32 (parallelism)}. */
        @Override
        public String toString() {
            return used + " of " + requested + " (" + boundBy + ")";
        }
    }

    /** A report whose engine did not say how it bounded its concurrency. */
    public PoolReport(String profile, Instant startedAt, Duration elapsed, List<Member> members,
                      List<Finding> findings, boolean complete) {
        this(profile, startedAt, elapsed, members, findings, complete, new Concurrency(0, 0, "not reported"));
    }

    /**
     * One member address and its report.
     *
     * @param member     the member as given ({@code http://app.internal:8080})
     * @param address    the address checked ({@code http://127.0.0.2:8080}); equal to {@code member} for a literal
     * @param resolvedBy the resolver that turned the name into this address, or "" for an address literal
     * @param report     the member's report
     */
    public record Member(String member, String address, String resolvedBy, Report report) {
        /** Validates the entry. */
        public Member {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(resolvedBy, "resolvedBy");
            Objects.requireNonNull(report, "report");
        }

        /** Whether the gateway would keep this member in rotation: examined completely, no ERROR finding. */
        public boolean isHealthy() {
            return report.isHealthy();
        }

        /**
         * HEALTHY, UNHEALTHY (an ERROR finding) or NOT_EXAMINED (cut short by the pool's deadline, or a phase
         * failed inside gateway-check, with no ERROR found so far): a member the checker could not examine is
         * never counted unhealthy.
         */
        public State state() {
            if (report.findings().stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
                return State.UNHEALTHY;
            }
            return report.isHealthy() ? State.HEALTHY : State.NOT_EXAMINED;
        }

        /** Why the member was not examined (the first phase cut short or failed), when {@link #state()} says so. */
        public Optional<String> notExaminedBecause() {
            if (state() != State.NOT_EXAMINED) {
                return Optional.empty();
            }
            for (PhaseResult p : report.phases()) {
                if (p.status() == PhaseResult.Status.ERRORED) {
                    return Optional.of("the " + p.phase() + " phase failed inside gateway-check: " + p.reason());
                }
            }
            for (PhaseResult p : report.phases()) {
                if (p.status() == PhaseResult.Status.INCONCLUSIVE && !p.reason().isEmpty()) {
                    return Optional.of("the " + p.phase() + " phase was inconclusive: " + p.reason());
                }
                if (p.status() == PhaseResult.Status.SKIPPED && !p.reason().isEmpty()
                        && (p.reason().startsWith("inconclusive") || p.reason().contains("deadline"))) {
                    return Optional.of(p.reason());
                }
            }
            return Optional.of("the pool's deadline cut its check short");
        }
    }

    /** Validates, copies and sorts the pool findings most severe first. */
    public PoolReport {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        members = List.copyOf(members);
        findings = Findings.sorted(findings);
    }

    /**
     * True when no pool finding is an ERROR: the gateway has a member to route to (or, failing open, routes to all).
     * A pool whose checks the deadline cut short before any member proved healthy is not healthy.
     */
    public boolean isHealthy() {
        return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)
                && (complete || !healthyMembers().isEmpty());
    }

    /** Whether a pool finding has this cause. */
    public boolean has(Cause cause) {
        return !Findings.withCause(findings, cause).isEmpty();
    }

    /** The first pool finding with this cause. */
    public Optional<Finding> finding(Cause cause) {
        return Findings.withCause(findings, cause).stream().findFirst();
    }

    /** The members the gateway would keep in rotation. */
    public List<Member> healthyMembers() {
        return members.stream().filter(Member::isHealthy).toList();
    }

    /** The members the gateway would take out of rotation: those with an ERROR finding. */
    public List<Member> unhealthyMembers() {
        return members.stream().filter(m -> m.state() == State.UNHEALTHY).toList();
    }

    /**
     * The members gateway-check could not examine (see {@link Member#notExaminedBecause()}): neither healthy nor
     * unhealthy.
     */
    public List<Member> notExaminedMembers() {
        return members.stream().filter(m -> m.state() == State.NOT_EXAMINED).toList();
    }

    /** The report as the documented JSON document (see the class comment). */
    public String toJson() {
        Map<String, Object> m = Json.header("pool", profile, startedAt);
        m.put("elapsedSeconds", elapsed);
        m.put("healthy", isHealthy());
        m.put("complete", complete);
        List<Object> ms = new ArrayList<>();
        for (Member member : members) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("member", member.member());
            e.put("address", member.address());
            e.put("resolvedBy", member.resolvedBy().isEmpty() ? null : member.resolvedBy());
            e.put("healthy", member.isHealthy());
            e.put("state", member.state().name());
            e.put("notExaminedBecause", member.notExaminedBecause().orElse(null));
            e.put("report", member.report().toJsonMap());
            ms.add(e);
        }
        m.put("members", ms);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("requested", concurrency.requested());
        c.put("used", concurrency.used());
        c.put("boundBy", concurrency.boundBy());
        m.put("concurrency", c);
        m.put("findings", Json.findings(findings));
        return Json.write(m);
    }

    /** A table: a header line, one line per member address with its worst finding, then the pool findings. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(512);
        b.append("Pool of ").append(members.size()).append(members.size() == 1 ? " address" : " addresses")
                .append(" against ").append(profile).append(": ")
                .append(isHealthy() ? "HEALTHY" : complete || !findings.isEmpty() ? "UNHEALTHY" : "UNKNOWN")
                .append(", ").append(healthyMembers().size()).append(" of ").append(members.size())
                .append(" healthy");
        int notExamined = notExaminedMembers().size();
        if (notExamined > 0) {
            b.append(", ").append(notExamined).append(" not examined");
        }
        b.append(" in ").append(Timings.ms(elapsed));
        if (concurrency.used() > 0) {
            b.append(", ").append(concurrency.used()).append(" at a time (").append(concurrency.boundBy())
                    .append(')');
        }
        if (!complete) {
            b.append(" (INCOMPLETE)");
        }
        b.append('\n');
        if (!members.isEmpty()) {
            int w1 = Math.max(6, members.stream().mapToInt(m -> m.member().length()).max().orElse(6));
            int w2 = Math.max(7, members.stream().mapToInt(m -> m.address().length()).max().orElse(7));
            String fmt = "  %-" + w1 + "s  %-" + w2 + "s  %-12s  %s%n";
            b.append(String.format(Locale.ROOT, fmt, "MEMBER", "ADDRESS", "HEALTH", "WORST FINDING"));
            for (Member m : members) {
                String worst = m.report().findings().stream().findFirst()
                        .map(f -> f.severity() + " " + f.cause().id()
                                + (f.gatewayStatus() == 0 ? "" : " -> " + f.gatewayStatus()))
                        .orElse("-");
                b.append(String.format(Locale.ROOT, fmt, Snippets.printable(m.member()), m.address(),
                        m.state() == State.HEALTHY ? "healthy" : m.state() == State.UNHEALTHY ? "UNHEALTHY"
                                : "NOT EXAMINED", m.notExaminedBecause().map(r -> "- (" + r + ")").orElse(worst)));
            }
        }
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
            b.append("       fix: ").append(Snippets.printable(f.remedy())).append('\n');
        }
        return b.toString().stripTrailing();
    }
}
