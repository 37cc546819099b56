package dev.gatewaycheck.spi;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.NameResolver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link CheckEngine} needs to check a front door: its public URL, the backends behind it (each a
 * plan that already sends the front door's Host and SNI), the profile (or {@code null}: the profile of the product
 * that answered), one overall deadline and the resolver. For engine implementers, not applications.
 *
 * <pre>{@code
 * FrontendReport r = engine.runFrontend(GatewayCheck.forFrontend("https://www.contoso.com/").plan());
 * }</pre>
 *
 * @param url      the public URL, absolute http(s)
 * @param backends one plan per backend to check directly; may be empty
 * @param profile  the front door's profile, or {@code null} to use the identified product's
 * @param timeout  the overall deadline
 * @param resolver how the front door's name is resolved
 * @since 0.1
 */
public record FrontendPlan(URI url, List<CheckPlan> backends, GatewayProfile profile, Duration timeout,
                           NameResolver resolver) {

    /** Validates and copies. */
    public FrontendPlan {
        Objects.requireNonNull(url, "url");
        backends = List.copyOf(Objects.requireNonNull(backends, "backends"));
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resolver, "resolver");
    }

    /** The front door's host name, without IPv6 brackets: the Host and SNI sent to the backends too. */
    public String host() {
        String h = url.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
