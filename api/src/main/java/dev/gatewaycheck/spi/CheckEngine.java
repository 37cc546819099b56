package dev.gatewaycheck.spi;

import dev.gatewaycheck.Report;

/**
 * The machinery behind {@link dev.gatewaycheck.GatewayCheck#run()}, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.gatewaycheck.spi.CheckEngine}). {@code gateway-check-core} provides one. For engine
 * implementers, not applications.
 *
 * <pre>{@code
 * public final class MyEngine implements CheckEngine {
 *     public Report run(CheckPlan plan) { ... }
 * }
 * }</pre>
 *
 * <p>Implementations must be thread-safe, must never throw for anything the network does (every failure is a
 * finding), must honour {@link CheckPlan#timeout()} as one overall deadline, and must leave no threads or sockets
 * behind.
 *
 * @since 0.1
 */
public interface CheckEngine {

    /** Runs the plan and reports what was found. */
    Report run(CheckPlan plan);
}
