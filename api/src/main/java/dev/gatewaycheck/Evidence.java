package dev.gatewaycheck;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import dev.gatewaycheck.spi.Snippets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts behind a {@link Finding}: an ordered list of key/value pairs whose values keep their types. A value is
 * a text, a number, a boolean or a list of nested evidence (the certificate chain: one object per certificate).
 * Durations are numbers of seconds and their keys say so ({@code observedIdleCloseSeconds=5.012}), instants are
 * ISO-8601 texts ({@code notAfter=2024-11-15T00:00:00Z}); keys are lower camel case and stable per cause.
 *
 * <pre>{@code
 * Evidence e = Evidence.builder().put("port", 8443).put("elapsedSeconds", Duration.ofMillis(12)).build();
 * e.get("port");              // Optional[8443], the text form
 * e.value("elapsedSeconds");  // Optional[0.012], a BigDecimal
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param entries the facts, in the order they were recorded
 * @since 0.1
 */
public record Evidence(List<Entry> entries) {

    /** No evidence. */
    public static final Evidence EMPTY = new Evidence(List.of());

    /**
     * One fact.
     *
     * @param key   lower camel case name, stable per cause; a duration's key names its unit
     * @param value a {@link String}, a {@link Boolean}, a number ({@link Long}, {@link Integer} or {@link BigDecimal})
     *              or a {@code List<Evidence>}
     */
    public record Entry(String key, Object value) {
        /** Validates the entry. */
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (!(value instanceof String || value instanceof Boolean || value instanceof Long
                    || value instanceof Integer || value instanceof BigDecimal || isList(value))) {
                throw new IllegalArgumentException("value of '" + key + "' must be a String, Boolean, Long, Integer, "
                        + "BigDecimal or List<Evidence>, got " + value.getClass().getName()
                        + "; use Evidence.builder().put(key, value) to convert it");
            }
        }

        private static boolean isList(Object value) {
            return value instanceof List<?> l && l.stream().allMatch(Evidence.class::isInstance);
        }

        /** The value as text: numbers in plain notation, a list as its elements' text. */
        public String text() {
            return value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
        }

        @Override
        public String toString() {
            return Snippets.printable(key) + "=" + Snippets.printable(text());
        }
    }

    /** Validates and copies the entries. */
    public Evidence {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /** The text of the first entry named {@code key} (numbers in plain notation). */
    public Optional<String> get(String key) {
        return entry(key).map(Entry::text);
    }

    /** The typed value of the first entry named {@code key}. */
    public Optional<Object> value(String key) {
        return entry(key).map(Entry::value);
    }

    private Optional<Entry> entry(String key) {
        Objects.requireNonNull(key, "key");
        return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }

    /** Whether an entry named {@code key} exists. */
    public boolean has(String key) {
        return entry(key).isPresent();
    }

    /** The keys, in order. */
    public List<String> keys() {
        return entries.stream().map(Entry::key).toList();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder seeded with this evidence's entries. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.entries.addAll(entries);
        return b;
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    /** Builds {@link Evidence}; not thread-safe. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a fact; a {@code null} value is skipped, so optional facts need no if. A {@link Duration} becomes
         * seconds (name the unit in the key), an {@link Instant} its ISO-8601 text, a double a {@link BigDecimal},
         * an enum its name, any other object its {@code toString()}.
         */
        public Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if (value != null) {
                entries.add(new Entry(key, typed(value)));
            }
            return this;
        }

        private static Object typed(Object v) {
            if (v instanceof Duration d) {
                return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
            }
            if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                return Double.isFinite(d) ? BigDecimal.valueOf(d) : String.valueOf(d);
            }
            if (v instanceof Short || v instanceof Byte) {
                return ((Number) v).intValue();
            }
            if (v instanceof Enum<?> e) {
                return e.name();
            }
            if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                    || v instanceof BigDecimal || v instanceof List<?> l && l.stream().allMatch(Evidence.class::isInstance)) {
                return v;
            }
            return String.valueOf(v);
        }

        /** Adds every entry of {@code other}. */
        public Builder putAll(Evidence other) {
            entries.addAll(other.entries());
            return this;
        }

        /** The evidence. */
        public Evidence build() {
            return new Evidence(entries);
        }
    }
}
