package dev.gatewaycheck.examples.bench;

import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;

/**
 * Runs only the TLS check of one backend and prints the report: what the benchmark times, JVM start included,
 * until the command-line tool's {@code --checks tls} exists.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.TlsOnly https://127.0.0.1:8443 [host]
 * }</pre>
 */
public final class TlsOnly {
    private TlsOnly() {
    }

    /** {@code URL [host]}; exits 0 when healthy, 1 when not, 2 on bad arguments. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TlsOnly https://host:port [host-name]");
            System.exit(2);
        }
        GatewayCheck check = GatewayCheck.forBackend(args[0]).tls();
        if (args.length == 2) {
            check = check.withHost(args[1]);
        }
        Report r = check.run();
        System.out.println(r);
        System.exit(r.isHealthy() ? 0 : 1);
    }
}
