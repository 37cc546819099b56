package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.FrontendCheck;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.NameResolver;
import dev.gatewaycheck.PoolCheck;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.Snippets;
import dev.gatewaycheck.examples.exporter.Serve;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The command-line tool: {@code java -jar gateway-check.jar [options] [URL]}, and the exporter with {@code serve}.
 * Exit status 0 when healthy, 1 when any finding is an ERROR (or the run is incomplete), 2 on bad usage; with
 * {@code --nagios} the plugin statuses 0-3. With no URL it runs the offline {@link Demo}.
 */
public final class Main {

    /** Exit status: no ERROR finding. */
    public static final int HEALTHY = 0;
    /** Exit status: at least one ERROR finding, or an incomplete run. */
    public static final int UNHEALTHY = 1;
    /** Exit status: bad usage. */
    public static final int USAGE = 2;
    /** Exit status with {@code --nagios}: bad usage or no verdict (UNKNOWN). */
    public static final int NAGIOS_UNKNOWN = 3;

    /** How long a run goes before progress appears on a terminal. */
    static final Duration PROGRESS_AFTER = Duration.ofSeconds(2);
    /** How often the progress line is redrawn once shown (it counts seconds). */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    /** The largest --client-cert file read: a PKCS#12 file with a certificate and its key is a few KiB. */
    private static final long MAX_PKCS12_BYTES = 1 << 20;

    private Main() {
    }

    public static void main(String[] args) {
        boolean https = false;
        boolean url = false;
        boolean ca = false;
        boolean probe = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            https |= a.regionMatches(true, 0, "https://", 0, 8);
            url |= https || a.regionMatches(true, 0, "http://", 0, 7);
            ca |= a.equals("--ca") || a.startsWith("--ca=");
            if (a.equals("--checks") && i + 1 < args.length || a.startsWith("--checks=")) {
                probe = (a.startsWith("--checks=") ? a : args[i + 1]).contains("probe");
            }
        }
        if (https && !ca) {
            // the judgement will need the JDK's roots: read on a second thread while the options are parsed
            dev.gatewaycheck.core.tls.TlsCheck.readTrustStoreAside();
        }
        if (url && probe && !(args.length > 0 && args[0].equals("serve"))) {
            // the request and probe phases will need httpclient5: prepared on a second thread meanwhile
            dev.gatewaycheck.core.http.HttpExchange.prepareAside();
        }
        System.exit(run(Terminal.detect(), System.out, System.err, args));
    }

    /** Runs the tool with no terminal and an empty environment, and returns the exit status (for tests). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(Terminal.NONE, out, err, args);
    }

    /** Runs the tool and returns the exit status. */
    static int run(Terminal term, PrintStream out, PrintStream err, String... args) {
        if (args.length > 0 && args[0].equals("serve")) {
            return Serve.run(out, err, Arrays.copyOfRange(args, 1, args.length));
        }
        boolean nagios = nagiosAsked(args);
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            return usage(err, e.getMessage(), nagios);
        }
        if (o.help) {
            out.print(PicocliOptions.helpText());
            return HEALTHY;
        }
        if (o.version) {
            out.println(new PicocliOptions.Version().getVersion()[0]);
            return HEALTHY;
        }
        if (o.url() == null && o.frontDoor == null) {
            return Demo.run(out, o);
        }
        Supplier<Outcome> task;
        String progressSubject;
        Duration keepAliveIdle = null;
        Duration deadline = null;
        try {
            if (o.frontDoor != null) {
                FrontendCheck check = frontDoor(o, term);
                task = () -> Outcome.of(check.run());
                progressSubject = o.frontDoor;
            } else if (o.pool) {
                PoolCheck check = pool(o);
                task = () -> Outcome.of(check.run());
                progressSubject = "pool of " + o.urls.size();
            } else {
                GatewayCheck check = single(o, term);
                task = () -> Outcome.of(check.run());
                progressSubject = o.url();
                deadline = check.effectiveTimeout();
                if (check.plan().has(Check.KEEP_ALIVE)) {
                    keepAliveIdle = o.profileOrGeneric().idleTimeout();
                }
            }
        } catch (Options.UsageException e) {
            return usage(err, e.getMessage(), nagios);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage(), nagios);
        }
        boolean progress = term.errIsTerminal() && !o.nagios;
        Outcome outcome = runWithProgress(task, progress ? err : null, progressSubject, deadline, keepAliveIdle);
        if (o.nagios) {
            if (!o.quiet) {
                out.println(outcome.nagiosLine());
            }
            return outcome.nagiosStatus().ordinal();
        }
        if (!o.quiet) {
            switch (o.format()) {
                case JSON -> out.println(outcome.json());
                case JUNIT -> out.print(outcome.junit());
                default -> out.println(outcome.text(term.colour()));
            }
        }
        return outcome.exitStatus(o.failOn == Options.FailOn.WARNING);
    }

    // ---------------------------------------------------------------------------------------------- modes

    private static GatewayCheck single(Options o, Terminal term) throws Options.UsageException {
        GatewayCheck check = GatewayCheck.forBackend(o.url()).against(o.profileOrGeneric());
        URI backend = check.plan().backend();
        if (o.customProbe()) {
            check = check.probe(probe(o));
        }
        check = check.checks(o.checks.toArray(new Check[0]));
        if (o.timeout != null) {
            check = check.timeout(o.timeout);
        }
        if (o.host != null) {
            check = check.withHost(o.host);
        }
        if (o.path != null) {
            check = check.withPath(o.path);
        }
        if (o.ca != null) {
            check = check.trusting(o.ca);
        }
        if (!o.resolve.isEmpty()) {
            check = check.resolvingWith(Resolve.resolver(o.resolve, List.of(backend)));
        }
        if (o.clientCert != null) {
            char[] password = clientCertPassword(o, term);
            check = check.withClientCertificate(pkcs12(o, password), password);
        }
        if (o.checkRevocation) {
            check = check.checkingRevocation();
        }
        if (o.postProbe != null) {
            check = check.withRequestBody(dev.gatewaycheck.RequestBody.ofSize(o.postProbeBytes()));
        }
        return check;
    }

    private static PoolCheck pool(Options o) throws Options.UsageException {
        List<String> members = new ArrayList<>();
        List<URI> targets = new ArrayList<>();
        for (String m : o.urls) {
            URI u = GatewayCheck.forBackend(m).plan().backend();
            if (o.path != null) {
                u = withPath(u, o.path);
            }
            members.add(u.toString());
            targets.add(u);
        }
        PoolCheck check = GatewayCheck.forPool(members).against(o.profileOrGeneric())
                .checks(o.checks.toArray(new Check[0]));
        if (o.customProbe()) {
            check = check.probe(probe(o)).checks((o.checks.isEmpty() ? Set.of(Check.values()) : o.checks)
                    .toArray(new Check[0]));
        }
        if (o.host != null) {
            check = check.withHost(o.host);
        }
        if (o.timeout != null) {
            check = check.timeout(o.timeout);
        }
        if (o.ca != null) {
            check = check.trusting(o.ca);
        }
        if (!o.resolve.isEmpty()) {
            check = check.resolvingWith(Resolve.resolver(o.resolve, targets));
        }
        return check;
    }

    /**
     * The front door check. {@code --host H} with a front door reached by address (or by another name) asks it as
     * H: the URL's host becomes H and H resolves to where the URL pointed, like {@code --resolve}.
     */
    private static FrontendCheck frontDoor(Options o, Terminal term) throws Options.UsageException {
        GatewayCheck.forFrontend(o.frontDoor); // validates the URL with the library's message
        CheckPlan front = GatewayCheck.forBackend(o.frontDoor).plan();
        URI url = front.backend();
        List<URI> targets = new ArrayList<>();
        targets.add(url);
        for (String b : o.urls) {
            targets.add(GatewayCheck.forBackend(b).plan().backend());
        }
        String asked = o.frontDoor;
        String alias = null;
        String original = front.backendHost();
        if (o.host != null) {
            String h = GatewayCheck.forBackend("http://127.0.0.1/").withHost(o.host).plan().host();
            if (!h.equalsIgnoreCase(original)) {
                URI renamed = withHost(url, h);
                asked = renamed.toString();
                targets.add(renamed);
                alias = h;
            }
        }
        NameResolver base = o.resolve.isEmpty() ? NameResolver.system() : Resolve.resolver(o.resolve, targets);
        NameResolver resolver = base;
        if (alias != null) {
            String name = alias;
            boolean resolvedByOption = o.resolve.stream().anyMatch(r -> r.host().equalsIgnoreCase(name));
            if (!resolvedByOption) {
                resolver = new NameResolver() {
                    @Override
                    public List<InetAddress> resolve(String host) throws UnknownHostException {
                        return base.resolve(host.equalsIgnoreCase(name) ? original : host);
                    }

                    @Override
                    public String toString() {
                        return "--host " + name + " at " + original;
                    }
                };
            }
        }
        FrontendCheck check = GatewayCheck.forFrontend(asked).withBackends(o.urls.toArray(new String[0]));
        if (o.profile != null) {
            check = check.against(o.profile);
        }
        if (o.ca != null) {
            check = check.trusting(o.ca);
        }
        if (o.timeout != null) {
            check = check.timeout(o.timeout);
        }
        if (resolver != NameResolver.system()) {
            check = check.resolvingWith(resolver);
        }
        return check;
    }

    /** The custom probe of the {@code --probe-*} options; refused when {@code --checks} leaves the probe out. */
    private static ProbeSpec probe(Options o) throws Options.UsageException {
        if (!o.checks.isEmpty() && !o.checks.contains(Check.PROBE)) {
            throw new Options.UsageException("--probe-* options need the probe check (--checks without probe "
                    + "leaves it out)");
        }
        ProbeSpec base = o.profileOrGeneric().defaultProbe();
        // a profile without active probes (nginx OSS) starts from the builder's defaults
        ProbeSpec.Builder b = base == null ? ProbeSpec.builder() : base.toBuilder();
        if (o.probePath != null) {
            b.path(o.probePath);
        }
        if (o.probeHost != null) {
            b.host(o.probeHost);
        }
        if (o.probeStatus != null) {
            b.accept(o.statusRanges().toArray(new StatusRange[0]));
        }
        if (o.probeBody != null) {
            b.bodyContains(o.probeBody);
        }
        if (o.probeInterval != null) {
            b.interval(o.probeInterval);
        }
        if (o.probeTimeout != null) {
            b.timeout(o.probeTimeout);
        }
        if (o.probeThreshold != null) {
            b.unhealthyThreshold(o.probeThreshold);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("custom probe: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- client cert

    /** The PKCS#12 password: from --client-cert-password-file, the variable --client-cert-password-env names, the
     * variable GATEWAY_CHECK_CLIENT_CERT_PASSWORD, else empty. Never from the command line. */
    static char[] clientCertPassword(Options o, Terminal term) throws Options.UsageException {
        if (o.clientCertPasswordFile != null) {
            try {
                String text = Files.readString(o.clientCertPasswordFile, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                String line = nl < 0 ? text : text.substring(0, nl);
                return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
            } catch (IOException | RuntimeException e) {
                throw new Options.UsageException("--client-cert-password-file: cannot read '"
                        + o.clientCertPasswordFile + "': " + e.getMessage());
            }
        }
        if (o.clientCertPasswordEnv != null) {
            String v = term.env().get(o.clientCertPasswordEnv);
            if (v == null) {
                throw new Options.UsageException("--client-cert-password-env: the environment variable "
                        + o.clientCertPasswordEnv + " is not set");
            }
            return v.toCharArray();
        }
        String v = term.env().get("GATEWAY_CHECK_CLIENT_CERT_PASSWORD");
        return v == null ? new char[0] : v.toCharArray();
    }

    private static KeyStore pkcs12(Options o, char[] password) throws Options.UsageException {
        try (InputStream in = Files.newInputStream(o.clientCert)) {
            if (Files.size(o.clientCert) > MAX_PKCS12_BYTES) {
                throw new Options.UsageException("--client-cert: '" + o.clientCert + "' is larger than 1 MiB; a "
                        + "PKCS#12 file holding a certificate and its key is a few KiB");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new Options.UsageException("--client-cert: cannot read '" + o.clientCert + "' as PKCS#12 with the "
                    + "password given (" + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------- running

    /**
     * Runs the task; when {@code progress} is a terminal's stderr and the run takes longer than
     * {@link #PROGRESS_AFTER}, shows one updating line there, erased at the end.
     */
    static Outcome runWithProgress(Supplier<Outcome> task, PrintStream progress, String subject, Duration deadline,
                                   Duration keepAliveIdle) {
        // a FutureTask, not a CompletableFuture: that one's class initialises the common ForkJoinPool, unused here
        FutureTask<Outcome> f = new FutureTask<>(task::get);
        Thread t = new Thread(f, "gateway-check-run");
        t.setDaemon(true);
        long start = System.nanoTime();
        t.start();
        boolean shown = false;
        try {
            while (true) {
                try {
                    return f.get((shown ? PROGRESS_EVERY : PROGRESS_AFTER).toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (progress != null) {
                        long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                        progress.print("\r\u001b[K" + progressLine(subject, s, deadline, keepAliveIdle));
                        progress.flush();
                        shown = true;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (shown) {
                progress.print("\r\u001b[K");
                progress.flush();
            }
        }
    }

    /** {@code keep-alive: idle 23 s of 60 s (deadline 75 s)}, or the elapsed time while other checks wait. */
    static String progressLine(String subject, long seconds, Duration deadline, Duration keepAliveIdle) {
        String limit = deadline == null ? "" : " (deadline " + deadline.toSeconds() + " s)";
        if (keepAliveIdle != null && seconds <= keepAliveIdle.toSeconds()) {
            return "gateway-check: keep-alive: idle " + seconds + " s of " + keepAliveIdle.toSeconds() + " s" + limit;
        }
        return "gateway-check: " + printable(subject) + ": " + seconds + " s" + limit;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static int usage(PrintStream err, String reason, boolean nagios) {
        String line = printable(reason).replace('\n', ' ');
        err.println("gateway-check: " + line + (line.endsWith(".") ? " " : "; ") + "see --help");
        return nagios ? NAGIOS_UNKNOWN : USAGE;
    }

    /** Whether --nagios is among the options (before {@code --}), so a usage error exits UNKNOWN. */
    private static boolean nagiosAsked(String... args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--nagios") || a.equals("--nagios=true")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Text as it may reach a terminal, line by line ({@link Snippets#printable}): a backend's bytes in a reason
     * phrase or header must not rewrite the operator's screen. The reports escape their fields already; this also
     * covers what the tool prints around them.
     */
    static String printable(String s) {
        String[] lines = s.split("\n", -1);
        StringBuilder b = new StringBuilder(s.length() + 16).append(Snippets.printable(lines[0]));
        for (int i = 1; i < lines.length; i++) {
            b.append('\n').append(Snippets.printable(lines[i]));
        }
        return b.toString();
    }

    private static URI withPath(URI u, String path) throws Options.UsageException {
        int q = path.indexOf('?');
        try {
            return new URI(u.getScheme(), u.getRawAuthority(), q < 0 ? path : path.substring(0, q),
                    q < 0 ? null : path.substring(q + 1), null);
        } catch (URISyntaxException e) {
            throw new Options.UsageException("--path: " + e.getMessage());
        }
    }

    private static URI withHost(URI u, String host) throws Options.UsageException {
        try {
            // this URI constructor puts an IPv6 literal in brackets
            return new URI(u.getScheme(), null, host, u.getPort(), u.getPath(), u.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new Options.UsageException("--host: " + e.getMessage());
        }
    }
}
