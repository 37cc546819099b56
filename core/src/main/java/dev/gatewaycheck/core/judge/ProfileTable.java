package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.ProbeSpec;
import dev.gatewaycheck.StatusRange;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders gateway profiles, as the {@link Judge} reads them, as the Markdown table the README shows, so that the
 * documentation is generated from the presets instead of copied by hand (a test fails when the table in
 * {@code README.md} differs). It lives beside the judge because the statuses it shows are the judge's.
 *
 * <pre>{@code
 * System.out.println(ProfileTable.markdown(GatewayProfile.presets()));
 * }</pre>
 *
 */
public final class ProfileTable {

    private ProfileTable() {
    }

    /** The table of every preset, in documentation order. */
    public static String markdown() {
        return markdown(GatewayProfile.presets());
    }

    /** A Markdown table with one row per profile. */
    public static String markdown(List<GatewayProfile> profiles) {
        Objects.requireNonNull(profiles, "profiles");
        StringBuilder b = new StringBuilder(4096);
        b.append("| `--profile` | Constant | Gateway | Idle keep-alive | Response timeout | Connect timeout "
                + "| Max response header | Default probe | Backend certificates | SNI | All members unhealthy "
                + "| Status answered |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (GatewayProfile p : profiles) {
            b.append("| `").append(p.id()).append("` | ").append(constantName(p)).append(" | ").append(p.name())
                    .append(" | ").append(secs(p.idleTimeout()))
                    .append(" | ").append(secs(p.requestTimeout()))
                    .append(" | ").append(secs(p.connectTimeout()))
                    .append(" | ").append(bytes(p.maxResponseHeaderBytes()))
                    .append(" | ").append(probe(p))
                    .append(" | ").append(validation(p.certificateValidation()))
                    .append(" | ").append(p.sendsSni() ? "sent" : "not sent")
                    .append(" | ").append(allUnhealthy(p))
                    .append(" | ").append(statuses(p)).append(" |\n");
        }
        return b.toString();
    }

    private static String constantName(GatewayProfile p) {
        for (Field f : GatewayProfile.class.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && f.getType() == GatewayProfile.class) {
                try {
                    if (f.get(null) == p) {
                        return "`" + f.getName() + "`";
                    }
                } catch (IllegalAccessException e) {
                    return "-";
                }
            }
        }
        return "-";
    }

    static String secs(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return (s / 3600) + " h";
        }
        return s + " s";
    }

    private static String bytes(int n) {
        return n % 1024 == 0 ? (n / 1024) + " KiB" : n + " B";
    }

    private static String probe(GatewayProfile p) {
        ProbeSpec s = p.defaultProbe();
        if (s == null) {
            return "none (passive)";
        }
        String host = s.host() == null ? "the site's Host" : "Host " + s.host();
        String accepted = s.accepted().stream().map(StatusRange::toString).collect(Collectors.joining(","));
        return "GET " + s.path() + " with " + host + ", every " + secs(s.interval()) + ", timeout "
                + secs(s.timeout()) + ", down after " + s.unhealthyThreshold() + ", accepts " + accepted;
    }

    private static String validation(GatewayProfile.CertificateValidation v) {
        switch (v) {
            case NONE:
                return "not validated";
            case PUBLIC_CA:
                return "public CA + name";
            case TRUSTED_ROOTS:
                return "public CA or uploaded root + name";
            case ALLOWLIST:
                return "allow-listed certificates";
            default:
                return v.name();
        }
    }

    private static String allUnhealthy(GatewayProfile p) {
        if (p.failsOpen()) {
            return "fails open (routes to all)";
        }
        return Judge.severity(Cause.ALL_BACKENDS_UNHEALTHY, p) + ", answers "
                + Judge.status(Cause.ALL_BACKENDS_UNHEALTHY, p);
    }

    private static String statuses(GatewayProfile p) {
        Map<Integer, List<String>> byStatus = new TreeMap<>();
        for (Map.Entry<Cause, Integer> e : p.statuses().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            if (e.getValue() != p.defaultStatus()) {
                byStatus.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey().id());
            }
        }
        StringBuilder b = new StringBuilder().append(p.defaultStatus()).append(" by default");
        byStatus.forEach((status, causes) -> b.append("; ").append(status == 0 ? "none of its own (relays what "
                + "the backend sent)" : status).append(": ").append(String.join(", ", causes)));
        if (p.streamsResponseHead()) {
            b.append("; a body that breaks after the head: the backend's status and a cut body");
        }
        List<String> judged = p.severities().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getKey() != Cause.ALL_BACKENDS_UNHEALTHY || !p.failsOpen())
                .map(e -> e.getKey().id() + " " + e.getValue()).toList();
        if (!judged.isEmpty()) {
            b.append("; judged: ").append(String.join(", ", judged));
        }
        return b.toString();
    }
}
