package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Text;
import java.util.List;

/**
 * What a name lookup ({@link DnsSeen}) and a TCP connect ({@link ConnectSeen}) show: the causes
 * BACKEND_DNS_RESOLUTION_FAILURE, CONNECT_TIMEOUT, HOST_UNREACHABLE and CONNECTION_REFUSED. Pure.
 *
 * <pre>{@code
 * ctx.observe(ConnectRules.of(new ConnectSeen(label, address, elapsed, failure), ctx.profile()));
 * }</pre>
 */
public final class ConnectRules {

    private ConnectRules() {
    }

    /** The observation a failed connect names under {@code profile}; none when the connection was accepted. */
    public static List<Observation> of(ConnectSeen seen, GatewayProfile profile) {
        TransportFailure f = seen.failure();
        if (f == null) {
            return List.of();
        }
        String host = seen.address().getAddress().getHostAddress();
        Evidence ev = Evidence.builder().put("address", host)
                .put("port", seen.address().getPort()).put("elapsedSeconds", seen.elapsed())
                .put("gatewayConnectTimeoutSeconds", profile.connectTimeout())
                .put("exception", f.exception()).put("exceptionMessage", f.message())
                .put("vantagePoint", "connected from this machine; the gateway's network path may differ")
                .build();
        return List.of(switch (f.kind()) {
            case CONNECT_TIMED_OUT -> Observation.of(Cause.CONNECT_TIMEOUT, seen.backend(), "No answer to the TCP "
                    + "handshake within " + Text.seconds(seen.elapsed()) + " (likely NETWORK_PATH_BLOCKED: a firewall "
                    + "or security group drops the packets)", ev);
            case UNREACHABLE -> Observation.of(Cause.HOST_UNREACHABLE, seen.backend(), "No route to " + host + " ("
                    + f.message() + ")", ev);
            case REFUSED -> Observation.of(Cause.CONNECTION_REFUSED, seen.backend(), "Port " + seen.address().getPort()
                    + " refused the connection (TCP RST) after " + Text.seconds(seen.elapsed()), ev);
            default -> Observation.of(Cause.CONNECTION_REFUSED, seen.backend(), "The connection failed: "
                    + f.thrown(), ev);
        });
    }

    /** The observation a failed lookup names; none when the name resolved. */
    public static List<Observation> of(DnsSeen seen) {
        if (seen.lookup() == DnsSeen.Lookup.RESOLVED) {
            return List.of();
        }
        boolean timedOut = seen.lookup() == DnsSeen.Lookup.TIMED_OUT;
        Evidence ev = Evidence.builder().put("name", seen.name()).put("resolver", seen.resolver())
                .put("elapsedSeconds", seen.elapsed()).put("systemResolverAnswer", seen.systemAnswer())
                .put("vantagePoint", "resolved from this machine with the resolver above; the gateway uses its own")
                .put("error", timedOut ? "timeout" : seen.error()).build();
        return List.of(Observation.of(Cause.BACKEND_DNS_RESOLUTION_FAILURE, seen.backend(), timedOut
                ? "The lookup of " + seen.name() + " did not answer within " + seen.lookupTimeout().toSeconds() + "s"
                : "The name " + seen.name() + " does not resolve (" + seen.error() + ")", ev));
    }
}
