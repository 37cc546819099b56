package dev.gatewaycheck.testkit;

import java.util.Locale;

/**
 * The parts of a request head a fault behaviour answers by: the path and the Host header, so that a test backend
 * can act as a name-based virtual host or answer one path differently.
 *
 * <pre>{@code
 * FaultServer.plain(c -> {
 *     for (String h; (h = c.readRequest()) != null;) {
 *         RequestHead r = RequestHead.parse(h);
 *         c.write(r.host().equals("www.example.test") ? FaultServer.okResponse("hi") : notFound);
 *     }
 * });
 * }</pre>
 *
 * @param method the method
 * @param path   the request target
 * @param host   the Host header without port, lower case, or "" when absent
 */
public record RequestHead(String method, String path, String host) {

    /** Parses a head as {@link FaultServer.Connection#readRequest()} returns it. */
    public static RequestHead parse(String head) {
        String[] lines = head.split("\r?\n");
        String[] first = lines[0].split(" ");
        String host = "";
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("host")) {
                host = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                if (host.startsWith("[")) {
                    host = host.substring(0, host.indexOf(']') + 1);
                } else if (host.indexOf(':') >= 0) {
                    host = host.substring(0, host.indexOf(':'));
                }
            }
        }
        return new RequestHead(first[0], first.length > 1 ? first[1] : "", host);
    }
}
