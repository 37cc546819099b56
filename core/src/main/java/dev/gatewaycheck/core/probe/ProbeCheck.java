package dev.gatewaycheck.core.probe;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;

/** The gateway's health probe (issue 5 fills in the probe semantics). */
public final class ProbeCheck {

    private ProbeCheck() {
    }

    /** Runs the probe; returns a skip reason, or null when it ran. */
    public static String run(RunContext ctx, Target target) {
        return "health-probe semantics are not available in this build yet";
    }
}
