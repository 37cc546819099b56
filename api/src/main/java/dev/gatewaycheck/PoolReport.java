package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>JSON shape ({@code schema} 1): {@code {"schema":1, "profile", "startedAt", "elapsedSeconds", "healthy",
 * "complete", "members":[{"member","address","resolvedBy","healthy","report":{...Report JSON...}}],
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
 * @since 0.1
 */
public record PoolReport(String profile, Instant startedAt, Duration elapsed, List<Member> members,
                         List<Finding> findings, boolean complete) {

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

        /** Whether the gateway would keep this member in rotation: no ERROR finding. */
        public boolean isHealthy() {
            return report.isHealthy();
        }
    }

    /** Validates, copies and sorts the pool findings most severe first. */
    public PoolReport {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        members = List.copyOf(members);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity));
        findings = List.copyOf(sorted);
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
        Objects.requireNonNull(cause, "cause");
        return findings.stream().anyMatch(f -> f.cause() == cause);
    }

    /** The first pool finding with this cause. */
    public Optional<Finding> finding(Cause cause) {
        Objects.requireNonNull(cause, "cause");
        return findings.stream().filter(f -> f.cause() == cause).findFirst();
    }

    /** The members the gateway would keep in rotation. */
    public List<Member> healthyMembers() {
        return members.stream().filter(Member::isHealthy).toList();
    }

    /** The members the gateway would take out of rotation. */
    public List<Member> unhealthyMembers() {
        return members.stream().filter(m -> !m.isHealthy()).toList();
    }

    /** The report as the documented JSON document (see the class comment). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", 1);
        m.put("profile", profile);
        m.put("startedAt", startedAt.toString());
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
            e.put("report", member.report().toJsonMap());
            ms.add(e);
        }
        m.put("members", ms);
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
                .append(" healthy in ").append(Timings.ms(elapsed));
        if (!complete) {
            b.append(" (INCOMPLETE)");
        }
        b.append('\n');
        if (!members.isEmpty()) {
            int w1 = Math.max(6, members.stream().mapToInt(m -> m.member().length()).max().orElse(6));
            int w2 = Math.max(7, members.stream().mapToInt(m -> m.address().length()).max().orElse(7));
            String fmt = "  %-" + w1 + "s  %-" + w2 + "s  %-9s  %s%n";
            b.append(String.format(Locale.ROOT, fmt, "MEMBER", "ADDRESS", "HEALTH", "WORST FINDING"));
            for (Member m : members) {
                String worst = m.report().findings().stream().findFirst()
                        .map(f -> f.severity() + " " + f.cause().id()
                                + (f.gatewayStatus() == 0 ? "" : " -> " + f.gatewayStatus()))
                        .orElse("-");
                b.append(String.format(Locale.ROOT, fmt, Snippets.printable(m.member()), m.address(),
                        m.isHealthy() ? "healthy" : m.report().complete() ? "UNHEALTHY" : "UNKNOWN", worst));
            }
        }
        int i = 1;
        for (Finding f : findings) {
            b.append(String.format(Locale.ROOT, "%3d. %-7s %s", i++, f.severity(), f.cause().id()));
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
