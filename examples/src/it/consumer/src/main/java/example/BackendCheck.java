package example;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import java.nio.file.Path;
import java.time.Duration;

/** README's "In application code" recipe, as application code calls it. */
public final class BackendCheck {

    private BackendCheck() {
    }

    /** Checks the backend the way the gateway reaches it. */
    public static Report check(String backendUrl) {
        // README: In application code
        Report report = GatewayCheck.forBackend(backendUrl)                  // e.g. "https://10.0.0.4:443"
                .withHost("www.contoso.com")                                 // Host header + SNI + expected cert name
                .against(GatewayProfile.GENERIC)                             // whose limits to judge against
                .trusting(Path.of("root-ca.pem"))                            // the gateway's trusted roots, if private
                .tls().probe()                                               // which checks; none named = all
                .timeout(Duration.ofSeconds(30))                             // one overall deadline
                .run();                                                      // or runAsync()
        report.findings();                 // List<Finding>, most severe first
        report.has(Cause.RESPONSE_TIMEOUT);
        report.isHealthy();                // completed, and no ERROR finding
        String json = report.toJson();     // the documented JSON shape below
        // README end
        System.out.println(json);
        return report;
    }
}
