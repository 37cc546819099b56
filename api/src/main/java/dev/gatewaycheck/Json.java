package dev.gatewaycheck;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the report model. It stays in {@code api} on purpose: {@link Report#toJson()} is part
 * of the report model, and tools that only read or forward reports depend on {@code api} alone, which has no
 * dependencies (no JSON library). It renders, it does not judge.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(1024);

    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                        // also DEL and C1 controls (a terminal reading --json obeys them) and the JS line breaks
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    static String seconds(Duration d) {
        if (d == null) {
            return "null";
        }
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    Json raw(String s) {
        out.append(s);
        return this;
    }

    /** Writes any supported value: null, String, Number, Boolean, Map, Collection, Duration (seconds). */
    Json value(Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            out.append(string(s));
        } else if (v instanceof java.math.BigDecimal d) {
            out.append(d.toPlainString());
        } else if (v instanceof Evidence e) {
            value(evidence(e));
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Duration d) {
            out.append(seconds(d));
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(string(String.valueOf(e.getKey()))).append(':');
                value(e.getValue());
            }
            out.append('}');
        } else if (v instanceof Collection<?> c) {
            out.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                value(o);
            }
            out.append(']');
        } else {
            out.append(string(String.valueOf(v)));
        }
        return this;
    }

    static String write(Object v) {
        return new Json().value(v).out.toString();
    }

    /** The JSON schema version {@link Report#toJson()} and its siblings write. */
    static final int SCHEMA = 2;

    /** The library version, from the api jar's {@code version.properties}; {@code unknown} outside a build. */
    static final String VERSION = version();

    private static String version() {
        try (java.io.InputStream in = Json.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("$") ? "unknown" : v;
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The keys every document starts with: schema, kind, version, profile, startedAt. */
    static Map<String, Object> header(String kind, String profile, java.time.Instant startedAt) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("kind", kind);
        m.put("version", VERSION);
        m.put("profile", profile);
        m.put("startedAt", startedAt.toString());
        return m;
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("cause", f.cause().id());
        m.put("severity", f.severity().name());
        m.put("category", f.cause().category().name());
        m.put("proxyStatus", f.cause().proxyStatus());
        m.put("gatewayStatus", f.gatewayStatus() == 0 ? null : f.gatewayStatus());
        m.put("backend", f.backend());
        m.put("message", f.message());
        m.put("evidence", evidence(f.evidence()));
        m.put("remedy", f.remedy());
        return m;
    }

    /** The evidence as an object: the first value of each key, typed. */
    static Map<String, Object> evidence(Evidence evidence) {
        Map<String, Object> ev = new java.util.LinkedHashMap<>();
        for (Evidence.Entry e : evidence.entries()) {
            ev.putIfAbsent(e.key(), e.value());
        }
        return ev;
    }

    static List<Object> findings(List<Finding> findings) {
        List<Object> l = new java.util.ArrayList<>();
        for (Finding f : findings) {
            l.add(finding(f));
        }
        return l;
    }

    private Json() {
    }
}
