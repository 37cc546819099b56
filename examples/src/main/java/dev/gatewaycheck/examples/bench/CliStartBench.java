package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The budget "{@code java -jar} with {@code --checks tls,probe} to the first report: at most 1.5x a bare JDK program
 * that makes the same single TLS request, JVM start included", side by side in one run: a real nginx serving TLS
 * with a private CA that both trust, then, interleaved after one uncounted run of each, the wall time of
 * {@code java -jar gateway-check.jar --checks tls,probe --ca ca.pem URL} (it prints its report when the check ends
 * and exits) and of {@code java -cp gateway-check-bench.jar ...BareTlsRequest URL ca.pem} (JDK classes only). When the
 * AppCDS archive the package step builds ({@code examples/target/gateway-check.jsa}) exists, the CLI is also timed
 * with the archive alone and with the documented launcher
 * {@code java -XX:SharedArchiveFile=examples/target/gateway-check.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar ...}.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.CliStartBench [runs]
 * }</pre>
 */
public final class CliStartBench {
    static final double BUDGET = 1.5;

    private CliStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (runs < 1 || runs > 200) {
            throw new IllegalArgumentException("runs must be 1-200, got " + runs);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path bench = jar();
        Path jar = bench.resolveSibling("gateway-check.jar");
        Path archive = bench.resolveSibling("gateway-check.jsa");
        if (!Nginx.installed()) {
            new Row("java -jar --checks tls,probe vs bare JDK TLS request", "not measured",
                    "nginx is not installed", "-", "<= 1.50x", "MISSED").print();
            return;
        }
        Path dir = Files.createTempDirectory("gatewaycheck-clistart");
        Held ca = TestCertificates.ca("Bench Root CA").build();
        Held leaf = TestCertificates.leaf("localhost", ca).sans("localhost").ipSans("127.0.0.1").build();
        Path pem = TestCertificates.writePem(dir.resolve("ca.pem"), ca.certificate());
        try (Nginx nginx = Nginx.serving(leaf, ca)) {
            String url = nginx.url();
            List<String> ours = List.of(java, "-jar", jar.toString(), "--checks", "tls,probe", "--ca", pem.toString(),
                    url);
            List<String> cds = new ArrayList<>(List.of(java, "-XX:SharedArchiveFile=" + archive));
            cds.addAll(ours.subList(1, ours.size()));
            // the documented launcher: the archive, and the JIT and GC a short-lived program wants
            List<String> launcher = new ArrayList<>(List.of(java, "-XX:SharedArchiveFile=" + archive,
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
            launcher.addAll(ours.subList(1, ours.size()));
            List<String> bare = List.of(java, "-cp", bench.toString(), BareTlsRequest.class.getName(), url,
                    pem.toString());
            boolean withCds = Files.isRegularFile(archive);
            System.out.printf(Locale.ROOT, "machine: %d cores, %s; nginx pid %d%ngateway-check: %s%n%sbare: %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), nginx.pid(),
                    String.join(" ", ours), withCds ? "with AppCDS: " + String.join(" ", cds) + "\nlauncher: "
                            + String.join(" ", launcher) + "\n" : "",
                    String.join(" ", bare));
            time(ours, true);   // uncounted: page cache, nginx worker
            time(bare, true);
            if (withCds) {
                time(cds, true);
                time(launcher, true);
            }
            long[] o = new long[runs];
            long[] b = new long[runs];
            long[] c = new long[runs];
            long[] l = new long[runs];
            for (int i = 0; i < runs; i++) {
                o[i] = time(ours, true);
                b[i] = time(bare, true);
                if (withCds) {
                    c[i] = time(cds, true);
                    l[i] = time(launcher, true);
                }
            }
            double mo = median(o);
            double mb = median(b);
            System.out.printf(Locale.ROOT, "gateway-check runs (ms): %s  median %.0f%n", Arrays.toString(o), mo);
            if (withCds) {
                System.out.printf(Locale.ROOT, "with AppCDS    runs (ms): %s  median %.0f%n", Arrays.toString(c),
                        median(c));
                System.out.printf(Locale.ROOT, "launcher      runs (ms): %s  median %.0f%n", Arrays.toString(l),
                        median(l));
            }
            System.out.printf(Locale.ROOT, "bare          runs (ms): %s  median %.0f%n", Arrays.toString(b), mb);
            Row.of("java -jar --checks tls,probe to the first report vs bare JDK TLS request", Row.ms(mo),
                    Row.ms(mb) + " bare", Row.ratio(mo / mb), "<= 1.50x", mo / mb <= BUDGET).print();
            if (withCds) {
                double mc = median(c);
                new Row("the same with the AppCDS archive (-XX:SharedArchiveFile)", Row.ms(mc), Row.ms(mb) + " bare",
                        Row.ratio(mc / mb), "-", "-").print();
                double ml = median(l);
                Row.of("the same with the documented launcher (AppCDS, C1 only, serial GC)", Row.ms(ml),
                        Row.ms(mb) + " bare", Row.ratio(ml / mb), "<= 1.50x", ml / mb <= BUDGET).print();
            } else {
                new Row("the same with the AppCDS launcher", "not measured", "no " + archive, "-", "-", "-").print();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The jar this class was loaded from (gateway-check-bench.jar, beside gateway-check.jar). */
    static Path jar() throws Exception {
        Path p = Path.of(CliStartBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("run from the jar: java -cp examples/target/gateway-check-bench.jar "
                    + CliStartBench.class.getName());
        }
        return p;
    }

    /** Wall time of the process in ms; it must exit 0. */
    static long time(List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("did not end within 60 s: " + command);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (mustSucceed && p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " (the backend must be healthy and the request must "
                    + "succeed): " + String.join(" ", command));
        }
        return ms;
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
