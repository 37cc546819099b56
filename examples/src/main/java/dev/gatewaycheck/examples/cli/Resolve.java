package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.NameResolver;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * One {@code --resolve HOST:PORT:ADDRESS[,ADDRESS...]} entry, curl's meaning: connections to HOST on PORT go to
 * ADDRESS while HOST is still what is sent (Host header, SNI, certificate name).
 *
 * @param host      the lower-case host name
 * @param port      the port it applies to
 * @param addresses the address literals, IPv6 without brackets
 */
record Resolve(String host, int port, List<String> addresses) {

    Resolve {
        Objects.requireNonNull(host, "host");
        addresses = List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return host + ":" + port + ":" + String.join(",", addresses.stream()
                .map(a -> a.indexOf(':') >= 0 ? "[" + a + "]" : a).toList());
    }

    /**
     * Parses one value of {@code --resolve}: {@code HOST:PORT:ADDRESS[,ADDRESS...]}, IPv6 addresses in brackets.
     *
     * @throws IllegalArgumentException with a reason that reads after the option's name ("must look like ...")
     */
    static Resolve parse(String value) {
        int c1 = value.indexOf(':');
        int c2 = c1 < 0 ? -1 : value.indexOf(':', c1 + 1);
        if (c1 <= 0 || c2 < 0 || c2 == value.length() - 1) {
            throw new IllegalArgumentException("must look like HOST:PORT:ADDRESS, e.g. "
                    + "www.contoso.com:443:127.0.0.1, got '" + value + "'");
        }
        String host = value.substring(0, c1).toLowerCase(Locale.ROOT);
        int port;
        try {
            port = Integer.parseInt(value.substring(c1 + 1, c2));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("must have a port 1-65535 between HOST and ADDRESS, got '"
                    + value + "'");
        }
        List<String> addresses = new ArrayList<>();
        for (String a : value.substring(c2 + 1).split(",", -1)) {
            try {
                // validates the literal the way the library's static resolver does
                NameResolver.staticMap(Map.of(host, List.of(a)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must end in IP addresses (IPv6 in brackets), got '"
                        + a + "' in '" + value + "'");
            }
            addresses.add(a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a);
        }
        return new Resolve(host, port, addresses);
    }

    /** Parses the option's value for picocli ({@link #parse}); only the picocli path loads it. */
    static final class Converter implements CommandLine.ITypeConverter<Resolve> {
        @Override
        public Resolve convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * A resolver answering the entries' hosts from the entries and every other name from the system. Each entry must
     * name the host and port of one of {@code targets} (as curl applies an entry only to its host and port).
     *
     * @throws Options.UsageException when an entry matches no target, or one host gets different addresses
     */
    static NameResolver resolver(Collection<Resolve> entries, Collection<URI> targets) throws Options.UsageException {
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (Resolve r : entries) {
            boolean used = targets.stream().map(u -> GatewayCheck.forBackend(u).plan())
                    .anyMatch(p -> r.host.equalsIgnoreCase(p.backendHost()) && r.port == p.port());
            if (!used) {
                throw new Options.UsageException("--resolve " + r + " matches no URL's host and port " + targets);
            }
            List<String> before = table.putIfAbsent(r.host, r.addresses);
            if (before != null && !before.equals(r.addresses)) {
                throw new Options.UsageException("--resolve gives " + r.host + " different addresses for different "
                        + "ports; the checks resolve by name: give one");
            }
        }
        NameResolver fixed = NameResolver.staticMap(table);
        NameResolver system = NameResolver.system();
        String shown = "--resolve " + entries;
        return new NameResolver() {
            @Override
            public List<InetAddress> resolve(String host) throws UnknownHostException {
                return table.containsKey(host.toLowerCase(Locale.ROOT)) ? fixed.resolve(host) : system.resolve(host);
            }

            @Override
            public String toString() {
                return shown;
            }
        };
    }
}
