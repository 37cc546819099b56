package dev.gatewaycheck;

import dev.gatewaycheck.spi.CheckEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Finds the engine once and owns the daemon threads of {@code runAsync}. */
final class Engines {

    private Engines() {
    }

    private static volatile CheckEngine engine;

    /** The engine, looked up once; a failed lookup is not cached, so adding core later and retrying works. */
    static CheckEngine get() {
        CheckEngine e = engine;
        if (e == null) {
            synchronized (Engines.class) {
                e = engine;
                if (e == null) {
                    e = load(GatewayCheck.class.getClassLoader());
                    engine = e;
                }
            }
        }
        return e;
    }

    static CheckEngine load(ClassLoader loader) {
        List<CheckEngine> found = new ArrayList<>();
        for (CheckEngine e : ServiceLoader.load(CheckEngine.class, loader)) {
            found.add(e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("No GatewayCheck engine on the classpath: add "
                    + "dev.gatewaycheck:gateway-check-core (same version as gateway-check-api)");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("More than one GatewayCheck engine on the classpath, keep one: "
                    + found.stream().map(e -> e.getClass().getName()).toList());
        }
        return found.get(0);
    }

    static ExecutorService executor() {
        return Async.POOL;
    }

    private static final class Async {
        private static final AtomicInteger COUNT = new AtomicInteger();
        // one daemon thread per running check (they block on I/O), never the caller's; idle ones end after 1 s
        static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "gateway-check-" + COUNT.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }
}
