package dev.gatewaycheck.core.frontend;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.Deadline;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.dns.DnsCheck;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.http.HttpExchange;
import dev.gatewaycheck.core.http.HttpObservation;
import dev.gatewaycheck.core.judge.FrontDoorRules;
import dev.gatewaycheck.core.judge.FrontDoorSeen;
import dev.gatewaycheck.core.pool.PoolRunner;
import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.FrontendPlan;
import dev.gatewaycheck.spi.PoolPlan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    /** The most backends checked directly at the same time. */
    static final int BACKEND_PARALLELISM = 8;

    private FrontDoor() {
    }

    /** Runs the front-door plan; backends are checked through {@code engine}. */
    public static FrontendReport run(CheckEngine engine, FrontendPlan plan) {
        GatewayProfile given = plan.profile();
        CheckPlan front = GatewayCheck.forBackend(plan.url()).resolvingWith(plan.resolver()).timeout(plan.timeout())
                .against(given == null ? GatewayProfile.GENERIC : given).checks(Check.PROBE).plan()
                .withClock(plan.clock());
        Instant startedAt = front.clock().instant();
        Deadline deadline = Deadline.in(plan.timeout());
        String label = plan.url().toString();

        // 1. the front door's answer, observed (judged below once we know who answered)
        FrontDoorSeen seen = new FrontDoorSeen(label, front.host(), null, null, null);
        List<Finding> transport = new ArrayList<>();
        RunContext ctx = RunContext.standalone(front);
        try {
            List<InetAddress> addresses = DnsCheck.resolve(ctx, front.backendHost());
            if (!addresses.isEmpty()) {
                Target t = new Target(new InetSocketAddress(addresses.get(0), front.port()), front.isTls(),
                        front.host(), front.path());
                HttpObservation obs = HttpExchange.get(ctx, t, deadline.cap(plan.timeout()));
                seen = new FrontDoorSeen(label, front.host(), addresses.get(0).getHostAddress(), obs,
                        obs.failure() == null ? null : FailureClassifier.classify(obs.failure(), front.isTls()));
                ctx.observe(FrontDoorRules.of(seen));
            }
            transport.addAll(ctx.findings());
        } finally {
            ctx.close();
        }
        FrontDoorRules.Answer answer = FrontDoorRules.answer(seen, given);
        List<Finding> findings = new ArrayList<>(transport);
        findings.addAll(answer.findings());

        // 2. the hosts-file trick: every backend directly, with the front door's Host and SNI
        List<Report> backends = new ArrayList<>();
        if (!plan.backends().isEmpty() && !deadline.expired()) {
            List<CheckPlan> plans = new ArrayList<>();
            for (CheckPlan b : plan.backends()) {
                plans.add(b.withProfile(answer.profile()));
            }
            PoolReport pool = PoolRunner.run(engine, new PoolPlan(plans, answer.profile(),
                    deadline.cap(plan.timeout()), BACKEND_PARALLELISM, plan.clock()));
            pool.members().forEach(m -> backends.add(m.report()));
        }

        // 3. the verdict
        FrontDoorRules.Verdict verdict = FrontDoorRules.verdict(seen, answer, transport, backends);
        return new FrontendReport(label, answer.profile().name(), startedAt, deadline.elapsed(), seen.status(),
                answer.product(), verdict.hop(), verdict.text(), findings, backends, !deadline.expired());
    }
}
