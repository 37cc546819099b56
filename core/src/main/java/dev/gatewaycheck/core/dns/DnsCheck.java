package dev.gatewaycheck.core.dns;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.ConnectRules;
import dev.gatewaycheck.core.judge.DnsSeen;
import dev.gatewaycheck.core.judge.DnsSeen.Lookup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves the backend's name with the plan's resolver, bounded in time (the JDK's lookup cannot be interrupted,
 * so it runs on a daemon thread that ends by itself), and reports a name that does not resolve.
 */
public final class DnsCheck {
    /** The longest a lookup may take before it counts as failed. */
    public static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    /** The longest the comparison lookup with this machine's resolver may take: evidence only, kept short. */
    static final Duration SYSTEM_LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    /** The most lookups at once (a pool resolves its members concurrently); more run on the caller's thread. */
    static final int LOOKUP_THREADS = 32;

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService LOOKUPS = new ThreadPoolExecutor(0, LOOKUP_THREADS, 1, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "gateway-check-dns-" + COUNT.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    private DnsCheck() {
    }

    /** Every address of the backend host; empty (with a finding) when it does not resolve. */
    public static List<InetAddress> resolve(RunContext ctx, String host) {
        long start = System.nanoTime();
        String label = ctx.plan().backend().getScheme() + "://" + host + ":" + ctx.plan().port();
        try {
            List<InetAddress> addresses;
            if (Text.isIpLiteral(host)) {
                addresses = List.of(InetAddress.getByName(host));
            } else {
                Future<List<InetAddress>> f = LOOKUPS.submit(() -> ctx.plan().resolver().resolve(host));
                try {
                    addresses = f.get(ctx.deadline().cap(LOOKUP_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    ctx.observe(ConnectRules.of(seen(ctx, label, host, start, Lookup.TIMED_OUT, null)));
                    return List.of();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof UnknownHostException u ? u
                            : new UnknownHostException(host + ": " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            ctx.dnsTime(Duration.ofNanos(System.nanoTime() - start));
            if (addresses == null || addresses.isEmpty()) {
                throw new UnknownHostException(host + ": no addresses");
            }
            return List.copyOf(addresses);
        } catch (UnknownHostException e) {
            ctx.observe(ConnectRules.of(seen(ctx, label, host, start, Lookup.UNKNOWN_HOST, e.getMessage())));
            return List.of();
        }
    }

    private static DnsSeen seen(RunContext ctx, String label, String host, long start, Lookup lookup, String error) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new DnsSeen(label, host, ctx.plan().resolver().toString(), lookup, error, elapsed, LOOKUP_TIMEOUT,
                systemAnswer(ctx, host));
    }

    /**
     * What this machine's resolver answers for {@code host} when the plan uses another resolver (a custom DNS, a
     * static map), for comparison in evidence; null when the plan uses the system resolver.
     */
    static String systemAnswer(RunContext ctx, String host) {
        if (ctx.plan().resolver() == dev.gatewaycheck.NameResolver.system()) {
            return null;
        }
        Future<List<InetAddress>> f = LOOKUPS.submit(() -> dev.gatewaycheck.NameResolver.system().resolve(host));
        try {
            List<InetAddress> a = f.get(ctx.deadline().cap(SYSTEM_LOOKUP_TIMEOUT).toMillis(),
                    TimeUnit.MILLISECONDS);
            return a.stream().map(InetAddress::getHostAddress).toList().toString();
        } catch (ExecutionException e) {
            return "does not resolve (" + e.getCause().getMessage() + ")";
        } catch (TimeoutException e) {
            f.cancel(true);
            return "no answer within " + Text.duration(SYSTEM_LOOKUP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

}
