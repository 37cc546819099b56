package dev.gatewaycheck.testkit;

import dev.gatewaycheck.FrontendReport;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.spi.CheckEngine;
import dev.gatewaycheck.spi.CheckPlan;
import dev.gatewaycheck.spi.FrontendPlan;
import dev.gatewaycheck.spi.PoolPlan;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes every report the engine produces in a test JVM validate against the published schema: a JUnit extension
 * (registered by auto-detection: surefire's {@code configurationParameters} and the tests' {@code META-INF/services})
 * that wraps the engine {@code GatewayCheck}, {@code PoolCheck} and {@code FrontendCheck} find, so that
 * {@code run()}, {@code runAsync()}, {@code awaitHealthy(...)} and the pool and front-door runs hand back only
 * reports that passed {@link ReportSchema}. Reports a test builds by hand go through {@link ReportSchema#valid}.
 *
 * <p>The engine is found once per JVM by the api's package-private {@code Engines}; this replaces what it found,
 * by reflection, because the api has (and should have) no hook for it.
 */
public final class SchemaChecked implements CheckEngine, BeforeAllCallback {
    private final CheckEngine engine;

    /** The extension, as auto-detection makes it. */
    public SchemaChecked() {
        this(null);
    }

    private SchemaChecked(CheckEngine engine) {
        this.engine = engine;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws ReflectiveOperationException {
        Class<?> engines = Class.forName("dev.gatewaycheck.Engines");
        synchronized (engines) {
            Method get = engines.getDeclaredMethod("get");
            get.setAccessible(true);
            CheckEngine found = (CheckEngine) get.invoke(null);
            if (!(found instanceof SchemaChecked)) {
                Field field = engines.getDeclaredField("engine");
                field.setAccessible(true);
                field.set(null, new SchemaChecked(found));
            }
        }
    }

    @Override
    public Report run(CheckPlan plan) {
        return ReportSchema.valid(engine.run(plan));
    }

    @Override
    public PoolReport runPool(PoolPlan plan) {
        return ReportSchema.valid(engine.runPool(plan));
    }

    @Override
    public FrontendReport runFrontend(FrontendPlan plan) {
        return ReportSchema.valid(engine.runFrontend(plan));
    }
}
