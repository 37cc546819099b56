package dev.gatewaycheck;

/**
 * Options of the keep-alive check ({@link GatewayCheck#keepAlive(KeepAliveCheck)}).
 *
 * <pre>{@code
 * GatewayCheck.forBackend(url).keepAlive(KeepAliveCheck.reproduceRace()).run();
 * }</pre>
 *
 * @param raceReproduction after measuring the backend's idle close, also send a request at that instant on an idle
 *                      connection and report whether it failed the way the gateway's request would
 * @since 0.1
 */
public record KeepAliveCheck(boolean raceReproduction) {

    /** Measure the idle close and compare it with the profile (the default). */
    public static KeepAliveCheck measure() {
        return new KeepAliveCheck(false);
    }

    /** Measure, then reproduce the close race with a request sent at the measured close instant. */
    public static KeepAliveCheck reproduceRace() {
        return new KeepAliveCheck(true);
    }
}
