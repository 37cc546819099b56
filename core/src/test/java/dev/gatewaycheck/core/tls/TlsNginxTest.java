package dev.gatewaycheck.core.tls;

import static dev.gatewaycheck.core.tls.Pki.HOST;
import static dev.gatewaycheck.core.tls.Pki.INTERMEDIATE;
import static dev.gatewaycheck.core.tls.Pki.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.core.judge.CertFacts;
import dev.gatewaycheck.testkit.Expect;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.Nginx;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real nginx (Debian package) serving an expired certificate for the wrong name gets the same findings as the
 * in-JVM server presenting the same chain.
 */
class TlsNginxTest {
    static final Held BAD = TestCertificates.leaf("old.example.test", INTERMEDIATE).expired().build();

    private static Nginx nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        if (!Nginx.installed()) {
            fail("nginx is not installed at " + Nginx.BINARY + ": install the Debian package "
                    + "(apt-get install nginx); .ci/run installs it on CI");
        }
        nginx = Nginx.serving(BAD, INTERMEDIATE);
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    private static Set<String> tlsCauses(Report r) {
        Set<String> s = new TreeSet<>();
        for (Finding f : r.findings(dev.gatewaycheck.Category.TLS)) {
            s.add(f.cause().id());
        }
        return s;
    }

    @Test
    void expiredWrongNameCertificateOnRealNginxGetsTheSameFindingsAsTheInJvmServer() {
        Report onNginx = GatewayCheck.forBackend(nginx.url()).withHost(HOST).tls()
                .trusting(ROOT.certificate()).timeout(Duration.ofSeconds(15)).run();
        ReportSchema.valid(onNginx);
        Finding expired = Expect.finding(onNginx, Cause.TLS_CERT_EXPIRED);
        Finding name = Expect.finding(onNginx, Cause.TLS_CERT_HOSTNAME_MISMATCH);
        assertEquals(BAD.certificate().getNotAfter().toInstant().toString(), Expect.evidence(expired, "notAfter"));
        assertEquals("DNS:old.example.test", Expect.evidence(name, "sans"));
        assertEquals(CertFacts.sha256(BAD.certificate()), Expect.evidence(name, "chain[0].sha256"));
        assertEquals(CertFacts.sha256(INTERMEDIATE.certificate()), Expect.evidence(name, "chain[1].sha256"));
        try (FaultServer inJvm = Pki.serve(BAD, BAD.certificate(), INTERMEDIATE.certificate())) {
            Report onJvm = Pki.check(inJvm).trusting(ROOT.certificate()).run();
            ReportSchema.valid(onJvm);
            assertEquals(tlsCauses(onJvm), tlsCauses(onNginx), () -> "in-JVM:\n" + onJvm + "\nnginx:\n" + onNginx);
        }
    }
}
