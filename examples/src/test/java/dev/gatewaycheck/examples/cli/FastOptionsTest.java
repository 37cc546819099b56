package dev.gatewaycheck.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatewaycheck.GatewayProfile;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link Options#fast(String...)}, the parser of the usual command lines that loads no picocli class, against picocli
 * ({@link PicocliOptions#parse(String...)}): the same fields for every well-formed command line it takes, null
 * (picocli parses, and reports) for anything odd, and the same options as picocli's model.
 */
class FastOptionsTest {
    private static final String URL = "https://127.0.0.1:8443/health";
    private static final String URL2 = "http://10.0.0.5:8080/";

    /** Well-formed command lines: every option in both forms, flags and their negations, repeats, {@code --}. */
    private static final List<List<String>> VALID = List.of(
            List.of(),
            List.of(URL),
            List.of("--checks", "tls,probe", "--ca", "ca.pem", URL),
            List.of("--checks=tls,probe", "--ca=ca.pem", URL),
            List.of(URL, "--checks", "tls", "--ca", "/etc/ssl/root.pem"),
            List.of("--host", "www.contoso.com", URL),
            List.of("--host=www.contoso.com", "--host", "api.contoso.com", URL),
            List.of("--host=a=b", URL),
            List.of("--path", "/api/health?x=1", URL),
            List.of("--path=/", URL),
            List.of("--profile", "azure-v2", URL),
            List.of("--profile=AWS-ALB", URL),
            List.of("--profile", "nginx", "--profile", "generic", URL),
            List.of("--timeout", "30s", URL),
            List.of("--timeout=500ms", URL),
            List.of("--timeout", "2m", "--timeout", "PT45S", URL),
            List.of("--resolve", "www.contoso.com:443:127.0.0.1", "https://www.contoso.com/"),
            List.of("--resolve", "A.test:443:127.0.0.1", "--resolve=b.test:8443:[::1],127.0.0.2", URL),
            List.of("--probe-path", "/healthz", "--probe-host=probe.test", "--probe-status", "200-399",
                    "--probe-body=ok", URL),
            List.of("--probe-interval", "5s", "--probe-timeout=2s", "--probe-threshold", "3", URL),
            List.of("--probe-threshold=010", URL),
            List.of("--probe-threshold", "999999999", URL),
            List.of("--probe-body", "\"quoted\" text", URL),
            List.of("--client-cert", "client.p12", "--client-cert-password-env", "PASS", URL),
            List.of("--client-cert=client.p12", "--client-cert-password-file=pass.txt", URL),
            List.of("--check-revocation", URL),
            List.of("--check-revocation=TRUE", URL),
            List.of("--check-revocation", "--no-check-revocation", URL),
            List.of("--post-probe", "4m", URL),
            List.of("--post-probe=512k", URL),
            List.of("--fail-on", "warning", URL),
            List.of("--fail-on=ERROR", URL),
            List.of("--fail-on", "Warning", "--fail-on", "error", URL),
            List.of("--format", "json", URL),
            List.of("--format=JUnit", URL),
            List.of("--format", "TEXT", URL),
            List.of("--json", URL),
            List.of("--no-json", URL),
            List.of("--json=false", URL),
            List.of("--json=True", URL),
            List.of("--json", "--no-json", "--json", URL),
            List.of("--quiet", URL),
            List.of("-q", URL),
            List.of("-q=false", URL),
            List.of("-q", "--no-quiet", URL),
            List.of("--no-quiet", "-q", URL),
            List.of("--quiet=FALSE", URL),
            List.of("--nagios", URL),
            List.of("--nagios", "--no-nagios", URL),
            List.of("--nagios=true", "-q", URL),
            List.of("--pool", URL, URL2),
            List.of(URL, "--pool", URL2),
            List.of(URL, URL2, "--pool"),
            List.of("--pool=true", "--", URL, URL2),
            List.of("--no-pool", URL),
            List.of("--pool", "--", "-odd", URL),
            List.of("--front-door", "https://www.contoso.com/", URL, URL2),
            List.of("--front-door=https://www.contoso.com/", "--host", "www.contoso.com", URL),
            List.of("--", URL),
            List.of("--host", "x.test", "--", URL),
            List.of(URL, "--", "-x"),
            List.of("+q", URL),
            List.of("--checks", "tls,probe", "--host", "localhost", "--ca", "root.pem", "--timeout", "10s",
                    "--format", "json", "--fail-on", "warning", "--profile", "azure-v2", "--resolve",
                    "localhost:8443:127.0.0.1", "--check-revocation", "--post-probe", "1000", URL));

    /** Command lines the fast path must leave to picocli. */
    private static final List<List<String>> ODD = List.of(
            List.of("--unknown", URL),
            List.of("--hos", "x", URL),
            List.of("--HOST", "x", URL),
            List.of("--host"),
            List.of(URL, "--host"),
            List.of("--host=", URL),
            List.of("--host", "", URL),
            List.of("--host", "-x", URL),
            List.of("--host=-x", URL),
            List.of("--host", "--path", "/", URL),
            List.of("--host", "@names", URL),
            List.of("--timeout", "soon", URL),
            List.of("--timeout", "0s", URL),
            List.of("--timeout", "-5s", URL),
            List.of("--probe-threshold", "x", URL),
            List.of("--probe-threshold", "+5", URL),
            List.of("--probe-threshold", "0x10", URL),
            List.of("--probe-threshold", "1234567890", URL),
            List.of("--profile", "nope", URL),
            List.of("--resolve", "nope", URL),
            List.of("--resolve", "a.test:0:127.0.0.1", URL),
            List.of("--ca", "a\0b", URL),
            List.of("--format", "xml", URL),
            List.of("--format", "j\u0131son", URL),
            List.of("--fail-on", "never", URL),
            List.of("--quiet", "true", URL),
            List.of("-q", "FALSE", URL),
            List.of("--no-pool", "false", URL),
            List.of("--json=yes", URL),
            List.of("--json=", URL),
            List.of("--no-json=true", URL),
            List.of("--no-host", "x", URL),
            List.of("--no-q", URL),
            List.of("-qx", URL),
            List.of("@file"),
            List.of(URL, "@file"),
            List.of("--", "@file"),
            List.of("--", URL, "--"),
            List.of("--help"),
            List.of("-h"),
            List.of("-V"),
            List.of("--version"),
            List.of("--help", URL),
            List.of("-"),
            List.of(""),
            List.of("--=x", URL));

    @Test
    void takesEveryWellFormedCommandLineAsPicocliDoes() throws Exception {
        assertTrue(VALID.size() >= 40, "the corpus");
        for (List<String> args : VALID) {
            String[] a = args.toArray(String[]::new);
            Options fast = Options.fast(a);
            assertNotNull(fast, "the fast path gave up on " + args);
            assertEquals(fields(PicocliOptions.parse(a)), fields(fast), String.valueOf(args));
        }
    }

    @Test
    void leavesEveryOddCommandLineToPicocli() {
        for (List<String> args : ODD) {
            assertNull(Options.fast(args.toArray(String[]::new)), "the fast path took " + args);
        }
    }

    /** What the fast path leaves, picocli parses: its messages, as the tool has always printed them. */
    @Test
    void picocliStillReportsWhatIsWrong() {
        for (Map.Entry<List<String>, String> c : Map.of(
                List.of("--timeout", "soon", URL), "--timeout must look like 30s, 500ms or 2m, got 'soon'",
                List.of("--format", "xml", URL), "--format: expected one of [text, json, junit]",
                List.of("--unknown", URL), "unknown option --unknown",
                List.of("--host"), "--host needs a value (H)",
                List.of("--resolve", "nope", URL), "--resolve must look like HOST:PORT:ADDRESS, e.g. "
                        + "www.contoso.com:443:127.0.0.1, got 'nope'").entrySet()) {
            Options.UsageException e = assertThrows(Options.UsageException.class,
                    () -> Options.parse(c.getKey().toArray(String[]::new)), String.valueOf(c.getKey()));
            assertTrue(e.getMessage().startsWith(c.getValue()), c.getKey() + ": " + e.getMessage());
        }
    }

    /**
     * Random command lines of options, values and URLs, some odd: whenever the fast path takes one, picocli takes it
     * too and reads the same fields.
     */
    @Test
    void whateverTheFastPathTakesPicocliReadsTheSame() throws Exception {
        String[] tokens = {"--host", "--host=h.test", "h.test", "--timeout", "5s", "--timeout=0", "soon",
            "--probe-threshold", "7", "07", "-7", "--resolve", "a.test:443:127.0.0.1", "--format", "JSON", "xml",
            "--fail-on=warning", "--json", "--no-json", "--json=false", "--quiet", "-q", "--no-quiet", "true",
            "FALSE", "--pool", "--no-pool=true", "--", "-", "-x", "@x", "", URL, URL2, "--ca", "ca.pem", "--profile",
            "azure-v2", "--path=/p", "--front-door", "--checks", "tls", "--help", "-V", "--post-probe", "4m", "+q"};
        Random random = new Random(42);
        int taken = 0;
        for (int n = 0; n < 3000; n++) {
            String[] a = new String[random.nextInt(7)];
            for (int i = 0; i < a.length; i++) {
                a[i] = tokens[random.nextInt(tokens.length)];
            }
            Options fast = Options.fast(a);
            if (fast == null) {
                continue;
            }
            taken++;
            try {
                assertEquals(fields(PicocliOptions.parse(a)), fields(fast), Arrays.toString(a));
            } catch (Options.UsageException e) {
                fail("the fast path took " + Arrays.toString(a) + ", picocli refuses it: " + e.getMessage());
            }
        }
        assertTrue(taken > 300, "the fast path took " + taken + " of 3000");
    }

    /** Every option of picocli's model is one of the fast path's, of the same kind, and the other way round. */
    @Test
    void knowsTheOptionsOfPicocliModel() throws Exception {
        CommandSpec spec = PicocliOptions.spec();
        Set<String> flags = new TreeSet<>();
        Set<String> values = new TreeSet<>();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            boolean flag = o.type() == boolean.class || o.type() == Boolean.class;
            if (flag) {
                assertTrue(o.negatable() && o.arity().min() == 0 && o.arity().max() == 1
                        && "true".equals(o.fallbackValue()), o.longestName() + ": a flag as the fast path reads it");
                flags.addAll(Arrays.asList(o.names()));
            } else {
                assertTrue(!o.negatable() && o.arity().min() == 1 && o.arity().max() == 1 && o.splitRegex().isEmpty(),
                        o.longestName() + ": one value per occurrence, as the fast path reads it");
                values.addAll(Arrays.asList(o.names()));
            }
            for (String name : o.names()) {
                List<List<String>> uses = new ArrayList<>();
                if (flag) {
                    uses.add(List.of(name, URL));
                    uses.add(List.of(name + "=false", URL));
                    if (name.startsWith("--")) {
                        uses.add(List.of("--no-" + name.substring(2), URL));
                    }
                } else {
                    String sample = sample(o);
                    uses.add(List.of(name, sample, URL));
                    uses.add(List.of(name + "=" + sample, URL));
                }
                for (List<String> use : uses) {
                    String[] a = use.toArray(String[]::new);
                    Options fast = Options.fast(a);
                    assertNotNull(fast, "the fast path gave up on " + use);
                    assertEquals(fields(PicocliOptions.parse(a)), fields(fast), String.valueOf(use));
                }
            }
        }
        assertEquals(flags, new TreeSet<>(Options.FAST_FLAGS), "the flags");
        assertEquals(values, new TreeSet<>(Options.FAST_VALUE_OPTIONS), "the options with a value");
        Set<String> negated = new TreeSet<>();
        for (String f : Options.FAST_FLAGS) {
            if (f.startsWith("--")) {
                negated.add("--no-" + f.substring(2));
            }
        }
        assertEquals(negated, new TreeSet<>(spec.negatedOptionsMap().keySet()), "the negated flags");
    }

    /** A valid value of the option's type that the fast path converts. */
    private static String sample(OptionSpec o) {
        Class<?> type = o.type() == List.class ? o.auxiliaryTypes()[0] : o.type();
        Map<Class<?>, String> samples = Map.of(String.class, "text", Path.class, "dir/file.pem", Duration.class,
                "1.5s", Integer.class, "42", GatewayProfile.class, "Azure-V2", Options.FailOn.class, "Warning",
                Options.Format.class, "jUnit", Resolve.class, "Www.Contoso.com:443:127.0.0.1,[::1]");
        String sample = samples.get(type);
        if (sample == null) {
            fail(o.longestName() + ": no sample of " + type + "; teach the fast path (Options.fast) the new type");
        }
        return sample;
    }

    /** Every instance field of the options by name. */
    private static Map<String, Object> fields(Options o) throws IllegalAccessException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : Options.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
                values.put(f.getName(), f.get(o));
            }
        }
        assertTrue(values.containsKey("urls") && values.containsKey("resolve"), "the fields: " + values.keySet());
        return values;
    }
}
