package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.StatusRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: {@link #parse(String...)} reads the usual, well-formed ones itself ({@link #fast(String...)}) and
 * leaves the rest to picocli ({@link PicocliOptions}: help, version, {@code @file}s, and every usage error in
 * picocli's words), so a common run loads no picocli class, which cost a cold start about 70 ms. Either way it then
 * checks what picocli cannot (combinations, empty lists) and throws {@link UsageException} with a one-line reason;
 * {@code urls} holds the positional URLs: one backend, the pool's members ({@code --pool}) or the backends behind
 * the front door ({@code --front-door}). This class names no picocli type but in {@link #commandLine(Options)}'s
 * descriptor (the JVM's verifier would load the classes a method catches or is checked against).
 */
final class Options {

    /** What to print on stdout. */
    enum Format { TEXT, JSON, JUNIT }

    /** Which findings fail the run (exit 1). */
    enum FailOn { ERROR, WARNING }

    /** The backend, the pool's members or the backends behind --front-door. */
    List<String> urls = new ArrayList<>();
    String host;
    String path;
    GatewayProfile profile;
    Path ca;
    String checksText;
    Duration timeout;
    List<Resolve> resolve = new ArrayList<>();
    String probePath;
    String probeHost;
    String probeStatus;
    String probeBody;
    Duration probeInterval;
    Duration probeTimeout;
    Integer probeThreshold;
    Path clientCert;
    String clientCertPasswordEnv;
    Path clientCertPasswordFile;
    boolean checkRevocation;
    String postProbe;
    FailOn failOn = FailOn.ERROR;
    Format format;
    Boolean jsonFlag;
    boolean quiet;
    boolean nagios;
    boolean pool;
    String frontDoor;

    /** The checks selected (empty: all), after {@link #parse}. */
    Set<Check> checks = EnumSet.noneOf(Check.class);

    /** Bad usage: exit 2 with this one-line reason. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Set by {@link #parse} when --help or --version was asked. */
    boolean help;
    boolean version;

    /** The single backend URL, or null (the demo). */
    String url() {
        return urls.isEmpty() ? null : urls.get(0);
    }

    /** The profile given, or the generic one. */
    GatewayProfile profileOrGeneric() {
        return profile == null ? GatewayProfile.GENERIC : profile;
    }

    /** Whether the report is printed as JSON. */
    boolean json() {
        return format() == Format.JSON;
    }

    /** The output format: --format, else --json, else text. */
    Format format() {
        if (format != null) {
            return format;
        }
        return Boolean.TRUE.equals(jsonFlag) ? Format.JSON : Format.TEXT;
    }

    /** Whether any custom probe option was given. */
    boolean customProbe() {
        return probePath != null || probeHost != null || probeStatus != null || probeBody != null
                || probeInterval != null || probeTimeout != null || probeThreshold != null;
    }

    /**
     * Parses and checks the command line: by {@link #fast(String...)} when it is sure of the arguments, else by picocli
     * ({@link PicocliOptions}), whose help, version and usage errors are then what the tool prints.
     *
     * @throws UsageException with a one-line reason
     */
    static Options parse(String... args) throws UsageException {
        Options o = fast(args);
        if (o == null) {
            o = PicocliOptions.parse(args);
            if (o.help || o.version) {
                return o;
            }
        }
        o.validate();
        return o;
    }

    /**
     * picocli's command line for the options (the tests read its model). Only a call loads picocli: the verifier
     * checks the value returned against the same class name without loading it.
     */
    static picocli.CommandLine commandLine(Options o) {
        return PicocliOptions.commandLine();
    }

    private void validate() throws UsageException {
        if (checksText != null) {
            String[] parts = checksText.split(",", -1);
            for (String c : parts) {
                if (c.isBlank()) {
                    throw new UsageException("--checks must name checks separated by commas (tls, probe, keepalive),"
                            + " got '" + checksText + "'");
                }
                try {
                    checks.add(Check.parse(c));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--checks: " + e.getMessage());
                }
            }
        }
        if (pool && frontDoor != null) {
            throw new UsageException("--pool and --front-door exclude each other");
        }
        if (pool && urls.isEmpty()) {
            throw new UsageException("--pool needs at least one member URL");
        }
        if (!pool && frontDoor == null && urls.size() > 1) {
            throw new UsageException("one URL at most, got " + urls + " (use --pool for a pool's members)");
        }
        if (probeThreshold != null && (probeThreshold < 1 || probeThreshold > MAX_PROBE_THRESHOLD)) {
            throw new UsageException("--probe-threshold must be 1-" + MAX_PROBE_THRESHOLD + ", got " + probeThreshold);
        }
        if (probeStatus != null) {
            statusRanges();
        }
        if (postProbe != null) {
            postProbeBytes();
        }
        if (clientCertPasswordEnv != null && clientCertPasswordFile != null) {
            throw new UsageException("--client-cert-password-env and --client-cert-password-file exclude each other");
        }
        if ((clientCertPasswordEnv != null || clientCertPasswordFile != null) && clientCert == null) {
            throw new UsageException("a client certificate password needs --client-cert P12");
        }
        if (frontDoor != null || pool) {
            String mode = pool ? "--pool" : "--front-door";
            if (clientCert != null) {
                throw new UsageException("--client-cert is not used with " + mode + " (check one backend with it)");
            }
            if (checkRevocation) {
                throw new UsageException("--check-revocation is not used with " + mode + " (check one backend "
                        + "with it)");
            }
            if (postProbe != null) {
                throw new UsageException("--post-probe is not used with " + mode + " (check one backend with it)");
            }
        }
        if (frontDoor != null) {
            if (path != null) {
                throw new UsageException("--path is not used with --front-door: put the path in its URL");
            }
            if (customProbe()) {
                throw new UsageException("--probe-* options are not used with --front-door (the front door's "
                        + "backends are checked with their own profile's probe)");
            }
            if (!checks.isEmpty()) {
                throw new UsageException("--checks is not used with --front-door (its backends get every check)");
            }
        }
        if (urls.isEmpty() && frontDoor == null) {
            // the demo: only the options it uses
            for (String[] given : new String[][] {
                {"--host", host}, {"--path", path}, {"--ca", ca == null ? null : ca.toString()},
                {"--resolve", resolve.isEmpty() ? null : "x"}, {"--client-cert", clientCert == null ? null : "x"},
                {"--probe-*", customProbe() ? "x" : null}, {"--profile", profile == null ? null : "x"},
                {"--nagios", nagios ? "x" : null}, {"--format junit", format == Format.JUNIT ? "x" : null},
                {"--check-revocation", checkRevocation ? "x" : null}, {"--post-probe", postProbe}}) {
                if (given[1] != null) {
                    throw new UsageException(given[0] + " needs a URL (with no URL the tool runs its offline demo)");
                }
            }
        }
    }

    /** The suffix {@code k} of a size: a KiB. */
    private static final long KIB = 1024;
    /** The most consecutive failures --probe-threshold takes: more than any gateway allows (Azure's 20). */
    private static final int MAX_PROBE_THRESHOLD = 100;

    /** The upload size of --post-probe, in bytes: digits with an optional k or m (KiB, MiB) suffix. */
    int postProbeBytes() throws UsageException {
        String v = postProbe.strip().toLowerCase(java.util.Locale.ROOT);
        long unit = v.endsWith("k") ? KIB : v.endsWith("m") ? KIB * KIB : 1;
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        if (!digits.matches("[0-9]{1,9}")) {
            throw new UsageException("--post-probe: '" + postProbe + "' is not a size such as 4m, 512k or 1000");
        }
        long bytes = Long.parseLong(digits) * unit;
        if (bytes < 1 || bytes > dev.gatewaycheck.RequestBody.MAX_BYTES) {
            throw new UsageException("--post-probe: " + postProbe + " is outside 1 byte to 64m");
        }
        return (int) bytes;
    }

    /** The accepted statuses of --probe-status. */
    List<StatusRange> statusRanges() throws UsageException {
        List<StatusRange> ranges = new ArrayList<>();
        for (String r : probeStatus.split(",", -1)) {
            try {
                ranges.add(StatusRange.parse(r));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--probe-status: " + e.getMessage());
            }
        }
        return ranges;
    }

    // ------------------------------------------------------------------------------------------- the fast path

    /**
     * The options that take one value, as {@link PicocliOptions#spec()} declares them (a test holds the two
     * together): {@link #fast(String...)} reads {@code NAME VALUE} and {@code NAME=VALUE}.
     */
    static final List<String> FAST_VALUE_OPTIONS = List.of("--host", "--path", "--profile", "--ca", "--checks",
            "--timeout", "--resolve", "--probe-path", "--probe-host", "--probe-status", "--probe-body",
            "--probe-interval", "--probe-timeout", "--probe-threshold", "--client-cert", "--client-cert-password-env",
            "--client-cert-password-file", "--post-probe", "--fail-on", "--format", "--front-door");

    /**
     * The boolean options (negatable, an optional value), as {@link PicocliOptions#spec()} declares them:
     * {@link #fast(String...)} reads {@code NAME}, {@code --no-NAME} (the long names) and {@code NAME=true|false}.
     */
    static final List<String> FAST_FLAGS = List.of("--check-revocation", "--json", "--quiet", "-q", "--nagios",
            "--pool");

    /**
     * Parses the well-formed command lines without picocli, whose classes (old bytecode, checked by the old verifier)
     * and converters cost a cold start about 70 ms: option values and URLs in any order, {@code --} before URLs only.
     * Gives up (null) on anything it cannot be sure picocli would read the same way, so that picocli then parses it
     * and reports what is wrong as it always has: an option it does not know (among them {@code --help} and {@code
     * --version}), a missing or empty value, a value starting with {@code -} or {@code @}, a value its converter
     * refuses, an {@code @file}, a flag followed by {@code true} or {@code false} (picocli's optional value). Not
     * validated yet ({@link #parse(String...)} does that).
     *
     * @return the options as picocli would parse them, or null to let picocli parse
     */
    static Options fast(String... args) {
        Options o = new Options();
        boolean positionalOnly = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') {
                return null; // picocli reads an @file's lines as arguments
            }
            if (positionalOnly) {
                if (a.equals("--")) {
                    return null;
                }
                o.urls.add(a);
            } else if (a.equals("--")) {
                positionalOnly = true;
            } else if (a.charAt(0) != '-') {
                o.urls.add(a);
            } else {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                String attached = eq < 0 ? null : a.substring(eq + 1);
                if (FAST_VALUE_OPTIONS.contains(name)) {
                    if (attached == null && i + 1 == args.length) {
                        return null;
                    }
                    String value = attached != null ? attached : args[++i];
                    if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@' || !o.fastValue(name,
                            value)) {
                        return null;
                    }
                } else {
                    boolean negated = name.startsWith("--no-");
                    String flag = negated ? "--" + name.substring("--no-".length()) : name;
                    if (!FAST_FLAGS.contains(flag)) {
                        return null;
                    }
                    boolean value;
                    if (attached != null) {
                        if (negated || !isBoolean(attached)) {
                            return null;
                        }
                        value = "true".equalsIgnoreCase(attached);
                    } else if (i + 1 < args.length && isBoolean(args[i + 1])) {
                        return null; // picocli takes it as the flag's value
                    } else {
                        value = !negated;
                    }
                    o.fastFlag(flag, value);
                }
            }
        }
        return o;
    }

    private static boolean isBoolean(String text) {
        return "true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text);
    }

    /** Sets the option's field from its value as picocli's converter would; false when in doubt or refused. */
    private boolean fastValue(String name, String value) {
        try {
            switch (name) {
                case "--host" -> host = value;
                case "--path" -> path = value;
                case "--profile" -> profile = GatewayProfile.named(value);
                case "--ca" -> ca = Path.of(value);
                case "--checks" -> checksText = value;
                case "--timeout" -> timeout = Durations.parse(value);
                case "--resolve" -> resolve.add(Resolve.parse(value));
                case "--probe-path" -> probePath = value;
                case "--probe-host" -> probeHost = value;
                case "--probe-status" -> probeStatus = value;
                case "--probe-body" -> probeBody = value;
                case "--probe-interval" -> probeInterval = Durations.parse(value);
                case "--probe-timeout" -> probeTimeout = Durations.parse(value);
                case "--probe-threshold" -> probeThreshold = Integer.valueOf(digits(value));
                case "--client-cert" -> clientCert = Path.of(value);
                case "--client-cert-password-env" -> clientCertPasswordEnv = value;
                case "--client-cert-password-file" -> clientCertPasswordFile = Path.of(value);
                case "--post-probe" -> postProbe = value;
                case "--fail-on" -> failOn = constant(FailOn.values(), value);
                case "--format" -> format = constant(Format.values(), value);
                case "--front-door" -> frontDoor = value;
                default -> {
                    return false;
                }
            }
        } catch (RuntimeException e) {
            return false; // the converter refused it: picocli says so in its words
        }
        return true;
    }

    /** Sets the flag's field. */
    private void fastFlag(String name, boolean value) {
        switch (name) {
            case "--check-revocation" -> checkRevocation = value;
            case "--json" -> jsonFlag = value;
            case "--quiet", "-q" -> quiet = value;
            case "--nagios" -> nagios = value;
            case "--pool" -> pool = value;
            default -> throw new IllegalStateException("no field for " + name);
        }
    }

    /** The text when it is 1-9 ASCII digits (an int without sign or overflow). */
    private static String digits(String text) {
        if (text.isEmpty() || text.length() > 9) {
            throw new NumberFormatException(text);
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new NumberFormatException(text);
            }
        }
        return text;
    }

    /** The constant named by the text in any case (ASCII letters only, so that no locale's case rules matter). */
    private static <E extends Enum<E>> E constant(E[] constants, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                throw new IllegalArgumentException(text);
            }
        }
        for (E c : constants) {
            if (c.name().equalsIgnoreCase(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException(text);
    }
}
