package dev.gatewaycheck.core.connect;

import dev.gatewaycheck.GatewayCheck;
import java.time.Duration;

/** Runs one check and prints its JSON; started by a test inside a network namespace it created. */
public final class InNamespaceMain {
    private InNamespaceMain() {
    }

    public static void main(String[] args) {
        System.out.println(GatewayCheck.forBackend(args[0]).timeout(Duration.ofSeconds(5)).run().toJson());
    }
}
