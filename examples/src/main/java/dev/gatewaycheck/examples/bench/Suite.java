package dev.gatewaycheck.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every benchmark, one after the other, each in a JVM of its own (so one's JIT and heap do not help or hurt the
 * next), then one table: what was measured, the figure, the floor or peer it is held against, the ratio, the budget
 * and the verdict. Each benchmark's own output is kept in {@code target/bench/NAME.log}. Exit status 0 when every
 * budget is met, 1 otherwise.
 *
 * <pre>{@code
 * examples/bench/run-all.sh            # builds the jar when missing, then runs this
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.Suite [--quick]
 * }</pre>
 *
 * {@code --quick} runs fewer rounds (a smoke run; its figures are not the documented ones).
 */
public final class Suite {

    private record Bench(String name, List<String> jvmFlags, Class<?> main, List<String> args, int maxSeconds) {
    }

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        List<Bench> benches = List.of(
                new Bench("tls-probe-vs-bare", List.of(), TlsCheckVsBareSslSocketBench.class,
                        List.of(quick ? "30" : "200"), 600),
                new Bench("full-check", List.of(), FullCheckBench.class, List.of(), 300),
                new Bench("keep-alive-verdict", List.of(), KeepAliveVerdictBench.class, List.of(quick ? "1" : "3"),
                        600),
                new Bench("pool", List.of("-Xmx512m"), PoolBench.class, List.of("1000", "10000"), 900),
                new Bench("cli-start", List.of(), CliStartBench.class, List.of(quick ? "3" : "10"), 900),
                new Bench("tls-vs-testssl", List.of(), TlsVsTestssl.class, List.of(quick ? "1" : "3"), 900));
        Path logs = Path.of("target", "bench");
        Files.createDirectories(logs);
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "gateway-check benchmarks, %s: %d cores, %s %s, %s %s; load average at start %s%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
                loadAverage());
        List<Row> rows = new ArrayList<>();
        for (Bench b : benches) {
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(b.jvmFlags());
            cmd.addAll(List.of("-cp", cp, b.main().getName()));
            cmd.addAll(b.args());
            Path log = logs.resolve(b.name() + ".log");
            out.printf(Locale.ROOT, "running %-20s (%s) ...%n", b.name(), log);
            long t0 = System.nanoTime();
            List<Row> got = run(cmd, log, b.maxSeconds());
            if (got.isEmpty()) {
                got = List.of(new Row(b.name(), "no figure", "see " + log, "-", "-", "MISSED"));
            }
            out.printf(Locale.ROOT, "  %d row(s) in %.0f s%n", got.size(), (System.nanoTime() - t0) / 1e9);
            rows.addAll(got);
        }
        out.printf(Locale.ROOT, "%nload average at end %s%n%n", loadAverage());
        out.print(table(rows));
        boolean allMet = rows.stream().noneMatch(r -> r.verdict().equals("MISSED"));
        out.println(allMet ? "\nevery budget met" : "\nsome budgets missed");
        System.exit(allMet ? 0 : 1);
    }

    /** Runs one benchmark, its output to {@code log}; returns the rows it printed. */
    private static List<Row> run(List<String> cmd, Path log, int maxSeconds) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try (PrintStream file = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
             BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                     StandardCharsets.UTF_8))) {
            file.println("$ " + String.join(" ", cmd));
            Thread killer = new Thread(() -> {
                try {
                    if (!p.waitFor(maxSeconds, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-timeout");
            killer.setDaemon(true);
            killer.start();
            for (String line; (line = in.readLine()) != null;) {
                file.println(line);
                Row r = Row.parse(line);
                if (r != null) {
                    rows.add(r);
                }
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return rows;
    }

    /** The rows as a Markdown table. */
    static String table(List<Row> rows) {
        String[] head = {"measured", "figure", "floor / peer", "ratio", "budget", "verdict"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (Row r : rows) {
            String[] f = fields(r);
            for (int i = 0; i < f.length; i++) {
                w[i] = Math.max(w[i], f[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, head, w);
        String[] rule = new String[head.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(w[i]);
        }
        line(b, rule, w);
        for (Row r : rows) {
            line(b, fields(r), w);
        }
        return b.toString();
    }

    private static String[] fields(Row r) {
        return new String[] {r.name(), r.figure(), r.floor(), r.ratio(), r.budget(), r.verdict()};
    }

    private static void line(StringBuilder b, String[] f, int[] w) {
        b.append('|');
        for (int i = 0; i < f.length; i++) {
            b.append(' ').append(f[i]).append(" ".repeat(w[i] - f[i].length())).append(" |");
        }
        b.append('\n');
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0] + " "
                    + Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[1];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
