package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import java.io.PrintStream;

/**
 * The command-line tool: {@code java -jar gateway-check.jar [options] [URL]}. Exit status 0 when healthy, 1 when
 * any finding is an ERROR, 2 on bad usage. With no URL it runs the offline {@link Demo}.
 */
public final class Main {

    /** Exit status: no ERROR finding. */
    public static final int HEALTHY = 0;
    /** Exit status: at least one ERROR finding. */
    public static final int UNHEALTHY = 1;
    /** Exit status: bad usage. */
    public static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the tool and returns the exit status (for tests). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            return usage(err, e.getMessage());
        }
        if (o.help()) {
            out.print(Options.helpText());
            return HEALTHY;
        }
        if (o.frontDoor() != null) {
            return frontDoor(out, err, o);
        }
        if (o.pool()) {
            return pool(out, err, o);
        }
        if (o.url() == null) {
            return Demo.run(out, o);
        }
        GatewayCheck check;
        try {
            check = GatewayCheck.forBackend(o.url()).against(o.profileOrGeneric())
                    .checks(o.checks().toArray(new Check[0]));
            if (o.timeout() != null) {
                check = check.timeout(o.timeout());
            }
            if (o.host() != null) {
                check = check.withHost(o.host());
            }
            if (o.ca() != null) {
                check = check.trusting(o.ca());
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        Report report = check.run();
        out.println(o.json() ? report.toJson() : report.toString());
        return report.isHealthy() ? HEALTHY : UNHEALTHY;
    }

    private static int pool(PrintStream out, PrintStream err, Options o) {
        dev.gatewaycheck.PoolCheck check;
        try {
            check = GatewayCheck.forPool(o.urls()).against(o.profileOrGeneric())
                    .checks(o.checks().toArray(new Check[0]));
            if (o.host() != null) {
                check = check.withHost(o.host());
            }
            if (o.timeout() != null) {
                check = check.timeout(o.timeout());
            }
            if (o.ca() != null) {
                check = check.trusting(o.ca());
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        dev.gatewaycheck.PoolReport report = check.run();
        out.println(o.json() ? report.toJson() : report.toString());
        return report.isHealthy() ? HEALTHY : UNHEALTHY;
    }

    private static int frontDoor(PrintStream out, PrintStream err, Options o) {
        dev.gatewaycheck.FrontendCheck check;
        try {
            check = GatewayCheck.forFrontend(o.frontDoor()).withBackends(o.urls().toArray(new String[0]));
            if (o.profile() != null) {
                check = check.against(o.profile());
            }
            if (o.ca() != null) {
                check = check.trusting(o.ca());
            }
            if (o.timeout() != null) {
                check = check.timeout(o.timeout());
            }
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        dev.gatewaycheck.FrontendReport report = check.run();
        out.println(o.json() ? report.toJson() : report.toString());
        return report.isHealthy() ? HEALTHY : UNHEALTHY;
    }

    private static int usage(PrintStream err, String reason) {
        err.println("gateway-check: " + reason);
        err.println();
        err.print(Options.helpText());
        return USAGE;
    }
}
