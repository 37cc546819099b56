package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The engine's implementation packages are not API: the module exports only the test integrations. */
class ModuleDescriptorTest {

    @Test
    void coreExportsOnlyTheIntegrationsAndProvidesTheEngine() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target/classes")).find("dev.gatewaycheck.core").orElseThrow()
                .descriptor();
        assertEquals(Set.of("dev.gatewaycheck.junit", "dev.gatewaycheck.testcontainers"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertEquals(List.of("dev.gatewaycheck.spi.CheckEngine -> [dev.gatewaycheck.core.DefaultCheckEngine]"),
                d.provides().stream().map(p -> p.service() + " -> " + p.providers()).toList());
    }

    @Test
    void onTheModulePathTheApiFindsTheEngineWithoutTheOptionalLibraries() throws Exception {
        List<Path> path = new ArrayList<>(List.of(Path.of("../api/target/classes"), Path.of("target/classes")));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("httpclient5") || e.contains("httpcore5") || e.contains("slf4j-api")) {
                path.add(Path.of(e));
            }
        }
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(ModuleFinder.of(path.toArray(Path[]::new)),
                ModuleFinder.of(), Set.of("dev.gatewaycheck.api"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        Class<?> spi = layer.findLoader("dev.gatewaycheck.api").loadClass("dev.gatewaycheck.spi.CheckEngine");
        assertEquals("dev.gatewaycheck.core.DefaultCheckEngine",
                ServiceLoader.load(layer, spi).findFirst().orElseThrow().getClass().getName());
        Module core = layer.findModule("dev.gatewaycheck.core").orElseThrow();
        assertFalse(core.isExported("dev.gatewaycheck.core.judge"));
        assertFalse(core.isExported("dev.gatewaycheck.core.http"));
    }
}
