package dev.gatewaycheck.examples.exporter;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import dev.gatewaycheck.examples.cli.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The exporter's configuration file (YAML): where it listens, which targets it may probe, its limits, and the
 * modules a scrape names with {@code module=}.
 *
 * <pre>{@code
 * listen: 127.0.0.1:9516
 * allow: ["http://127.0.0.1:*", "https://10.0.0.0/8:443"]
 * limits: {concurrency: 4, min_interval: 15s, keepalive_concurrency: 2}
 * modules:
 *   azure:
 *     profile: azure-v2
 *     host: www.contoso.com
 *     ca: /etc/gateway-check/root.pem
 *     checks: [tls, probe, keepalive]
 *     keepalive_interval: 10m
 *     probe: {path: /healthz, status: 200-399, body: OK}
 * }</pre>
 *
 * @param listen               ADDRESS:PORT to listen on (default 127.0.0.1:9516)
 * @param allow                the targets that may be probed
 * @param concurrency          quick checks running at once; more wait up to their scrape timeout, then 503
 * @param minInterval          per target and module: a scrape sooner than this after the last run gets that result
 * @param keepAliveConcurrency background keep-alive checks running at once
 * @param modules              the modules by name
 */
record ExporterConfig(String listen, AllowList allow, int concurrency, Duration minInterval,
                      int keepAliveConcurrency, Map<String, Module> modules) {

    /** The default listen address: loopback only. */
    static final String DEFAULT_LISTEN = "127.0.0.1:9516";

    /**
     * One module: how a target is checked.
     *
     * @param name              its name
     * @param check             the configured check, without a backend (applied per target); quick checks only
     * @param quickChecks       the checks run per scrape (tls, probe)
     * @param keepAlive         whether the keep-alive check runs in the background
     * @param keepAliveInterval how often it runs per target
     * @param timeout           the longest a scrape's checks may take (the scrape timeout lowers it)
     */
    record Module(String name, Template check, Set<Check> quickChecks, boolean keepAlive, Duration keepAliveInterval,
                  Duration timeout) {
    }

    /** What a module sets on a {@link GatewayCheck} for a target. */
    record Template(GatewayProfile profile, String host, String path, Path ca, ProbeSpec probe) {

        GatewayCheck apply(String target) {
            GatewayCheck c = GatewayCheck.forBackend(target).against(profile);
            if (host != null) {
                c = c.withHost(host);
            }
            if (path != null) {
                c = c.withPath(path);
            }
            if (ca != null) {
                c = c.trusting(ca);
            }
            if (probe != null) {
                c = c.probe(probe);
            }
            return c;
        }
    }

    /**
     * Reads and validates the file.
     *
     * @throws IllegalArgumentException saying what is wrong where, e.g. {@code modules.azure.profile: ...}
     */
    static ExporterConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        Object root;
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) > 1 << 20) {
                throw new IllegalArgumentException("config must be at most 1 MiB, '" + file + "' is larger");
            }
            root = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(10)
                    .build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config '" + file + "': " + e.getMessage());
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("config '" + file + "' is not valid YAML: "
                    + e.getMessage().replaceAll("\\s+", " "));
        }
        return parse(root, file.toAbsolutePath().getParent());
    }

    static ExporterConfig parse(Object root, Path base) {
        Map<String, Object> top = map(root, "config");
        known(top, "config", "listen", "allow", "limits", "modules");
        String listen = top.containsKey("listen") ? string(top.get("listen"), "listen") : DEFAULT_LISTEN;
        List<String> allowTexts = strings(top.get("allow"), "allow");
        if (allowTexts.isEmpty()) {
            throw new IllegalArgumentException("allow must list the targets the exporter may probe, e.g. "
                    + "[\"http://127.0.0.1:*\"]: an exporter that probes any target is an open proxy");
        }
        AllowList allow = AllowList.of(allowTexts);
        Map<String, Object> limits = top.containsKey("limits") ? map(top.get("limits"), "limits") : Map.of();
        known(limits, "limits", "concurrency", "min_interval", "keepalive_concurrency");
        int concurrency = integer(limits.getOrDefault("concurrency", 4), "limits.concurrency", 1, 256);
        Duration minInterval = limits.containsKey("min_interval")
                ? duration(limits.get("min_interval"), "limits.min_interval") : Duration.ofSeconds(10);
        int keepAliveConcurrency = integer(limits.getOrDefault("keepalive_concurrency", 2),
                "limits.keepalive_concurrency", 1, 64);
        Map<String, Object> mods = map(top.get("modules"), "modules");
        if (mods.isEmpty()) {
            throw new IllegalArgumentException("modules must define at least one module, e.g. modules: {default: "
                    + "{profile: generic}}");
        }
        Map<String, Module> modules = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : mods.entrySet()) {
            modules.put(e.getKey(), module(e.getKey(), map(e.getValue(), "modules." + e.getKey()), base));
        }
        return new ExporterConfig(listen, allow, concurrency, minInterval, keepAliveConcurrency, Map.copyOf(modules));
    }

    private static Module module(String name, Map<String, Object> m, Path base) {
        String at = "modules." + name;
        known(m, at, "profile", "idle_timeout", "request_timeout", "host", "path", "ca", "checks", "probe",
                "timeout", "keepalive_interval");
        GatewayProfile profile = GatewayProfile.GENERIC;
        try {
            if (m.containsKey("profile")) {
                profile = GatewayProfile.named(string(m.get("profile"), at + ".profile"));
            }
            if (m.containsKey("idle_timeout") || m.containsKey("request_timeout")) {
                GatewayProfile.Builder b = profile.toBuilder()
                        .id(profile.id() + "-" + name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-"))
                        .name(profile.name() + ", as module " + name + " sets it");
                if (m.containsKey("idle_timeout")) {
                    b.idleTimeout(duration(m.get("idle_timeout"), at + ".idle_timeout"));
                }
                if (m.containsKey("request_timeout")) {
                    b.requestTimeout(duration(m.get("request_timeout"), at + ".request_timeout"));
                }
                profile = b.build();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
        Set<Check> checks = EnumSet.allOf(Check.class);
        if (m.containsKey("checks")) {
            checks = EnumSet.noneOf(Check.class);
            for (String c : strings(m.get("checks"), at + ".checks")) {
                try {
                    checks.add(Check.parse(c));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + ".checks: " + e.getMessage());
                }
            }
            if (checks.isEmpty()) {
                throw new IllegalArgumentException(at + ".checks must name at least one of tls, probe, keepalive");
            }
        }
        ProbeSpec probe = null;
        if (m.containsKey("probe")) {
            probe = probe(map(m.get("probe"), at + ".probe"), profile.defaultProbe(), at + ".probe");
        }
        Path ca = null;
        if (m.containsKey("ca")) {
            ca = base == null ? Path.of(string(m.get("ca"), at + ".ca"))
                    : base.resolve(string(m.get("ca"), at + ".ca"));
        }
        Template t = new Template(profile, m.containsKey("host") ? string(m.get("host"), at + ".host") : null,
                m.containsKey("path") ? string(m.get("path"), at + ".path") : null, ca, probe);
        try {
            t.apply("http://127.0.0.1/"); // validates host, path and the CA file now, not at the first scrape
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage());
        }
        Set<Check> quick = EnumSet.copyOf(checks);
        quick.remove(Check.KEEP_ALIVE);
        Duration timeout = m.containsKey("timeout") ? duration(m.get("timeout"), at + ".timeout")
                : Duration.ofSeconds(30);
        Duration interval = m.containsKey("keepalive_interval")
                ? duration(m.get("keepalive_interval"), at + ".keepalive_interval") : Duration.ofMinutes(10);
        return new Module(name, t, Set.copyOf(quick), checks.contains(Check.KEEP_ALIVE), interval, timeout);
    }

    private static ProbeSpec probe(Map<String, Object> p, ProbeSpec base, String at) {
        known(p, at, "path", "host", "status", "body", "interval", "timeout", "threshold");
        // a profile without active probes (nginx OSS) starts from the builder's defaults
        ProbeSpec.Builder b = base == null ? ProbeSpec.builder() : base.toBuilder();
        try {
            if (p.containsKey("path")) {
                b.path(string(p.get("path"), at + ".path"));
            }
            if (p.containsKey("host")) {
                b.host(string(p.get("host"), at + ".host"));
            }
            if (p.containsKey("status")) {
                List<StatusRange> ranges = new ArrayList<>();
                for (String r : String.valueOf(p.get("status")).split(",")) {
                    ranges.add(StatusRange.parse(r));
                }
                b.accept(ranges.toArray(new StatusRange[0]));
            }
            if (p.containsKey("body")) {
                b.bodyContains(string(p.get("body"), at + ".body"));
            }
            if (p.containsKey("interval")) {
                b.interval(duration(p.get("interval"), at + ".interval"));
            }
            if (p.containsKey("timeout")) {
                b.timeout(duration(p.get("timeout"), at + ".timeout"));
            }
            if (p.containsKey("threshold")) {
                b.unhealthyThreshold(integer(p.get("threshold"), at + ".threshold", 1, 100));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(at) ? e : new IllegalArgumentException(at + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ YAML helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String at) {
        if (o == null) {
            throw new IllegalArgumentException(at + " must be a mapping (key: value), got nothing");
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(at + " must be a mapping (key: value), got '" + o + "'");
        }
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw new IllegalArgumentException(at + " keys must be names, got '" + k + "'");
            }
        }
        return (Map<String, Object>) m;
    }

    private static void known(Map<String, Object> m, String at, String... keys) {
        for (String k : m.keySet()) {
            if (!List.of(keys).contains(k)) {
                throw new IllegalArgumentException(at + "." + k + " is not a setting; known: " + List.of(keys));
            }
        }
    }

    private static String string(Object o, String at) {
        if (o == null || o instanceof Map || o instanceof List) {
            throw new IllegalArgumentException(at + " must be a value, got '" + o + "'");
        }
        return String.valueOf(o);
    }

    private static List<String> strings(Object o, String at) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException(at + " must be a list, e.g. [a, b], got '" + o + "'");
        }
        List<String> out = new ArrayList<>();
        for (Object x : l) {
            out.add(string(x, at));
        }
        return out;
    }

    private static int integer(Object o, String at, int min, int max) {
        int v;
        try {
            v = o instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(o));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at + " must be a whole number, got '" + o + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(at + " must be " + min + "-" + max + ", got " + v);
        }
        return v;
    }

    private static Duration duration(Object o, String at) {
        try {
            return Durations.parse(String.valueOf(o));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + " " + e.getMessage());
        }
    }
}
