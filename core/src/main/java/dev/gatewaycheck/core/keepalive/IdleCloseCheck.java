package dev.gatewaycheck.core.keepalive;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;

/** The keep-alive idle-close measurement (issue 4 fills it in). */
public final class IdleCloseCheck {

    private IdleCloseCheck() {
    }

    /** Runs the measurement; returns a skip reason, or null when it ran. */
    public static String run(RunContext ctx, Target target) {
        return "keep-alive measurement is not available in this build yet";
    }
}
