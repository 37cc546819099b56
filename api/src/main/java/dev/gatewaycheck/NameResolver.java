package dev.gatewaycheck;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves the backend's name the way the gateway would (its DNS, not necessarily this machine's). The default is
 * {@link #system()}; {@link #staticMap(Map)} answers from a fixed table, like a hosts file or a custom DNS's
 * answers copied by hand (a VNet's custom DNS).
 *
 * <pre>{@code
 * GatewayCheck.forBackend("http://app.internal:8080")
 *         .resolvingWith(NameResolver.staticMap(Map.of("app.internal", List.of("127.0.0.1"))))
 *         .run();
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface NameResolver {

    /**
     * Every address of {@code host}, in the resolver's order.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** This JVM's resolver ({@link InetAddress#getAllByName}). */
    static NameResolver system() {
        return SystemResolver.INSTANCE;
    }

    /**
     * A fixed table from lower-case host name to address literals (IPv4 or IPv6); other names do not resolve.
     *
     * @throws IllegalArgumentException when a value is not an IP address literal
     */
    static NameResolver staticMap(Map<String, List<String>> table) {
        Objects.requireNonNull(table, "table");
        Map<String, List<InetAddress>> resolved = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : table.entrySet()) {
            List<InetAddress> addresses = new ArrayList<>();
            for (String literal : e.getValue()) {
                addresses.add(SystemResolver.literal(literal));
            }
            resolved.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(addresses));
        }
        Map<String, List<InetAddress>> frozen = Map.copyOf(resolved);
        return new NameResolver() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                List<InetAddress> a = frozen.get(host.toLowerCase(Locale.ROOT));
                if (a == null || a.isEmpty()) {
                    throw new UnknownHostException(host + ": not in the static resolver table");
                }
                return a;
            }

            @Override
            public String toString() {
                return "NameResolver.staticMap" + frozen.keySet();
            }
        };
    }

    /** The JDK resolver. */
    final class SystemResolver implements NameResolver {
        static final SystemResolver INSTANCE = new SystemResolver();

        private SystemResolver() {
        }

        static InetAddress literal(String literal) {
            Objects.requireNonNull(literal, "address");
            String s = literal.startsWith("[") && literal.endsWith("]")
                    ? literal.substring(1, literal.length() - 1) : literal;
            boolean looksLiteral = s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')
                    && (s.indexOf('.') > 0 || s.indexOf(':') >= 0);
            if (!looksLiteral) {
                throw new IllegalArgumentException("address must be an IP literal, got '" + literal + "'");
            }
            try {
                return InetAddress.getByName(s);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("address must be an IP literal, got '" + literal + "'");
            }
        }

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            return List.of(InetAddress.getAllByName(host));
        }

        @Override
        public String toString() {
            return "NameResolver.system()";
        }
    }
}
