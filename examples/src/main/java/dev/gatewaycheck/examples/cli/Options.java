package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The parsed command line. Bad usage throws {@link UsageException} with a one-line reason. */
/**
 * The parsed command line; {@code timeout} is null for the library default, {@code profile} null when not given.
 * {@code urls} holds the positional URLs: one backend, the pool's members ({@code --pool}) or the backends behind
 * the front door ({@code --front-door}).
 */
record Options(List<String> urls, String host, GatewayProfile profile, Path ca, Set<Check> checks, Duration timeout,
               boolean json, boolean help, boolean pool, String frontDoor) {

    /** The single backend URL, or null (the demo). */
    String url() {
        return urls.isEmpty() ? null : urls.get(0);
    }

    /** The profile given, or the generic one. */
    GatewayProfile profileOrGeneric() {
        return profile == null ? GatewayProfile.GENERIC : profile;
    }

    /** Bad usage: exit 2 with this one-line reason. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String... args) throws UsageException {
        String host = null;
        GatewayProfile profile = null;
        boolean pool = false;
        String frontDoor = null;
        Path ca = null;
        Set<Check> checks = EnumSet.noneOf(Check.class);
        Duration timeout = null;
        boolean json = false;
        boolean help = false;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h":
                case "--help":
                    help = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "--pool":
                    pool = true;
                    break;
                case "--front-door":
                    frontDoor = value != null ? value : next(args, ++i, a);
                    break;
                case "--host":
                    host = value != null ? value : next(args, ++i, a);
                    break;
                case "--profile":
                    try {
                        profile = GatewayProfile.named(value != null ? value : next(args, ++i, a));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--profile: " + e.getMessage());
                    }
                    break;
                case "--ca":
                    ca = Path.of(value != null ? value : next(args, ++i, a));
                    break;
                case "--checks":
                    for (String c : (value != null ? value : next(args, ++i, a)).split(",")) {
                        try {
                            checks.add(Check.parse(c));
                        } catch (IllegalArgumentException e) {
                            throw new UsageException("--checks: " + e.getMessage());
                        }
                    }
                    break;
                case "--timeout":
                    timeout = duration(value != null ? value : next(args, ++i, a));
                    break;
                default:
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    rest.add(a);
            }
        }
        if (pool && frontDoor != null) {
            throw new UsageException("--pool and --front-door exclude each other");
        }
        if (!pool && frontDoor == null && rest.size() > 1) {
            throw new UsageException("one URL at most, got " + rest + " (use --pool for a pool's members)");
        }
        if (frontDoor != null && host != null) {
            throw new UsageException("--host is not used with --front-door: the backends get the front door's host");
        }
        return new Options(List.copyOf(rest), host, profile, ca, checks, timeout, json, help, pool, frontDoor);
    }

    private static String next(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 {@code PT30S}; positive. */
    static Duration duration(String text) throws UsageException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                double seconds = Double.parseDouble(t.substring(0, t.length() - 1));
                if (!Double.isFinite(seconds) || Math.abs(seconds) > 1e9) {
                    throw new UsageException("--timeout must be at most 7 days, got '" + text + "'");
                }
                d = Duration.ofMillis(Math.round(seconds * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
        } catch (ArithmeticException e) {
            throw new UsageException("--timeout must be at most 7 days, got '" + text + "'");
        } catch (RuntimeException e) {
            throw new UsageException("--timeout must look like 30s, 500ms or 2m, got '" + text + "'");
        }
        if (d.isNegative() || d.isZero()) {
            throw new UsageException("--timeout must be positive, got '" + text + "'");
        }
        if (d.compareTo(Duration.ofDays(7)) > 0) {
            throw new UsageException("--timeout must be at most 7 days, got '" + text + "'");
        }
        return d;
    }

    static String helpText() {
        StringBuilder profiles = new StringBuilder();
        for (GatewayProfile p : GatewayProfile.presets()) {
            profiles.append(String.format(Locale.ROOT, "      %-16s %s%n", p.id(), p.name()));
        }
        return "Usage: java -jar gateway-check.jar [options] [URL]\n"
                + "       java -jar gateway-check.jar [options] --pool URL...\n"
                + "       java -jar gateway-check.jar [options] --front-door URL [BACKEND-URL...]\n"
                + "\n"
                + "Tells why a gateway (reverse proxy, load balancer, CDN) answers 502 for the backend at URL,\n"
                + "by connecting to it the way the gateway would. With no URL, starts a set of misbehaving\n"
                + "backends on 127.0.0.1 and diagnoses each (an offline demo).\n"
                + "\n"
                + "Options:\n"
                + "  --host H          Host header, SNI and certificate name to claim (default: the URL's host)\n"
                + "  --profile NAME    the gateway whose limits judge the findings (default: generic):\n"
                + profiles
                + "  --ca PEM          the gateway's trusted root(s) or authentication certificate(s), PEM file\n"
                + "  --checks LIST     comma-separated: probe,keepalive,tls (default: all)\n"
                + "  --timeout D       overall deadline, e.g. 30s, 500ms, 2m (default: 30s, or longer when a check\n"
                + "                    needs it: probe waits the profile's request timeout + 5s, keepalive its\n"
                + "                    idle timeout + 15s)\n"
                + "  --json            print the report as JSON (only that) on stdout\n"
                + "  --pool            the URLs are one pool's members: checked concurrently, judged as a pool\n"
                + "                    (empty pool, all or some members unhealthy)\n"
                + "  --front-door URL  request the public URL, tell which product answered an error, then check\n"
                + "                    the URLs given as its backends directly with its Host (which hop fails?)\n"
                + "  -h, --help        this help\n"
                + "\n"
                + "Exit status: 0 healthy (no ERROR finding, run complete), 1 an ERROR finding or an incomplete\n"
                + "run, 2 bad usage. With --front-door, 0 when neither the front door nor a backend has an ERROR.\n"
                + "Example: java -jar gateway-check.jar --host www.contoso.com --profile azure-v2 https://10.0.0.4\n";
    }
}
