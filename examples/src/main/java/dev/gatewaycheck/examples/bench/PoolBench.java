package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.PoolCheck;
import dev.gatewaycheck.PoolReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pool budget: pools of healthy loopback members checked with {@code probe()}, as a gateway would probe them:
 * under 20 s wall and 512 MB heap for 10,000 members, no member falsely unhealthy, time per member no worse at
 * 10,000 than at 1,000. The members are {@link PoolBackends}, in a process of their own (one selector thread), so
 * the figure is the checker's, not the servers'. Run with the heap budget as the limit:
 *
 * <pre>{@code
 * java -Xmx512m -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.PoolBench 1000 10000
 * }</pre>
 *
 * Arguments: pool sizes (default 1000 10000), then optionally {@code parallelism=N}. A warm-up pool of 1,000 runs
 * first. Prints one line per pool and the rows of the benchmark table.
 */
public final class PoolBench {
    static final Duration BUDGET_WALL = Duration.ofSeconds(20);
    static final long BUDGET_HEAP_MIB = 512;
    static final int BIG = 10_000;

    private PoolBench() {
    }

    private record Result(int n, double seconds, long peakHeapMiB, PoolReport report) {
        double msPerMember() {
            return seconds * 1000 / n;
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        List<Integer> sizes = new ArrayList<>();
        int parallelism = PoolCheck.DEFAULT_PARALLELISM;
        for (String a : args) {
            if (a.startsWith("parallelism=")) {
                parallelism = Integer.parseInt(a.substring("parallelism=".length()));
            } else {
                sizes.add(Integer.parseInt(a));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1000, BIG);
        }
        int max = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Process backends = startBackends(Math.max(max, 1000));
        try {
            List<String> urls = readPorts(backends, Math.max(max, 1000));
            System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, heap limit %d MiB; members: %d listeners in "
                    + "PoolBackends (pid %d, one selector thread)%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024), urls.size(), backends.pid());
            // warm-up: class loading and JIT of the whole path, not measured
            measure(urls.subList(0, 1000), parallelism, "warm-up");
            List<Result> results = new ArrayList<>();
            for (int n : sizes) {
                results.add(measure(urls.subList(0, n), parallelism, "pool"));
            }
            rows(results);
        } finally {
            backends.getOutputStream().close();   // PoolBackends ends when its standard input closes
            if (!backends.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                backends.destroy();
            }
        }
    }

    private static Result measure(List<String> members, int parallelism, String label) {
        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        PoolReport r = GatewayCheck.forPool(members).probe().parallelism(parallelism)
                .timeout(Duration.ofSeconds(120)).run();
        double wall = (System.nanoTime() - start) / 1e9;
        Result res = new Result(members.size(), wall, peakHeapMiB(), r);
        System.out.printf(Locale.ROOT, "%s of %d: %.2f s wall, %.2f ms per member, peak heap %d MiB, %d healthy, "
                        + "%d unhealthy, %d not examined, concurrency %s%n", label, members.size(), wall,
                res.msPerMember(), res.peakHeapMiB(), r.healthyMembers().size(), r.unhealthyMembers().size(),
                r.notExaminedMembers().size(), r.concurrency());
        if (!r.unhealthyMembers().isEmpty() || !r.notExaminedMembers().isEmpty()) {
            Map<String, Integer> why = new TreeMap<>();
            for (PoolReport.Member m : r.members()) {
                if (m.state() == PoolReport.State.UNHEALTHY) {
                    why.merge("unhealthy: " + m.report().findings().get(0).cause().id(), 1, Integer::sum);
                } else if (m.state() == PoolReport.State.NOT_EXAMINED) {
                    why.merge("not examined: " + m.notExaminedBecause().orElse("?"), 1, Integer::sum);
                }
            }
            why.forEach((k, v) -> System.out.println("  " + v + " x " + k));
        }
        return res;
    }

    private static void rows(List<Result> results) {
        Result big = null;
        Result small = null;
        for (Result r : results) {
            if (r.n() == BIG) {
                big = r;
            } else if (r.n() == 1000) {
                small = r;
            }
        }
        for (Result r : results) {
            String n = String.format(Locale.ROOT, "%,d", r.n());
            boolean wallMet = r.n() != BIG || r.seconds() < BUDGET_WALL.toSeconds();
            new Row("pool of " + n + ": wall", Row.s(r.seconds()), "-", "-", r.n() == BIG ? "< 20 s" : "-",
                    r.n() == BIG ? (wallMet ? "MET" : "MISSED") : "-").print();
            int falselyUnhealthy = r.report().unhealthyMembers().size();
            int notExamined = r.report().notExaminedMembers().size();
            Row.of("pool of " + n + ": members falsely unhealthy", falselyUnhealthy + " (" + notExamined
                    + " not examined)", "-", "-", "0", falselyUnhealthy == 0 && notExamined == 0).print();
            if (r.n() == BIG) {
                Row.of("pool of " + n + ": peak heap", r.peakHeapMiB() + " MiB", "-", "-", "< 512 MiB",
                        r.peakHeapMiB() < BUDGET_HEAP_MIB).print();
            }
        }
        if (big != null && small != null) {
            double ratio = big.msPerMember() / small.msPerMember();
            Row.of("pool: time per member at 10,000 vs 1,000", Row.ms(big.msPerMember()),
                    Row.ms(small.msPerMember()) + " (1,000)", Row.ratio(ratio), "<= 1.00x", ratio <= 1.0).print();
        }
    }

    /** Starts {@link PoolBackends} with this JVM's java and class path. */
    static Process startBackends(int n) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PoolBackends.class.getName(), Integer.toString(n));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    /** The member URLs from the first line PoolBackends prints. */
    static List<String> readPorts(Process p, int n) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line == null || !line.startsWith("ports ")) {
            throw new IOException("PoolBackends did not start: " + line);
        }
        String[] ports = line.substring("ports ".length()).trim().split(" ");
        if (ports.length != n) {
            throw new IOException("PoolBackends listens on " + ports.length + " ports, wanted " + n);
        }
        List<String> urls = new ArrayList<>(n);
        for (String port : ports) {
            urls.add("http://127.0.0.1:" + port);
        }
        return urls;
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
