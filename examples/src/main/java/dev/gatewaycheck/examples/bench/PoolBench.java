package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.testkit.FaultServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pool budget: a pool of {@code N} (default 1,000) healthy loopback backends checked with {@code probe()}, as a
 * gateway would probe them; prints wall time and peak heap. Run with the heap budget as the limit:
 *
 * <pre>{@code
 * java -Xmx256m -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.PoolBench 1000
 * }</pre>
 */
public final class PoolBench {

    private PoolBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : dev.gatewaycheck.PoolCheck.DEFAULT_PARALLELISM;
        List<FaultServer> servers = new ArrayList<>(n);
        try {
            List<String> members = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                FaultServer s = FaultServer.plain(FaultServer.ok());
                servers.add(s);
                members.add(s.url());
            }
            // warm-up on a small pool, so the figure is the check, not class loading
            GatewayCheck.forPool(members.subList(0, Math.min(20, n))).probe().run();
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            PoolReport r = GatewayCheck.forPool(members).probe().parallelism(parallelism).run();
            long wall = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "pool of %d loopback backends, probe(): %.2f s wall, peak heap %d MiB, "
                    + "%d healthy, %d unhealthy, %d cores, parallelism %d%n", n, wall / 1e9, peakHeapMiB(),
                    r.healthyMembers().size(), r.unhealthyMembers().size(),
                    Runtime.getRuntime().availableProcessors(), parallelism);
        } finally {
            servers.forEach(FaultServer::close);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (1024 * 1024);
    }
}
