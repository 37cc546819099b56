package dev.gatewaycheck.spi;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.NameResolver;
import java.net.URI;
import java.time.Clock;
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
 * @param clock    the clock the report starts by (the backends' plans carry theirs, by which their certificate
 *                 dates are judged)
 * @since 0.1
 */
public record FrontendPlan(URI url, List<CheckPlan> backends, GatewayProfile profile, Duration timeout,
                           NameResolver resolver, Clock clock) {

    /** Validates and copies. */
    public FrontendPlan {
        Objects.requireNonNull(url, "url");
        backends = List.copyOf(Objects.requireNonNull(backends, "backends"));
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * A plan whose clock is its first backend's (the system's UTC clock without backends), as before plans had one
     * of their own.
     */
    public FrontendPlan(URI url, List<CheckPlan> backends, GatewayProfile profile, Duration timeout,
                        NameResolver resolver) {
        this(url, backends, profile, timeout, resolver, CheckPlan.clockOf(backends));
    }

    /** The front door's host name, without IPv6 brackets: the Host and SNI sent to the backends too. */
    public String host() {
        String h = url.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
