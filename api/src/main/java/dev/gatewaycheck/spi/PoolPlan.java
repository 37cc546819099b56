package dev.gatewaycheck.spi;

import dev.gatewaycheck.GatewayProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link CheckEngine} needs to check a backend pool: one plan per member as given (a member given by
 * name is expanded by the engine into one check per address), the judging profile, one overall deadline and the
 * most members checked at once. For engine implementers, not applications.
 *
 * <pre>{@code
 * PoolReport r = engine.runPool(GatewayCheck.forPool(List.of("http://10.0.0.4")).plan());
 * }</pre>
 *
 * @param members     one plan per member, in the order given; may be empty (an empty pool is a finding)
 * @param profile     the gateway whose limits judge the findings
 * @param timeout     the overall deadline of the whole pool check
 * @param parallelism the most members checked at the same time (1-256)
 * @param clock       the clock the pool's report starts by (its members' plans carry theirs)
 * @since 0.1
 */
public record PoolPlan(List<CheckPlan> members, GatewayProfile profile, Duration timeout, int parallelism,
                       Clock clock) {

    /** Validates and copies. */
    public PoolPlan {
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        if (parallelism < 1 || parallelism > 256) {
            throw new IllegalArgumentException("parallelism must be 1-256, got " + parallelism);
        }
    }

    /**
     * A plan whose clock is its first member's (the system's UTC clock for an empty pool), as before plans had one of
     * their own.
     */
    public PoolPlan(List<CheckPlan> members, GatewayProfile profile, Duration timeout, int parallelism) {
        this(members, profile, timeout, parallelism, CheckPlan.clockOf(members));
    }
}
