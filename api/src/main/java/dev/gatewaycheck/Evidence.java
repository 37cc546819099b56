package dev.gatewaycheck;

import dev.gatewaycheck.spi.Snippets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The facts behind a {@link Finding}: an ordered list of key/value pairs whose values carry their units, e.g.
 * {@code observedIdleClose=5.0s}, {@code gatewayIdleTimeout=60s}, {@code notAfter=2024-11-15T00:00:00Z}. Keys are
 * lower camel case and stable per cause; a chain is written as {@code chain[0].subject}, {@code chain[0].sha256}...
 *
 * <pre>{@code
 * Evidence e = Evidence.builder().put("port", 8443).put("elapsed", "12ms").build();
 * e.get("port");   // Optional[8443]
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
     * @param key   lower camel case name, stable per cause
     * @param value the value with its unit
     */
    public record Entry(String key, String value) {
        /** Validates the entry. */
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return Snippets.printable(key) + "=" + Snippets.printable(value);
        }
    }

    /** Validates and copies the entries. */
    public Evidence {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /** The value of the first entry named {@code key}. */
    public Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        for (Entry e : entries) {
            if (e.key().equals(key)) {
                return Optional.of(e.value());
            }
        }
        return Optional.empty();
    }

    /** Whether an entry named {@code key} exists. */
    public boolean has(String key) {
        return get(key).isPresent();
    }

    /** The keys, in order. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            keys.add(e.key());
        }
        return Collections.unmodifiableList(keys);
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

        /** Adds a fact; a {@code null} value is skipped, so optional facts need no if. */
        public Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if (value != null) {
                entries.add(new Entry(key, String.valueOf(value)));
            }
            return this;
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
