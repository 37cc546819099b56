package dev.gatewaycheck.examples.exporter;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The targets the exporter may probe. An exporter that connects wherever a request tells it is an open proxy, so
 * every target must match an entry before any connection is made. An entry is {@code SCHEME://HOST[:PORT]}:
 * SCHEME is {@code http}, {@code https} or {@code *}; HOST is a DNS name, {@code *.suffix} (any name below it), an
 * IP address or a CIDR block ({@code 10.0.0.0/8}, {@code [fd00::]/8}) that an address literal in the target must
 * fall in (names are never resolved to match a block); PORT is a number or {@code *}, the scheme's default port
 * when left out.
 *
 * <pre>{@code
 * AllowList.of(List.of("http://127.0.0.1:*", "https://*.internal.example:443")).match(URI.create(target));
 * }</pre>
 */
final class AllowList {
    /** An entry's port when it names none: the target's scheme's default port. */
    private static final int SCHEME_DEFAULT = -2;
    /** An entry's port {@code *}: any port. */
    private static final int ANY = -1;
    /** The prefix length of an address's full block (bits per address byte). */
    private static final int BITS_PER_BYTE = 8;

    /** One parsed entry. */
    private record Entry(String text, String scheme, String host, InetAddress network, int prefix, int port) {

        boolean matches(String targetScheme, String targetHost, InetAddress literal, int targetPort) {
            if (!scheme.equals("*") && !scheme.equals(targetScheme)) {
                return false;
            }
            int wanted = port == SCHEME_DEFAULT ? defaultPort(targetScheme) : port;
            if (wanted != ANY && wanted != targetPort) {
                return false;
            }
            if (network != null) {
                return literal != null && inBlock(literal);
            }
            if (host.startsWith("*.")) {
                return literal == null && targetHost.endsWith(host.substring(1))
                        && targetHost.length() > host.length() - 1;
            }
            return host.equals(targetHost);
        }

        private boolean inBlock(InetAddress a) {
            byte[] x = a.getAddress();
            byte[] n = network.getAddress();
            if (x.length != n.length) {
                return false;
            }
            int bits = x.length * BITS_PER_BYTE;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefix).xor(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, x).and(mask).equals(new BigInteger(1, n).and(mask));
        }
    }

    private final List<Entry> entries;

    private AllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses the entries.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code SCHEME://HOST[:PORT]}
     */
    static AllowList of(List<String> texts) {
        Objects.requireNonNull(texts, "allow");
        List<Entry> entries = new ArrayList<>();
        for (String t : texts) {
            entries.add(parse(t));
        }
        return new AllowList(entries);
    }

    /** The entries as written. */
    List<String> entries() {
        return entries.stream().map(Entry::text).toList();
    }

    /** The first entry that allows {@code target}, or empty when none does (or the target is not http(s)). */
    Optional<String> match(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null
                || target.getRawUserInfo() != null) {
            return Optional.empty();
        }
        String host = target.getHost().toLowerCase(Locale.ROOT);
        InetAddress literal = literal(host);
        int port = target.getPort() == -1 ? defaultPort(scheme) : target.getPort();
        for (Entry e : entries) {
            if (e.matches(scheme, host, literal, port)) {
                return Optional.of(e.text());
            }
        }
        return Optional.empty();
    }

    private static Entry parse(String text) {
        String fail = "allow entries must look like http://127.0.0.1:*, https://*.internal.example:443 or "
                + "https://10.0.0.0/8:443, got '" + text + "'";
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException(fail);
        }
        String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("*")) {
            throw new IllegalArgumentException(fail);
        }
        String rest = text.substring(sep + 3);
        if (rest.endsWith("/") && !rest.matches(".*/\\d+/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String hostPart;
        String portPart = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(fail);
            }
            hostPart = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith("/")) {
                int colon = after.indexOf(':');
                hostPart += colon < 0 ? after : after.substring(0, colon);
                after = colon < 0 ? "" : after.substring(colon);
            }
            if (after.startsWith(":")) {
                portPart = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException(fail);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            hostPart = colon < 0 ? rest : rest.substring(0, colon);
            portPart = colon < 0 ? null : rest.substring(colon + 1);
        }
        int port;
        if (portPart == null) {
            port = SCHEME_DEFAULT;
        } else if (portPart.equals("*")) {
            port = ANY;
        } else {
            try {
                port = Integer.parseInt(portPart);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(fail);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(fail);
            }
        }
        hostPart = hostPart.toLowerCase(Locale.ROOT);
        if (hostPart.isEmpty() || hostPart.equals("*")) {
            throw new IllegalArgumentException("allow entries must name a host, a *.domain or an address block ("
                    + "\"*\" would make the exporter an open proxy), got '" + text + "'");
        }
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            InetAddress network = literal(hostPart.substring(0, slash));
            int prefix;
            try {
                prefix = Integer.parseInt(hostPart.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (network == null || prefix < 0 || prefix > network.getAddress().length * BITS_PER_BYTE) {
                throw new IllegalArgumentException(fail);
            }
            return new Entry(text, scheme, hostPart, network, prefix, port);
        }
        if (!hostPart.matches("(\\*\\.)?[a-z0-9._:-]+")) {
            throw new IllegalArgumentException(fail);
        }
        InetAddress lit = literal(hostPart);
        return lit == null ? new Entry(text, scheme, hostPart, null, 0, port)
                : new Entry(text, scheme, hostPart, lit, lit.getAddress().length * BITS_PER_BYTE, port);
    }

    /** The address for an IP literal (IPv6 bare or in URI brackets), or null for a name (never resolves). */
    static InetAddress literal(String host) {
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        // InetAddress takes an IPv6 literal in brackets as it is
        boolean v6 = host.indexOf(':') >= 0 && host.matches("\\[?[0-9a-fA-F:.]+]?");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return entries().toString();
    }
}
