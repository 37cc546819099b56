package dev.gatewaycheck.testcontainers;

import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.UnhealthyBackendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * A Testcontainers wait strategy that holds the container's start until the backend in it passes a gateway-check
 * against its mapped port ({@link GatewayCheck#awaitHealthy(Duration, Duration)}), and fails the start with the last
 * report when it does not within the startup timeout. Configured fluently, like {@code Wait.forHttp(...)}:
 *
 * <pre>{@code
 * GenericContainer<?> app = new GenericContainer<>("my-app:latest")
 *         .withExposedPorts(8080)
 *         .waitingFor(GatewayCheckWaitStrategy.forPort(8080)
 *                 .withHost("www.example.com")
 *                 .against(GatewayProfile.AZURE_APP_GATEWAY_V2)
 *                 .withStartupTimeout(Duration.ofSeconds(60)));
 * }</pre>
 *
 * <p>The check connects to {@code http://<container host>:<mapped port><path>} ({@code https} with
 * {@link #usingTls()}). With no check named it runs the quick {@link GatewayCheck#READINESS_CHECKS}. A start that
 * fails throws Testcontainers' {@link ContainerLaunchException} whose message is the last report (attempts and time
 * waited included) and whose cause is the {@link UnhealthyBackendException} that carries it.
 *
 * <p>Like Testcontainers' own strategies, an instance is configured in place (each method returns {@code this}) and
 * belongs to one container. Needs {@code org.testcontainers:testcontainers} on the class path (an optional
 * dependency of {@code gateway-check-core}).
 *
 * @since 0.1
 */
public final class GatewayCheckWaitStrategy extends AbstractWaitStrategy {

    private final Integer port;
    private boolean tls;
    private String host;
    private String path = "/";
    private GatewayProfile profile = GatewayProfile.GENERIC;
    private final Set<Check> checks = EnumSet.noneOf(Check.class);
    private Duration pollInterval = GatewayCheck.DEFAULT_POLL_INTERVAL;

    private GatewayCheckWaitStrategy(Integer port) {
        this.port = port;
    }

    /** Checks the backend on the container's first exposed port. */
    public static GatewayCheckWaitStrategy forBackend() {
        return new GatewayCheckWaitStrategy(null);
    }

    /**
     * Checks the backend on this exposed container port (the mapped host port is found when the container runs).
     *
     * @throws IllegalArgumentException when {@code containerPort} is not 1-65535
     */
    public static GatewayCheckWaitStrategy forPort(int containerPort) {
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("containerPort must be 1-65535, got " + containerPort);
        }
        return new GatewayCheckWaitStrategy(containerPort);
    }

    /** Connects with TLS ({@code https}): the backend's certificate is checked the gateway's way. */
    public GatewayCheckWaitStrategy usingTls() {
        this.tls = true;
        return this;
    }

    /** The Host header, SNI and certificate name the gateway sends; see {@link GatewayCheck#withHost(String)}. */
    public GatewayCheckWaitStrategy withHost(String host) {
        GatewayCheck.forBackend("http://127.0.0.1:1").withHost(host);   // validates, naming "host"
        this.host = host;
        return this;
    }

    /** The request path the gateway forwards, default {@code /}; see {@link GatewayCheck#withPath(String)}. */
    public GatewayCheckWaitStrategy withPath(String path) {
        GatewayCheck.forBackend("http://127.0.0.1:1").withPath(path);   // validates, naming "path"
        this.path = path;
        return this;
    }

    /** The gateway whose limits and probe judge readiness; default {@link GatewayProfile#GENERIC}. */
    public GatewayCheckWaitStrategy against(GatewayProfile profile) {
        this.profile = Objects.requireNonNull(profile, "profile");
        return this;
    }

    /** Exactly these checks; none named: {@link GatewayCheck#READINESS_CHECKS}. */
    public GatewayCheckWaitStrategy checks(Check... selected) {
        GatewayCheck.forBackend("http://127.0.0.1:1").checks(selected);   // validates, naming "checks"
        this.checks.clear();
        this.checks.addAll(List.of(selected));
        return this;
    }

    /**
     * How often a check starts; default {@link GatewayCheck#DEFAULT_POLL_INTERVAL}.
     *
     * @throws IllegalArgumentException when it is not positive
     */
    public GatewayCheckWaitStrategy pollingEvery(Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
        this.pollInterval = pollInterval;
        return this;
    }

    /** {@inheritDoc} Returns this strategy, so the chain can go on. */
    @Override
    public GatewayCheckWaitStrategy withStartupTimeout(Duration startupTimeout) {
        super.withStartupTimeout(Objects.requireNonNull(startupTimeout, "startupTimeout"));
        return this;
    }

    /** The check this strategy runs against a container reachable at {@code host:mappedPort}. */
    GatewayCheck check(String containerHost, int mappedPort) {
        String h = containerHost.contains(":") && !containerHost.startsWith("[") ? "[" + containerHost + "]"
                : containerHost;
        GatewayCheck c = GatewayCheck.forBackend((tls ? "https" : "http") + "://" + h + ":" + mappedPort)
                .withPath(path).against(profile);
        if (host != null) {
            c = c.withHost(host);
        }
        return checks.isEmpty() ? c : c.checks(checks.toArray(new Check[0]));
    }

    @Override
    protected void waitUntilReady() {
        int containerPort;
        if (port != null) {
            containerPort = port;
        } else {
            List<Integer> exposed = new ArrayList<>(waitStrategyTarget.getExposedPorts());
            if (exposed.isEmpty()) {
                throw new ContainerLaunchException("GatewayCheckWaitStrategy.forBackend() needs an exposed port: "
                        + "call withExposedPorts(...) on the container, or use forPort(containerPort)");
            }
            containerPort = exposed.get(0);
        }
        Integer mapped = waitStrategyTarget.getMappedPort(containerPort);
        GatewayCheck c = check(waitStrategyTarget.getHost(), mapped);
        try {
            c.awaitHealthy(startupTimeout, pollInterval);
        } catch (UnhealthyBackendException e) {
            throw new ContainerLaunchException("Container port " + containerPort + " (mapped to " + mapped
                    + ") is not ready for the gateway. " + e.getMessage(), e);
        }
    }

    /** The configuration, e.g. for a log line. */
    @Override
    public String toString() {
        return "GatewayCheckWaitStrategy[port=" + (port == null ? "first exposed" : port) + ", tls=" + tls
                + ", host=" + host + ", path=" + path + ", profile=" + profile.id() + ", checks="
                + (checks.isEmpty() ? GatewayCheck.READINESS_CHECKS : checks) + ", startupTimeout=" + startupTimeout
                + ", pollInterval=" + pollInterval + "]";
    }
}
