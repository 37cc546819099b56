package dev.gatewaycheck.junit;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.UnhealthyBackendException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that waits until a backend is ready for the gateway
 * ({@link GatewayCheck#awaitHealthy(Duration, Duration)}) before the tests of a class run, fails them with the last
 * report when it never becomes ready, and injects that {@link Report} into tests and lifecycle methods that declare
 * a parameter of that type.
 *
 * <pre>{@code
 * class CheckoutIT {
 *     @RegisterExtension
 *     static GatewayCheckExtension backend = GatewayCheckExtension
 *             .waitingFor(() -> GatewayCheck.forBackend(System.getProperty("backend.url")).withHost("www.example.com"))
 *             .atMost(Duration.ofSeconds(60));
 *
 *     @Test
 *     void answersThroughTheGateway(Report ready) {
 *         assertTrue(ready.isHealthy());
 *     }
 * }
 * }</pre>
 *
 * <p>Registered on a {@code static} field, it waits once, before {@code @BeforeAll} methods; on an instance field,
 * before each test. When the backend is not ready in time the wait's {@link UnhealthyBackendException} (an
 * {@link AssertionError} whose message is the last report, the attempts and the time waited) fails the class, or
 * the test. The check is taken from the supplier when the wait starts, so it may name a server started by a static
 * initialiser or by another extension registered before this one. With no check named on it, the wait runs the quick
 * {@link GatewayCheck#READINESS_CHECKS}.
 *
 * <p>Immutable: {@link #atMost(Duration)} and {@link #pollingEvery(Duration)} return a new extension. Needs
 * {@code junit-jupiter-api} on the test class path (an optional dependency of {@code gateway-check-core}).
 *
 * @since 0.1
 */
public final class GatewayCheckExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    /** The default of {@link #atMost(Duration)}: 60 s. */
    public static final Duration DEFAULT_AT_MOST = Duration.ofSeconds(60);

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            GatewayCheckExtension.class);

    private final Supplier<GatewayCheck> check;
    private final Duration atMost;
    private final Duration pollInterval;

    private GatewayCheckExtension(Supplier<GatewayCheck> check, Duration atMost, Duration pollInterval) {
        this.check = check;
        this.atMost = atMost;
        this.pollInterval = pollInterval;
    }

    /**
     * Waits for this check.
     *
     * @throws NullPointerException naming {@code check}
     */
    public static GatewayCheckExtension waitingFor(GatewayCheck check) {
        Objects.requireNonNull(check, "check");
        return new GatewayCheckExtension(() -> check, DEFAULT_AT_MOST, GatewayCheck.DEFAULT_POLL_INTERVAL);
    }

    /**
     * Waits for the check the supplier returns when the wait starts (for a backend whose address is known only
     * then).
     *
     * @throws NullPointerException naming {@code check}
     */
    public static GatewayCheckExtension waitingFor(Supplier<GatewayCheck> check) {
        Objects.requireNonNull(check, "check");
        return new GatewayCheckExtension(check, DEFAULT_AT_MOST, GatewayCheck.DEFAULT_POLL_INTERVAL);
    }

    /**
     * How long to wait at most. Default {@link #DEFAULT_AT_MOST}. Returns a new extension.
     *
     * @throws NullPointerException     naming {@code atMost}
     * @throws IllegalArgumentException when it is not positive
     */
    public GatewayCheckExtension atMost(Duration atMost) {
        return new GatewayCheckExtension(check, positive(atMost, "atMost"), pollInterval);
    }

    /**
     * How often to start a check. Default {@link GatewayCheck#DEFAULT_POLL_INTERVAL}. Returns a new extension.
     *
     * @throws NullPointerException     naming {@code pollInterval}
     * @throws IllegalArgumentException when it is not positive
     */
    public GatewayCheckExtension pollingEvery(Duration pollInterval) {
        return new GatewayCheckExtension(check, atMost, positive(pollInterval, "pollInterval"));
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        await(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        await(context);
    }

    /**
     * Waits once per store (the class's for a static field, the test's for an instance field); rethrows a failure.
     * {@code getOrComputeIfAbsent} is deprecated in JUnit 6 but is the method JUnit 5 has: it keeps the extension
     * working with both.
     */
    @SuppressWarnings("deprecation")
    private void await(ExtensionContext context) {
        Object outcome = context.getStore(NAMESPACE).getOrComputeIfAbsent(this, key -> {
            GatewayCheck c = Objects.requireNonNull(check.get(), "the check supplier returned null");
            try {
                return c.awaitHealthy(atMost, pollInterval);
            } catch (UnhealthyBackendException e) {
                return e;
            }
        });
        if (outcome instanceof UnhealthyBackendException e) {
            throw e;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Report.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        await(extensionContext);
        Object outcome = extensionContext.getStore(NAMESPACE).get(this);
        if (outcome instanceof Report r) {
            return r;
        }
        throw new ParameterResolutionException("no healthy report to inject: the backend was not ready");
    }

    /** The configuration, e.g. {@code GatewayCheckExtension[atMost=PT1M, pollInterval=PT0.5S]}. */
    @Override
    public String toString() {
        return "GatewayCheckExtension[atMost=" + atMost + ", pollInterval=" + pollInterval + "]";
    }
}
