package dev.gatewaycheck.spi;

import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.PoolReport;
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

    /**
     * Checks every member of a pool concurrently and judges the pool as the gateway would (empty, all or some
     * members unhealthy). Engines that cannot check pools keep this default, which refuses.
     *
     * @throws IllegalStateException when this engine does not check pools
     * @since 0.1
     */
    default PoolReport runPool(PoolPlan plan) {
        throw new IllegalStateException(getClass().getName() + " does not check pools; "
                + "use dev.gatewaycheck:gateway-check-core");
    }

    /**
     * Requests a front door's public URL, tells which product produced an error answer, and checks the backends
     * behind it directly with the front door's Host. Engines that cannot keep this default, which refuses.
     *
     * @throws IllegalStateException when this engine does not check front doors
     * @since 0.1
     */
    default FrontendReport runFrontend(FrontendPlan plan) {
        throw new IllegalStateException(getClass().getName() + " does not check front doors; "
                + "use dev.gatewaycheck:gateway-check-core");
    }
}
