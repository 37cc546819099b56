package dev.gatewaycheck.core.pool;

import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.Phase;
import dev.gatewaycheck.PhaseResult;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.core.Deadline;
import dev.gatewaycheck.core.dns.DnsCheck;
import dev.gatewaycheck.core.judge.Judge;
import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.PoolPlan;
import dev.gatewaycheck.core.Text;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Checks a pool: expands member names into addresses (with the plan's resolver, compared with the system's when
 * it is a custom one), runs the engine on every address concurrently under the pool's deadline, and judges the
 * pool. Threads are daemons named {@code gateway-check-pool-N}, owned by one run and shut down before it returns.
 *
 * <pre>{@code
 * PoolReport r = PoolRunner.run(new DefaultCheckEngine(), GatewayCheck.forPool(members).plan());
 * }</pre>
 */
public final class PoolRunner {
    /** Thread-name prefix of the per-run workers. */
    public static final String THREAD_PREFIX = "gateway-check-pool-";
    /** The longest name resolution may take before a member is checked as given (the DNS phase then reports). */
    static final Duration RESOLVE_BUDGET = DnsCheck.LOOKUP_TIMEOUT;

    /** The most sockets one member's check holds open at the same time (its phases overlap). */
    static final int FDS_PER_MEMBER = 12;
    /** File descriptors left to the rest of the process when the pool bounds its concurrency. */
    static final int FD_RESERVE = 64;
    /** A member whose check could not get this much of the pool's deadline is not examined. */
    static final Duration MIN_MEMBER_TIME = Duration.ofMillis(50);

    /** How long the workers get to end once the pool's checks returned (they are daemons either way). */
    static final Duration SHUTDOWN_WAIT = Duration.ofMillis(500);
    /** How long past the deadline a member's check may take to return its (cut-short) report. */
    static final Duration AWAIT_MARGIN = Duration.ofMillis(250);

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** One address to check. */
    private record Unit(String member, String address, String resolvedBy, String systemAnswer, CheckPlan plan) {
    }

    private PoolRunner() {
    }

    /** Runs the pool plan with {@code engine} checking each address. */
    public static PoolReport run(CheckEngine engine, PoolPlan plan) {
        Instant startedAt = plan.clock().instant();
        Deadline deadline = Deadline.in(plan.timeout());
        GatewayProfile profile = plan.profile();
        if (plan.members().isEmpty()) {
            return new PoolReport(profile.name(), startedAt, deadline.elapsed(), List.of(),
                    List.of(Judge.emptyPool(profile)), true);
        }
        FileDescriptors fds = FileDescriptors.current();
        // threads start as work arrives, so a pool of fewer addresses than this starts fewer
        ExecutorService ex = executor(concurrency(plan.parallelism(), Integer.MAX_VALUE, fds).used());
        List<PoolReport.Member> members = new ArrayList<>();
        boolean complete = true;
        PoolReport.Concurrency concurrency;
        try {
            List<Unit> units = expand(ex, plan, deadline);
            concurrency = concurrency(plan.parallelism(), units.size(), fds);
            List<Future<Report>> runs = new ArrayList<>(units.size());
            for (Unit u : units) {
                // the member's own deadline is what is left of the pool's when its check starts, not when queued
                runs.add(ex.submit(() -> deadline.allows(MIN_MEMBER_TIME)
                        ? engine.run(withTimeout(u.plan(), deadline.remaining())) : null));
            }
            for (int i = 0; i < units.size(); i++) {
                Unit u = units.get(i);
                Report r = await(runs.get(i), deadline);
                if (r == null) {
                    r = unchecked(u, profile, startedAt, deadline.elapsed());
                }
                complete &= r.complete();
                members.add(new PoolReport.Member(u.member(), u.address(), u.resolvedBy(), annotate(r, u)));
            }
        } finally {
            ex.shutdownNow();
            try {
                ex.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new PoolReport(profile.name(), startedAt, deadline.elapsed(), members, Judge.pool(profile, members),
                complete, concurrency);
    }

    /**
     * The members checked at the same time: the requested parallelism, bounded by the number of addresses and by the
     * file descriptors this process may still open ({@link #FDS_PER_MEMBER} per member, {@link #FD_RESERVE} kept for
     * the rest of the process). Pure.
     */
    static PoolReport.Concurrency concurrency(int requested, int addresses, FileDescriptors fds) {
        int used = requested;
        String boundBy = "parallelism";
        if (addresses < used) {
            used = Math.max(1, addresses);
            boundBy = "addresses";
        }
        if (fds.known()) {
            long free = fds.limit() - fds.open() - FD_RESERVE;
            int byFds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, free / FDS_PER_MEMBER));
            if (byFds < used) {
                used = byFds;
                boundBy = "file descriptors (limit " + fds.limit() + ", " + fds.open() + " open, "
                        + FDS_PER_MEMBER + " per member, " + FD_RESERVE + " kept free)";
            }
        }
        return new PoolReport.Concurrency(requested, used, boundBy);
    }

    private static ExecutorService executor(int threads) {
        ThreadPoolExecutor ex = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, THREAD_PREFIX + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }

    /** Each member as one unit per address; a name that does not resolve stays one unit (its DNS phase reports). */
    private static List<Unit> expand(ExecutorService ex, PoolPlan plan, Deadline deadline) {
        Deadline resolveBy = Deadline.in(deadline.cap(RESOLVE_BUDGET));
        List<Future<List<InetAddress>>> lookups = new ArrayList<>();
        List<Future<List<InetAddress>>> system = new ArrayList<>();
        for (CheckPlan m : plan.members()) {
            String host = m.backendHost();
            boolean name = !Text.isIpLiteral(host);
            lookups.add(name ? ex.submit(() -> m.resolver().resolve(host)) : null);
            system.add(name && m.resolver() != NameResolver.system()
                    ? ex.submit(() -> NameResolver.system().resolve(host)) : null);
        }
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < plan.members().size(); i++) {
            CheckPlan m = plan.members().get(i);
            String given = m.backend().toString();
            if (lookups.get(i) == null) {
                units.add(new Unit(given, given, "", null, m));
                continue;
            }
            List<InetAddress> addresses = await(lookups.get(i), resolveBy);
            String systemAnswer = system.get(i) == null ? null : answer(system.get(i), resolveBy);
            if (addresses == null || addresses.isEmpty()) {
                units.add(new Unit(given, given, m.resolver().toString(), systemAnswer, m));
                continue;
            }
            for (InetAddress a : addresses) {
                String ip = a.getHostAddress();
                String literal = Text.bracketed(ip);
                URI uri = URI.create(m.backend().getScheme() + "://" + literal + ":" + m.port());
                CheckPlan p = m.withBackend(uri);
                units.add(new Unit(given, uri.toString(), m.resolver().toString(), systemAnswer, p));
            }
        }
        return units;
    }

    private static String answer(Future<List<InetAddress>> f, Deadline by) {
        try {
            List<InetAddress> a = f.get(Math.max(1, by.remaining().toMillis()), TimeUnit.MILLISECONDS);
            return a.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ", "[", "]"));
        } catch (ExecutionException e) {
            return "does not resolve (" + e.getCause().getMessage() + ")";
        } catch (TimeoutException e) {
            f.cancel(true);
            return "no answer within " + RESOLVE_BUDGET.toSeconds() + "s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static <T> T await(Future<T> f, Deadline by) {
        try {
            return f.get(Math.max(1, by.remaining().plus(AWAIT_MARGIN).toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return null;
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static CheckPlan withTimeout(CheckPlan m, Duration remaining) {
        Duration t = remaining.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : remaining;
        return m.withTimeout(t);
    }

    /** The member's findings with the member name and the resolver that answered, when it was given by name. */
    private static Report annotate(Report r, Unit u) {
        if (u.resolvedBy().isEmpty()) {
            return r;
        }
        List<Finding> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            findings.add(Judge.annotate(f, Evidence.builder()
                    .put("member", f.evidence().has("member") ? null : u.member())
                    .put("resolvedBy", f.evidence().has("resolver") ? null : u.resolvedBy())
                    .put("systemResolverAnswer", u.systemAnswer()).build()));
        }
        return new Report(r.backend(), r.host(), r.profile(), r.profileId(), r.startedAt(), r.timings(), r.checks(),
                r.phases(), findings, r.complete());
    }

    private static Report unchecked(Unit u, GatewayProfile profile, Instant startedAt, Duration elapsed) {
        return new Report(u.address(), u.plan().host(), profile.name(), profile.id(), startedAt,
                new Timings(null, null, null, null, elapsed), u.plan().checks(),
                List.of(new PhaseResult(Phase.DNS, PhaseResult.Status.SKIPPED, Duration.ZERO,
                        "the pool's deadline ended before this member's check started")), List.of(), false);
    }
}
