package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times, side by side in one run, the whole-process TLS check of gateway-check (JVM start included) and
 * {@code testssl.sh -S} against the same local nginx (Debian package) serving a leaf + intermediate chain, and
 * prints the ratio. The budget: gateway-check at least 20 times faster.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.TlsVsTestssl [runs]
 * }</pre>
 *
 * <p>gateway-check is run as {@code java -jar gateway-check.jar --checks tls URL} when that jar has the
 * command-line tool, else as {@code java -cp <this class path> ...TlsOnly URL}. testssl is {@code testssl.sh} or
 * {@code testssl} (the Debian package's name) from the PATH. Exit status 0 when the ratio is at least 20.
 */
public final class TlsVsTestssl {
    private static final double TARGET = 20.0;

    private TlsVsTestssl() {
    }

    /** Runs the comparison; the optional argument is the number of runs of each tool (default 3). */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        String testssl = onPath("testssl.sh", "testssl");
        if (testssl == null) {
            System.err.println("testssl.sh is not installed: apt-get install testssl.sh");
            new Row("java -jar --checks tls vs testssl.sh -S (whole processes)", "not measured",
                    "testssl.sh is not installed", "-", ">= 20x faster", "-").print();
            System.exit(2);
        }
        Held root = TestCertificates.ca("Bench Root").build();
        Held inter = TestCertificates.intermediate("Bench Intermediate", root).build();
        Held leaf = TestCertificates.leaf("www.example.test", inter).build();
        boolean pass;
        try (Nginx nginx = Nginx.serving(leaf, inter)) {
            List<String> ours = gatewayCheckCommand(nginx.url());
            List<String> theirs = List.of(testssl, "-S", "--quiet", "--color", "0", "--warnings", "off",
                    "127.0.0.1:" + nginx.port());
            System.out.println("backend: " + nginx.url() + " (nginx " + nginxVersion() + ", pid " + nginx.pid()
                    + "), chain " + leaf.certificate().getSubjectX500Principal() + " + "
                    + inter.certificate().getSubjectX500Principal());
            System.out.println("gateway-check: " + String.join(" ", ours));
            System.out.println("testssl:       " + String.join(" ", theirs));
            time(ours, 1);  // warm the page cache once; not counted
            List<Double> a = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                a.add(time(ours, 60));
                b.add(time(theirs, 600));
            }
            double ma = median(a);
            double mb = median(b);
            double ratio = mb / ma;
            System.out.printf(Locale.ROOT, "gateway-check runs %s s, median %.3f s%n", fmt(a), ma);
            System.out.printf(Locale.ROOT, "testssl -S    runs %s s, median %.3f s%n", fmt(b), mb);
            System.out.printf(Locale.ROOT, "ratio testssl / gateway-check = %.1fx (target >= %.0fx): %s%n", ratio,
                    TARGET, ratio >= TARGET ? "PASS" : "FAIL");
            pass = ratio >= TARGET;
            Row.of("java -jar --checks tls vs testssl.sh -S (whole processes)", String.format(Locale.ROOT,
                    "%.3f s", ma), String.format(Locale.ROOT, "%.3f s testssl", mb), Row.ratio(ratio) + " faster",
                    ">= 20x faster", pass).print();
        }
        System.exit(pass ? 0 : 1);
    }

    private static List<String> gatewayCheckCommand(String url) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path jar = Path.of("examples", "target", "gateway-check.jar");
        if (Files.exists(jar) && hasCli(jar)) {
            return List.of(java, "-jar", jar.toString(), "--checks", "tls", url);
        }
        return List.of(java, "-cp", System.getProperty("java.class.path"), TlsOnly.class.getName(), url);
    }

    private static boolean hasCli(Path jar) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
            return z.getEntry("dev/gatewaycheck/examples/cli/Main.class") != null;
        }
    }

    /** Wall time of one run of {@code command} in seconds, output discarded; bounded by {@code maxSeconds}. */
    private static double time(List<String> command, int maxSeconds) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(maxSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(command.get(0) + " did not finish within " + maxSeconds + " s");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> xs) {
        List<String> out = new ArrayList<>();
        for (double x : xs) {
            out.add(String.format(Locale.ROOT, "%.3f", x));
        }
        return String.join(" ", out);
    }

    private static String onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : names) {
                Path p = Path.of(dir, n);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    private static String nginxVersion() {
        try {
            Process p = new ProcessBuilder(Nginx.BINARY.toString(), "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Arrays.stream(out.split("/")).reduce((x, y) -> y).orElse(out);
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
