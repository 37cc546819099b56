package dev.gatewaycheck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.GatewayCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The run's connection order ({@link RunContext#series}): a series' connections are consecutive, so while one series
 * opens its connections another waits to open its own; but an attempt whose connection is open already
 * ({@link RunContext.Connector#opened}, the gateway's handshaken connection) waits for nothing, so its request goes
 * at once, as a gateway sends it right after the handshake. No network: the connects are the test's own.
 */
class SeriesOrderTest {

    /** Runs a connect that may throw. */
    private static void run(RunContext.Connect connect) {
        try {
            connect.run();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anOpenConnectionDoesNotWaitForAnotherSeriesButTheNextConnectionDoes() throws Exception {
        RunContext ctx = RunContext.standalone(GatewayCheck.forBackend("http://127.0.0.1:1").probe()
                .timeout(Duration.ofSeconds(20)).plan());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch openOneRan = new CountDownLatch(1);
        CountDownLatch secondConnected = new CountDownLatch(1);
        try {
            // series A: its first connect holds the run's order until the test lets it go
            Future<List<String>> a = threads.submit(() -> ctx.series(1, 1, i -> true, (i, connector) -> {
                run(() -> connector.connect(() -> {
                    holding.countDown();
                    try {
                        letGo.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                return "a" + i;
            }, x -> false));
            assertTrue(holding.await(10, TimeUnit.SECONDS), "series A never connected");
            // series B: attempt 0 on a connection open already, attempt 1 opening its own
            Future<List<String>> b = threads.submit(() -> ctx.series(2, 1, i -> true, (i, connector) -> {
                if (i == 0) {
                    run(connector::opened);
                    openOneRan.countDown();
                } else {
                    run(() -> connector.connect(secondConnected::countDown));
                }
                return "b" + i;
            }, x -> false));
            assertTrue(openOneRan.await(5, TimeUnit.SECONDS),
                    "the attempt on an open connection waited for another series' connections");
            assertFalse(secondConnected.await(200, TimeUnit.MILLISECONDS),
                    "B's next connection opened while series A was still opening its own");
            letGo.countDown();
            assertEquals(List.of("a0"), a.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("b0", "b1"), b.get(10, TimeUnit.SECONDS));
            assertEquals(0, secondConnected.getCount());
        } finally {
            letGo.countDown();
            threads.shutdownNow();
            ctx.close();
        }
    }
}
