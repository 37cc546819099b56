package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.examples.cli.Options.FailOn;
import dev.gatewaycheck.examples.cli.Options.Format;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line as picocli parses it, from a model built in code ({@link #spec()}, one {@code option(...)} per
 * option, in help order) rather than from annotations: a cold start reflects on no annotations or generic types.
 * {@link Options#parse(String...)} comes here only when its own fast path cannot be sure of the arguments (help,
 * version, an {@code @file}, anything odd or wrong), so picocli's help, version and usage errors are what they always
 * were, and its classes are loaded only then. Only this class and {@link Resolve.Converter} use picocli's types:
 * {@link Options} must not, since the JVM's verifier loads the classes its methods catch or are checked against (it
 * names one only as the return type of {@link Options#commandLine(Options)}, which loads nothing until called).
 */
final class PicocliOptions {

    private PicocliOptions() {
    }

    /** The options, their types, converters and help, in the order the help lists them. */
    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create().name("gateway-check").versionProvider(new Version());
        spec.usageMessage().sortOptions(false).width(110).synopsisHeading("")
                .customSynopsis(
                        "Usage: java -jar gateway-check.jar [options] [--] [URL]",
                        "       java -jar gateway-check.jar [options] --pool [--] URL...",
                        "       java -jar gateway-check.jar [options] --front-door URL [--] [BACKEND-URL...]",
                        "       java -jar gateway-check.jar serve --config FILE [--listen ADDRESS:PORT]   (see serve "
                                + "--help)")
                .description("",
                        "Tells why a gateway (reverse proxy, load balancer, CDN) answers 502 for the backend at URL, "
                                + "by connecting",
                        "to it the way the gateway would. With no URL, starts a set of misbehaving backends on "
                                + "127.0.0.1 and",
                        "diagnoses each (an offline demo).", "", "Options:");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("URL").arity("0..*").hidden(true)
                .type(List.class).auxiliaryTypes(String.class).description("the backend (or the pool's members, or "
                        + "the backends behind --front-door), e.g. https://10.0.0.4:8443/health").build());
        option(spec, "--host", "H", String.class, "Host header, SNI and certificate name to claim (default: the "
                + "URL's host); with --front-door, the front door's name when its URL is an address");
        option(spec, "--path", "P", String.class, "request path (and query) to forward, e.g. /api/health (default: "
                + "the URL's path, or /)");
        spec.addOption(OptionSpec.builder("--profile").paramLabel("NAME").type(GatewayProfile.class)
                .converters(new ProfileConverter()).description("the gateway whose limits judge the findings "
                        + "(default: generic; --front-door: the product identified); one of the profiles listed "
                        + "below").build());
        option(spec, "--ca", "PEM", Path.class, "the gateway's trusted root(s) or authentication certificate(s), PEM "
                + "or DER file");
        option(spec, "--checks", "LIST", String.class, "comma-separated: probe,keepalive,tls (default: all)");
        duration(spec, "--timeout", "overall deadline, e.g. 30s, 500ms, 2m (default: 30s, or longer when a check "
                + "needs it: probe waits the profile's request timeout + 5s, keepalive its idle timeout + 15s; "
                + "--front-door: the front door's request timeout + 5s plus what the backend checks need, 55s for "
                + "generic)");
        spec.addOption(OptionSpec.builder("--resolve").paramLabel("HOST:PORT:ADDR").type(List.class)
                .auxiliaryTypes(Resolve.class).converters(new Resolve.Converter()).description("connect to ADDR "
                        + "(IPv4, [IPv6], or several, comma-separated) for HOST:PORT, as curl's --resolve; the name "
                        + "is still sent (Host, SNI); repeatable").build());
        option(spec, "--probe-path", "P", String.class, "custom health probe: its path (default: the profile's "
                + "probe)");
        option(spec, "--probe-host", "H", String.class, "custom health probe: its Host header");
        option(spec, "--probe-status", "RANGES", String.class, "custom health probe: accepted statuses, e.g. "
                + "200-399 or 200,204");
        option(spec, "--probe-body", "TEXT", String.class, "custom health probe: text the body must contain");
        duration(spec, "--probe-interval", "custom health probe: time between probes");
        duration(spec, "--probe-timeout", "custom health probe: how long it waits");
        option(spec, "--probe-threshold", "N", Integer.class, "custom health probe: consecutive failures that mark "
                + "the backend unhealthy (1-100)");
        option(spec, "--client-cert", "P12", Path.class, "the client certificate the gateway presents (mTLS), a "
                + "PKCS#12 file; its password comes from the environment variable GATEWAY_CHECK_CLIENT_CERT_PASSWORD,"
                + " --client-cert-password-env or --client-cert-password-file, never from the command line");
        option(spec, "--client-cert-password-env", "VAR", String.class, "the environment variable holding the "
                + "PKCS#12 password");
        option(spec, "--client-cert-password-file", "FILE", Path.class, "a file whose first line is the PKCS#12 "
                + "password");
        flag(spec, "--check-revocation", boolean.class, "also check certificate revocation (OCSP, CRL) at the "
                + "certificates' own URLs (default: off; needs network access beyond the backend)");
        option(spec, "--post-probe", "SIZE", String.class, "also forward the request as an upload of SIZE bytes (e.g."
                + " 4m, 512k, 1000) with Expect: 100-continue, to find interim and early responses and a backend "
                + "that does not read the request (default: off; a few MiB find an unread request)");
        option(spec, "--fail-on", "SEVERITY", FailOn.class, "exit 1 on an ERROR finding (error, the default) or on "
                + "any WARNING too (warning)");
        option(spec, "--format", "FORMAT", Format.class, "text (default), json or junit (JUnit XML: one test case per"
                + " check, one failure per ERROR finding)");
        flag(spec, "--json", Boolean.class, "same as --format json");
        flag(spec, "--quiet", boolean.class, "print nothing on stdout: the exit status is the answer", "-q");
        flag(spec, "--nagios", boolean.class, "Nagios/Icinga plugin output: one line with performance data, exit 0 "
                + "OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for bad usage)");
        flag(spec, "--pool", boolean.class, "the URLs are one pool's members: checked concurrently, judged as a pool "
                + "(empty pool, all or some members unhealthy)");
        option(spec, "--front-door", "URL", String.class, "request the public URL, tell which product answered an "
                + "error, then check the URLs given as its backends directly with its Host (which hop fails?)");
        // picocli's standard help options, built here: its mixin for them is an annotated class
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
                .description("Print version information and exit.").build());
        return spec;
    }

    private static void option(CommandSpec spec, String name, String label, Class<?> type, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel(label).type(type).description(description).build());
    }

    private static void duration(CommandSpec spec, String name, String description) {
        spec.addOption(OptionSpec.builder(name).paramLabel("D").type(Duration.class)
                .converters(new DurationConverter()).description(description).build());
    }

    /** A boolean option that also takes {@code --no-NAME} and {@code NAME=BOOL}. */
    private static void flag(CommandSpec spec, String name, Class<?> type, String description, String... alias) {
        String[] names = Arrays.copyOf(alias, alias.length + 1);
        names[alias.length] = name;
        spec.addOption(OptionSpec.builder(names).negatable(true).arity("0..1").fallbackValue("true")
                .paramLabel("BOOL").type(type).description(description).build());
    }

    /** Copies what was parsed into the fields; an option not given keeps the field's initial value. */
    private static void read(Options o, ParseResult r) {
        List<String> given = r.matchedPositionalValue(0, null);
        o.urls = given == null ? new ArrayList<>() : new ArrayList<>(given);
        o.host = r.matchedOptionValue("--host", o.host);
        o.path = r.matchedOptionValue("--path", o.path);
        o.profile = r.matchedOptionValue("--profile", o.profile);
        o.ca = r.matchedOptionValue("--ca", o.ca);
        o.checksText = r.matchedOptionValue("--checks", o.checksText);
        o.timeout = r.matchedOptionValue("--timeout", o.timeout);
        o.resolve = new ArrayList<>(r.matchedOptionValue("--resolve", o.resolve));
        o.probePath = r.matchedOptionValue("--probe-path", o.probePath);
        o.probeHost = r.matchedOptionValue("--probe-host", o.probeHost);
        o.probeStatus = r.matchedOptionValue("--probe-status", o.probeStatus);
        o.probeBody = r.matchedOptionValue("--probe-body", o.probeBody);
        o.probeInterval = r.matchedOptionValue("--probe-interval", o.probeInterval);
        o.probeTimeout = r.matchedOptionValue("--probe-timeout", o.probeTimeout);
        o.probeThreshold = r.matchedOptionValue("--probe-threshold", o.probeThreshold);
        o.clientCert = r.matchedOptionValue("--client-cert", o.clientCert);
        o.clientCertPasswordEnv = r.matchedOptionValue("--client-cert-password-env", o.clientCertPasswordEnv);
        o.clientCertPasswordFile = r.matchedOptionValue("--client-cert-password-file", o.clientCertPasswordFile);
        o.checkRevocation = r.matchedOptionValue("--check-revocation", o.checkRevocation);
        o.postProbe = r.matchedOptionValue("--post-probe", o.postProbe);
        o.failOn = r.matchedOptionValue("--fail-on", o.failOn);
        o.format = r.matchedOptionValue("--format", o.format);
        o.jsonFlag = r.matchedOptionValue("--json", o.jsonFlag);
        o.quiet = r.matchedOptionValue("--quiet", o.quiet);
        o.nagios = r.matchedOptionValue("--nagios", o.nagios);
        o.pool = r.matchedOptionValue("--pool", o.pool);
        o.frontDoor = r.matchedOptionValue("--front-door", o.frontDoor);
    }

    /** A picocli command line for the options, configured the way the tool parses (without the help's footer). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(spec());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOverwrittenOptionsAllowed(true); // the last wins, so --no-x undoes an alias's --x
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setPosixClusteredShortOptionsAllowed(false);
        return cl;
    }

    /**
     * Parses with picocli into new options, not yet validated; {@code help} and {@code version} tell whether either
     * was asked.
     *
     * @throws Options.UsageException with picocli's message on one line
     */
    static Options parse(String... args) throws Options.UsageException {
        Options o = new Options();
        CommandLine cl = commandLine();
        try {
            read(o, cl.parseArgs(args));
        } catch (CommandLine.ParameterException e) {
            throw new Options.UsageException(oneLine(e));
        }
        o.help = cl.isUsageHelpRequested();
        o.version = cl.isVersionHelpRequested();
        return o;
    }

    /** picocli's message on one line, starting lower-case as the tool's own do. */
    private static String oneLine(CommandLine.ParameterException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            m = first.startsWith("-") ? "unknown option " + first : "unexpected argument '" + first + "'";
        }
        m = m.replaceAll("\\s*\\R\\s*", " ").trim();
        java.util.regex.Matcher invalid = java.util.regex.Pattern
                .compile("Invalid value for (?:option|positional parameter) '([^']+)'(?: \\([^)]*\\))?: (.*)")
                .matcher(m);
        if (invalid.matches()) {
            // "Invalid value for option '--timeout': must be positive" -> "--timeout must be positive"
            String reason = invalid.group(2).replaceFirst("^cannot convert '[^']*' to \\w+ \\((.*)\\)$", "$1");
            java.util.regex.Matcher values = java.util.regex.Pattern.compile("expected one of \\[([^]]*)\\]")
                    .matcher(reason);
            if (values.find()) {
                reason = reason.substring(0, values.start(1)) + values.group(1).toLowerCase(Locale.ROOT)
                        + reason.substring(values.end(1));
            }
            return invalid.group(1) + (reason.startsWith("must") ? " " : ": ") + reason;
        }
        String missing = "Missing required parameter for option '";
        if (m.startsWith(missing)) {
            // "Missing required parameter for option '--host' (H)" -> "--host needs a value (H)"
            int end = m.indexOf('\'', missing.length());
            return m.substring(missing.length(), end) + " needs a value" + m.substring(end + 1);
        }
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static String footer() {
        StringBuilder b = new StringBuilder();
        b.append("%nProfiles (--profile):%n");
        for (GatewayProfile p : GatewayProfile.presets()) {
            b.append(String.format(Locale.ROOT, "  %-16s %s%%n", p.id(), p.name()));
        }
        b.append("%nExit status: 0 healthy (no ERROR finding, run complete), 1 an ERROR finding (with --fail-on "
                + "warning,%n  also a WARNING) or an incomplete run, 2 bad usage. With --front-door, 0 when neither "
                + "the front door%n  nor a backend has an ERROR. With --nagios: 0 OK, 1 WARNING, 2 CRITICAL, "
                + "3 UNKNOWN.%n"
                + "Environment: NO_COLOR turns colour off (colour is used only when stdout is a terminal);%n"
                + "  GATEWAY_CHECK_CLIENT_CERT_PASSWORD is the default source of the --client-cert password.%n"
                + "Example: java -jar gateway-check.jar --host www.contoso.com --profile azure-v2 https://10.0.0.4%n");
        return b.toString();
    }

    /** The help text (for tests and the README). */
    static String helpText() {
        CommandLine cl = commandLine();
        cl.getCommandSpec().usageMessage().footer(footer());
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** A positive duration of at most 7 days ({@link Durations#parse}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A preset profile by id. */
    static final class ProfileConverter implements CommandLine.ITypeConverter<GatewayProfile> {
        @Override
        public GatewayProfile convert(String value) {
            try {
                return GatewayProfile.named(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }


    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gateway-check " + version() + " (Java " + Runtime.version() + ", "
                    + System.getProperty("os.name") + ")"};
        }

        static String version() {
            try (var in = Options.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
