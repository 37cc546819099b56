package dev.gatewaycheck.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Assertions on reports that also record which causes the test suite produced against real servers, so that
 * {@code CauseCoverageCheck} can fail when a {@link Cause} constant is produced by no test.
 */
public final class Expect {
    /** Where produced causes are recorded (one empty file per cause id). */
    public static final Path PRODUCED = Path.of(System.getProperty("gatewaycheck.causes.dir",
            "target/causes-produced"));

    private Expect() {
    }

    /** Asserts the report has a finding with {@code cause}, records it, and returns the finding. */
    public static Finding finding(Report report, Cause cause) {
        ReportSchema.valid(report);
        List<Finding> found = report.findings(cause);
        if (found.isEmpty()) {
            fail("Expecting a " + cause + " finding but the report was:\n" + report);
        }
        record(cause);
        return found.get(0);
    }

    /** Asserts the finding with {@code cause} has this severity. */
    public static Finding finding(Report report, Cause cause, Severity severity) {
        Finding f = finding(report, cause);
        if (f.severity() != severity) {
            fail("Expecting " + cause + " as " + severity + " but was " + f.severity() + " in:\n" + report);
        }
        return f;
    }

    /**
     * Asserts the finding's evidence has {@code key} and returns its value as text; {@code chain[1].subject} reads
     * a field of the second object of the list {@code chain}.
     */
    public static String evidence(Finding f, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+)\\[(\\d+)]\\.(\\w+)").matcher(key);
        Evidence ev = f.evidence();
        String k = key;
        if (m.matches()) {
            Object list = ev.value(m.group(1)).orElse(List.of());
            int i = Integer.parseInt(m.group(2));
            ev = list instanceof List<?> l && i < l.size() ? (Evidence) l.get(i) : Evidence.EMPTY;
            k = m.group(3);
        }
        Evidence in = ev;
        String name = k;
        assertTrue(in.has(name), () -> "Expecting evidence '" + key + "' in " + f + " " + f.evidence());
        return in.get(name).orElseThrow();
    }

    /** Asserts there is no ERROR or WARNING finding. */
    public static void noErrorOrWarning(Report report) {
        ReportSchema.valid(report);
        boolean bad = report.findings().stream().anyMatch(f -> f.severity() != Severity.INFO);
        if (bad) {
            fail("Expecting no ERROR or WARNING finding but the report was:\n" + report);
        }
    }

    /** Records that a test produced {@code cause} against a real server. */
    public static void record(Cause cause) {
        try {
            Files.createDirectories(PRODUCED);
            Path p = PRODUCED.resolve(cause.id());
            if (!Files.exists(p)) {
                Files.writeString(p, "");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot record produced cause " + cause, e);
        }
    }

    /**
     * The PROBE_INTERMITTENT_FAILURE finding of {@code r}, after asserting that its series saw the share of a backend
     * failing one connection in {@code n}: at least 4 probes, of which floor to ceiling of 1/n failed.
     */
    public static Finding oneConnectionIn(Report r, int n) {
        Finding f = finding(r, Cause.PROBE_INTERMITTENT_FAILURE);
        int sent = Integer.parseInt(evidence(f, "probesSent"));
        int failed = Integer.parseInt(evidence(f, "probesFailed"));
        assertTrue(sent >= 4 && failed >= sent / n && failed <= (sent + n - 1) / n,
                () -> f.evidence() + "\n" + r);
        return f;
    }
}
