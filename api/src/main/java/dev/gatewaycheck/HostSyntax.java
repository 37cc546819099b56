package dev.gatewaycheck;

import java.net.IDN;
import java.util.regex.Pattern;

/**
 * What a Host (or a probe's host) may be: a DNS name, an IPv4 literal, or an IPv6 literal (bare or in brackets),
 * without a port. Pure syntax, no lookup.
 */
final class HostSyntax {

    private static final Pattern LABEL = Pattern.compile("([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private HostSyntax() {
    }

    /**
     * Returns {@code host} trimmed when it is a DNS name, an IPv4 literal or an IPv6 literal; an internationalised
     * name as its ASCII form ({@link IDN#toASCII}), a fully qualified name without its trailing dot. A wildcard
     * pattern ({@code *.example.com}) is refused: a gateway sends one name.
     *
     * @param host the host
     * @param what the argument's name for the message, e.g. {@code host}
     * @throws IllegalArgumentException naming {@code what}; for {@code name:port}, saying where the port goes
     */
    static String require(String host, String what) {
        String h = host.trim();
        if (h.indexOf('*') >= 0) {
            throw new IllegalArgumentException(what + " must be one host name, not a wildcard pattern, got '" + host
                    + "': give the name the gateway sends, e.g. www.example.com for *.example.com");
        }
        if (!h.chars().allMatch(c -> c < 0x80)) {
            // an internationalised name: the gateway sends its ASCII (punycode) form, as DNS and SNI carry it
            try {
                h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " must be a DNS name, an IPv4 address or an IPv6 address, "
                        + "got '" + host + "', which is no valid internationalised name (" + e.getMessage() + ")");
            }
        }
        if (isName(h)) {
            // a fully qualified name's trailing dot: the gateway (nginx, browsers) drops it from Host and SNI
            return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        }
        if (isIpv4(h) || isIpv6(h)) {
            return h;
        }
        int colon = h.lastIndexOf(':');
        if (colon > 0) {
            String before = h.substring(0, colon);
            String port = h.substring(colon + 1);
            boolean hostPart = before.startsWith("[") ? before.endsWith("]") && isIpv6(before)
                    : before.indexOf(':') < 0 && (isName(before) || isIpv4(before));
            if (hostPart && PORT.matcher(port).matches() && Integer.parseInt(port) >= 1
                    && Integer.parseInt(port) <= 65535) {
                throw new IllegalArgumentException(what + " must not carry a port, got '" + host + "': the Host, SNI "
                        + "and certificate name are " + before + "; put the port in the backend URI instead, e.g. "
                        + "https://10.0.0.4:" + port + "/");
            }
        }
        throw new IllegalArgumentException(what + " must be a DNS name such as www.contoso.com, an IPv4 address "
                + "or an IPv6 address (bare or in brackets), without a port, got '" + host + "'");
    }

    static boolean isIpv4(String h) {
        return IPV4.matcher(h).matches();
    }

    static boolean isName(String h) {
        if (h.isEmpty() || h.length() > 253 || h.startsWith(".")) {
            return false;
        }
        String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        String[] labels = n.split("\\.", -1);
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return false;
            }
        }
        // all-numeric dotted names are IPv4 or nothing (RFC 1123: a top-level label is not all digits)
        return !DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    static boolean isIpv6(String h) {
        String a = h;
        if (a.startsWith("[") || a.endsWith("]")) {
            if (!a.startsWith("[") || !a.endsWith("]") || a.length() < 3) {
                return false;
            }
            a = a.substring(1, a.length() - 1);
        }
        int pct = a.indexOf('%');
        if (pct >= 0) {
            if (pct == a.length() - 1 || !ZONE.matcher(a.substring(pct + 1)).matches()) {
                return false;
            }
            a = a.substring(0, pct);
        }
        if (a.indexOf(':') < 0 || !IPV6_CHARS.matcher(a).matches()) {
            return false;
        }
        int dbl = a.indexOf("::");
        if (dbl >= 0 && a.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] parts = a.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                // only as part of the one "::" (which also yields empties at either end)
                continue;
            }
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                if (!isIpv4(p)) {
                    return false;
                }
                groups += 2;
            } else if (p.length() > 4 || p.indexOf('.') >= 0) {
                return false;
            } else {
                groups++;
            }
        }
        if (dbl < 0) {
            return groups == 8 && !a.startsWith(":") && !a.endsWith(":");
        }
        if ((a.startsWith(":") && !a.startsWith("::")) || (a.endsWith(":") && !a.endsWith("::"))) {
            return false;
        }
        return groups <= 7;
    }
}
