package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.Finding;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.PoolReport;
import dev.gatewaycheck.Report;
import dev.gatewaycheck.Severity;
import dev.gatewaycheck.Timings;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.testkit.ReportSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The judge's rules, one row each, without a socket: every {@link Cause} for the generic gateway, every preset's
 * special cases, the qualifiers a check can attach, the merge of two phases' findings and the pool's verdicts.
 */
class JudgeTest {

    /**
     * {@code profile cause severity status} for a plain observation. Every cause has a {@code generic} row; a preset
     * has a row only where it differs from the generic verdict with 502 read as the preset's default status.
     */
    static final String VERDICTS = """
            generic         BACKEND_DNS_RESOLUTION_FAILURE             ERROR    502
            generic         CONNECTION_REFUSED                         ERROR    502
            generic         CONNECT_TIMEOUT                            ERROR    502
            generic         HOST_UNREACHABLE                           ERROR    502
            generic         PROTOCOL_PORT_MISMATCH                     ERROR    502
            generic         BACKEND_RESET_CONNECTION                   ERROR    502
            generic         BACKEND_CLOSED_WITHOUT_RESPONSE            ERROR    502
            generic         BACKEND_CLOSED_MID_RESPONSE                ERROR    502
            generic         MALFORMED_STATUS_LINE                      ERROR    502
            generic         INVALID_RESPONSE_HEADER                    ERROR    502
            generic         CONFLICTING_FRAMING_HEADERS                ERROR    502
            generic         INVALID_CHUNKED_ENCODING                   ERROR    502
            generic         CONTENT_LENGTH_MISMATCH                    ERROR    502
            generic         INVALID_COMPRESSED_BODY                    ERROR    502
            generic         RESPONSE_HEADER_TOO_LARGE                  ERROR    502
            generic         RESPONSE_TIMEOUT                           ERROR    502
            generic         BACKEND_RETURNED_GATEWAY_ERROR             ERROR    502
            generic         BACKEND_APP_NOT_DEPLOYED                   ERROR    502
            generic         TLS_CERT_EXPIRED                           ERROR    502
            generic         TLS_CERT_NOT_YET_VALID                     ERROR    502
            generic         TLS_CERT_EXPIRING_SOON                     WARNING  0
            generic         TLS_CERT_HOSTNAME_MISMATCH                 ERROR    502
            generic         TLS_SELF_SIGNED                            ERROR    502
            generic         TLS_CERT_UNTRUSTED_CA                      ERROR    502
            generic         TLS_TRUSTED_ROOT_MISMATCH                  ERROR    502
            generic         TLS_CERT_NOT_ALLOWLISTED                   ERROR    502
            generic         TLS_CHAIN_INCOMPLETE                       ERROR    502
            generic         TLS_CHAIN_MISORDERED                       ERROR    502
            generic         TLS_SNI_REQUIRED_NOT_SENT                  WARNING  502
            generic         TLS_SNI_NOT_SUPPORTED_BY_BACKEND           WARNING  502
            generic         TLS_PROTOCOL_VERSION_MISMATCH              ERROR    502
            generic         TLS_NO_SHARED_CIPHER                       ERROR    502
            generic         TLS_HANDSHAKE_TIMEOUT                      ERROR    502
            generic         TLS_CERT_PROPERTIES_UNSUPPORTED            ERROR    502
            generic         TLS_WEAK_CERTIFICATE                       WARNING  0
            generic         TLS_CERT_REVOKED                           ERROR    502
            generic         BACKEND_REQUIRES_CLIENT_CERT               ERROR    502
            generic         KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY     ERROR    502
            generic         KEEPALIVE_DISABLED_ON_BACKEND              INFO     0
            generic         KEEPALIVE_UNANNOUNCED_CLOSE                WARNING  502
            generic         KEEPALIVE_ADVERTISED_TIMEOUT_NOT_HONOURED  WARNING  502
            generic         PROBE_STATUS_MISMATCH                      ERROR    502
            generic         PROBE_TIMEOUT                              ERROR    502
            generic         PROBE_BODY_MISMATCH                        ERROR    502
            generic         PROBE_HOST_NOT_SERVED                      ERROR    502
            generic         PROBE_MISCONFIGURED                        ERROR    502
            generic         PROBE_INTERMITTENT_FAILURE                 WARNING  502
            generic         EMPTY_BACKEND_POOL                         ERROR    502
            generic         ALL_BACKENDS_UNHEALTHY                     ERROR    502
            generic         SOME_BACKENDS_UNHEALTHY                    WARNING  0
            generic         UNEXPECTED_INTERIM_OR_EARLY_RESPONSE       ERROR    502
            generic         HTTP2_ALPN_MISCONFIGURED                   ERROR    502
            generic         REQUEST_NOT_READ_BY_BACKEND                ERROR    502
            generic         REQUEST_LOOP_DETECTED                      ERROR    502
            generic         FRONTEND_GATEWAY_ERROR                     ERROR    502
            generic         EDGE_FUNCTION_ERROR                        ERROR    502
            generic         GATEWAY_INTERNAL_TRANSIENT                 ERROR    502
            azure-v2        RESPONSE_TIMEOUT                           ERROR    504
            aws-alb         CONNECT_TIMEOUT                            ERROR    504
            aws-alb         CONTENT_LENGTH_MISMATCH                    ERROR    504
            aws-alb         RESPONSE_TIMEOUT                           ERROR    504
            aws-alb         TLS_CERT_EXPIRED                           WARNING  0
            aws-alb         TLS_CERT_NOT_YET_VALID                     WARNING  0
            aws-alb         TLS_CERT_HOSTNAME_MISMATCH                 WARNING  0
            aws-alb         TLS_SELF_SIGNED                            WARNING  0
            aws-alb         TLS_CERT_UNTRUSTED_CA                      WARNING  0
            aws-alb         TLS_TRUSTED_ROOT_MISMATCH                  WARNING  0
            aws-alb         TLS_CERT_NOT_ALLOWLISTED                   WARNING  0
            aws-alb         TLS_CHAIN_INCOMPLETE                       WARNING  0
            aws-alb         TLS_CHAIN_MISORDERED                       WARNING  0
            aws-alb         TLS_SNI_REQUIRED_NOT_SENT                  ERROR    502
            aws-alb         TLS_SNI_NOT_SUPPORTED_BY_BACKEND           WARNING  0
            aws-alb         TLS_CERT_PROPERTIES_UNSUPPORTED            WARNING  0
            aws-alb         TLS_CERT_REVOKED                           WARNING  0
            aws-alb         PROBE_STATUS_MISMATCH                      ERROR    0
            aws-alb         PROBE_TIMEOUT                              ERROR    0
            aws-alb         PROBE_BODY_MISMATCH                        ERROR    0
            aws-alb         PROBE_HOST_NOT_SERVED                      ERROR    0
            aws-alb         PROBE_MISCONFIGURED                        ERROR    0
            aws-alb         PROBE_INTERMITTENT_FAILURE                 WARNING  0
            aws-alb         EMPTY_BACKEND_POOL                         ERROR    503
            aws-alb         ALL_BACKENDS_UNHEALTHY                     WARNING  0
            aws-cloudfront  CONNECT_TIMEOUT                            ERROR    504
            aws-cloudfront  RESPONSE_TIMEOUT                           ERROR    504
            gcp-lb          TLS_CERT_EXPIRED                           WARNING  0
            gcp-lb          TLS_CERT_NOT_YET_VALID                     WARNING  0
            gcp-lb          TLS_CERT_HOSTNAME_MISMATCH                 WARNING  0
            gcp-lb          TLS_SELF_SIGNED                            WARNING  0
            gcp-lb          TLS_CERT_UNTRUSTED_CA                      WARNING  0
            gcp-lb          TLS_TRUSTED_ROOT_MISMATCH                  WARNING  0
            gcp-lb          TLS_CERT_NOT_ALLOWLISTED                   WARNING  0
            gcp-lb          TLS_CHAIN_INCOMPLETE                       WARNING  0
            gcp-lb          TLS_CHAIN_MISORDERED                       WARNING  0
            gcp-lb          TLS_SNI_REQUIRED_NOT_SENT                  ERROR    502
            gcp-lb          TLS_SNI_NOT_SUPPORTED_BY_BACKEND           WARNING  0
            gcp-lb          TLS_CERT_PROPERTIES_UNSUPPORTED            WARNING  503
            gcp-lb          TLS_CERT_REVOKED                           WARNING  0
            gcp-lb          PROBE_STATUS_MISMATCH                      ERROR    503
            gcp-lb          PROBE_TIMEOUT                              ERROR    503
            gcp-lb          PROBE_BODY_MISMATCH                        ERROR    503
            gcp-lb          PROBE_HOST_NOT_SERVED                      ERROR    503
            gcp-lb          PROBE_MISCONFIGURED                        ERROR    503
            gcp-lb          PROBE_INTERMITTENT_FAILURE                 WARNING  503
            gcp-lb          EMPTY_BACKEND_POOL                         ERROR    503
            gcp-lb          ALL_BACKENDS_UNHEALTHY                     ERROR    503
            cloudflare      BACKEND_DNS_RESOLUTION_FAILURE             ERROR    530
            cloudflare      CONNECTION_REFUSED                         ERROR    521
            cloudflare      CONNECT_TIMEOUT                            ERROR    522
            cloudflare      HOST_UNREACHABLE                           ERROR    523
            cloudflare      PROTOCOL_PORT_MISMATCH                     ERROR    521
            cloudflare      CONTENT_LENGTH_MISMATCH                    ERROR    502
            cloudflare      INVALID_COMPRESSED_BODY                    ERROR    502
            cloudflare      RESPONSE_TIMEOUT                           ERROR    524
            cloudflare      TLS_CERT_EXPIRED                           ERROR    526
            cloudflare      TLS_CERT_NOT_YET_VALID                     ERROR    526
            cloudflare      TLS_CERT_HOSTNAME_MISMATCH                 ERROR    526
            cloudflare      TLS_SELF_SIGNED                            ERROR    526
            cloudflare      TLS_CERT_UNTRUSTED_CA                      ERROR    526
            cloudflare      TLS_TRUSTED_ROOT_MISMATCH                  ERROR    526
            cloudflare      TLS_CHAIN_INCOMPLETE                       ERROR    526
            cloudflare      TLS_CHAIN_MISORDERED                       ERROR    526
            cloudflare      TLS_SNI_REQUIRED_NOT_SENT                  WARNING  525
            cloudflare      TLS_SNI_NOT_SUPPORTED_BY_BACKEND           WARNING  525
            cloudflare      TLS_PROTOCOL_VERSION_MISMATCH              ERROR    525
            cloudflare      TLS_NO_SHARED_CIPHER                       ERROR    525
            cloudflare      TLS_HANDSHAKE_TIMEOUT                      ERROR    525
            cloudflare      TLS_CERT_PROPERTIES_UNSUPPORTED            ERROR    526
            cloudflare      TLS_CERT_REVOKED                           ERROR    526
            cloudflare      KEEPALIVE_DISABLED_ON_BACKEND              WARNING  522
            nginx           CONNECT_TIMEOUT                            ERROR    504
            nginx           MALFORMED_STATUS_LINE                      ERROR    0
            nginx           RESPONSE_TIMEOUT                           ERROR    504
            nginx           TLS_CERT_EXPIRED                           WARNING  0
            nginx           TLS_CERT_NOT_YET_VALID                     WARNING  0
            nginx           TLS_CERT_HOSTNAME_MISMATCH                 WARNING  0
            nginx           TLS_SELF_SIGNED                            WARNING  0
            nginx           TLS_CERT_UNTRUSTED_CA                      WARNING  0
            nginx           TLS_TRUSTED_ROOT_MISMATCH                  WARNING  0
            nginx           TLS_CERT_NOT_ALLOWLISTED                   WARNING  0
            nginx           TLS_CHAIN_INCOMPLETE                       WARNING  0
            nginx           TLS_CHAIN_MISORDERED                       WARNING  0
            nginx           TLS_SNI_REQUIRED_NOT_SENT                  ERROR    502
            nginx           TLS_SNI_NOT_SUPPORTED_BY_BACKEND           WARNING  0
            nginx           TLS_HANDSHAKE_TIMEOUT                      ERROR    504
            nginx           TLS_CERT_PROPERTIES_UNSUPPORTED            WARNING  0
            nginx           TLS_CERT_REVOKED                           WARNING  0
            haproxy         CONNECT_TIMEOUT                            ERROR    503
            haproxy         RESPONSE_TIMEOUT                           ERROR    504
            haproxy         TLS_CERT_HOSTNAME_MISMATCH                 INFO     0
            haproxy         TLS_SNI_REQUIRED_NOT_SENT                  ERROR    502
            haproxy         PROBE_STATUS_MISMATCH                      ERROR    503
            haproxy         PROBE_TIMEOUT                              ERROR    503
            haproxy         PROBE_BODY_MISMATCH                        ERROR    503
            haproxy         PROBE_HOST_NOT_SERVED                      ERROR    503
            haproxy         PROBE_MISCONFIGURED                        ERROR    503
            haproxy         PROBE_INTERMITTENT_FAILURE                 WARNING  503
            haproxy         EMPTY_BACKEND_POOL                         ERROR    503
            haproxy         ALL_BACKENDS_UNHEALTHY                     ERROR    503
            haproxy-3-3     CONNECT_TIMEOUT                            ERROR    503
            haproxy-3-3     RESPONSE_TIMEOUT                           ERROR    504
            haproxy-3-3     PROBE_STATUS_MISMATCH                      ERROR    503
            haproxy-3-3     PROBE_TIMEOUT                              ERROR    503
            haproxy-3-3     PROBE_BODY_MISMATCH                        ERROR    503
            haproxy-3-3     PROBE_HOST_NOT_SERVED                      ERROR    503
            haproxy-3-3     PROBE_MISCONFIGURED                        ERROR    503
            haproxy-3-3     PROBE_INTERMITTENT_FAILURE                 WARNING  503
            haproxy-3-3     EMPTY_BACKEND_POOL                         ERROR    503
            haproxy-3-3     ALL_BACKENDS_UNHEALTHY                     ERROR    503
            envoy           RESPONSE_TIMEOUT                           ERROR    504
            envoy           TLS_CERT_EXPIRED                           WARNING  0
            envoy           TLS_CERT_NOT_YET_VALID                     WARNING  0
            envoy           TLS_CERT_HOSTNAME_MISMATCH                 WARNING  0
            envoy           TLS_SELF_SIGNED                            WARNING  0
            envoy           TLS_CERT_UNTRUSTED_CA                      WARNING  0
            envoy           TLS_TRUSTED_ROOT_MISMATCH                  WARNING  0
            envoy           TLS_CERT_NOT_ALLOWLISTED                   WARNING  0
            envoy           TLS_CHAIN_INCOMPLETE                       WARNING  0
            envoy           TLS_CHAIN_MISORDERED                       WARNING  0
            envoy           TLS_SNI_REQUIRED_NOT_SENT                  ERROR    503
            envoy           TLS_SNI_NOT_SUPPORTED_BY_BACKEND           WARNING  0
            envoy           TLS_CERT_PROPERTIES_UNSUPPORTED            WARNING  0
            envoy           TLS_CERT_REVOKED                           WARNING  0
            """;

    private static Observation seen(Cause c) {
        return Observation.of(c, "http://127.0.0.1:8080", "seen", Evidence.EMPTY);
    }

    @Test
    void everyCauseForEveryPresetIsJudgedAsTheTableSays() {
        Map<String, String[]> rows = new HashMap<>();
        for (String line : VERDICTS.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            rows.put(f[0] + " " + f[1], f);
        }
        for (Cause c : Cause.values()) {
            assertTrue(rows.containsKey("generic " + c), () -> "VERDICTS has no generic row for " + c
                    + ": add one (profile cause severity status)");
        }
        for (GatewayProfile p : GatewayProfile.presets()) {
            for (Cause c : Cause.values()) {
                String[] g = rows.get("generic " + c);
                String[] row = rows.getOrDefault(p.id() + " " + c, new String[] {p.id(), c.id(), g[2],
                        g[3].equals("502") ? String.valueOf(p.defaultStatus()) : g[3]});
                Finding f = Judge.finding(seen(c), p);
                String where = p.id() + " " + c;
                assertEquals(Severity.valueOf(row[2]), f.severity(), where);
                assertEquals(Integer.parseInt(row[3]), f.gatewayStatus(), where);
                assertEquals(c.remedy(), f.remedy(), where);
            }
        }
    }

    /** An upload behaviour as the upload check observes it, by kind. */
    static Observation upload(String kind) {
        return Observation.of(Cause.UNEXPECTED_INTERIM_OR_EARLY_RESPONSE, "http://127.0.0.1:8080", "seen",
                dev.gatewaycheck.Evidence.builder().put("kind", kind).build());
    }

    @Test
    void uploadBehavioursAreErrorsWhereTheGatewayDocumentsTheFailure() {
        String table = """
                second-continue      aws-cloudfront  ERROR    502
                second-continue      gcp-lb          WARNING  0
                second-continue      generic         WARNING  0
                unsupported-interim  gcp-lb          ERROR    502
                unsupported-interim  aws-cloudfront  WARNING  0
                early-response       gcp-lb          ERROR    502
                early-response       azure-v2        WARNING  0
                switching-protocols  generic         ERROR    502
                switching-protocols  cloudflare      ERROR    520
                """;
        for (String line : table.strip().split("\n")) {
            String[] r = line.trim().split("\\s+");
            GatewayProfile p = GatewayProfile.presets().stream().filter(g -> g.id().equals(r[1])).findFirst()
                    .orElseThrow();
            Finding f = Judge.finding(upload(r[0]), p);
            assertEquals(Severity.valueOf(r[2]), f.severity(), line);
            assertEquals(Integer.parseInt(r[3]), f.gatewayStatus(), line);
        }
        Finding custom = Judge.finding(upload("early-response"), GatewayProfile.GOOGLE_CLOUD_LB.toBuilder()
                .id("gcp-h2").build());
        assertEquals(Severity.ERROR, custom.severity(), "a profile built from a preset keeps its documented rules");
        assertTrue(Judge.finding(upload("second-continue"), GatewayProfile.GENERIC).message()
                .contains("CloudFront fails on this"));
    }

    @Test
    void aValueNearTheLimitIsAWarningWithTheGatewaysStatus() {
        Finding f = Judge.finding(seen(Cause.RESPONSE_TIMEOUT).with(Qualifier.NEAR_LIMIT), GatewayProfile.AWS_ALB);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(504, f.gatewayStatus());
        Finding info = Judge.finding(seen(Cause.KEEPALIVE_DISABLED_ON_BACKEND).with(Qualifier.NEAR_LIMIT),
                GatewayProfile.GENERIC);
        assertEquals(Severity.INFO, info.severity(), "a qualifier never makes a finding more severe");
        assertEquals(0, info.gatewayStatus());
    }

    @Test
    void withoutAHealthProbeTheGatewayPassesTheAnswerOn() {
        Finding f = Judge.finding(seen(Cause.BACKEND_APP_NOT_DEPLOYED).with(Qualifier.NO_HEALTH_PROBE),
                GatewayProfile.NGINX);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(0, f.gatewayStatus());
        assertEquals("seen; nginx proxy_pass (defaults) has no health probe, so clients get this answer, not a 502",
                f.message());
    }

    @Test
    void consecutiveProbeFailuresMarkTheMemberDown() {
        Finding f = Judge.finding(seen(Cause.PROBE_INTERMITTENT_FAILURE).with(Qualifier.MARKS_MEMBER_DOWN),
                GatewayProfile.HAPROXY);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(503, f.gatewayStatus());
        assertEquals(Severity.WARNING, Judge.finding(seen(Cause.PROBE_INTERMITTENT_FAILURE),
                GatewayProfile.HAPROXY).severity());
    }

    @Test
    void whatThisJvmCannotTestIsAWarning() {
        Finding f = Judge.finding(seen(Cause.TLS_PROTOCOL_VERSION_MISMATCH).with(Qualifier.UNTESTABLE_HERE),
                GatewayProfile.AZURE_APP_GATEWAY_V1);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(502, f.gatewayStatus());
    }

    @Test
    void aPassedOnGatewayErrorKeepsTheStatusTheBackendAnswered() {
        Finding f = Judge.finding(seen(Cause.BACKEND_RETURNED_GATEWAY_ERROR).answered(504), GatewayProfile.CLOUDFLARE);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(504, f.gatewayStatus());
        assertEquals(526, Judge.finding(seen(Cause.FRONTEND_GATEWAY_ERROR).answered(526),
                GatewayProfile.GENERIC).gatewayStatus());
    }

    @Test
    void aGatewayThatDoesNotValidateCertificatesSaysSo() {
        Finding f = Judge.finding(seen(Cause.TLS_SELF_SIGNED), GatewayProfile.AWS_ALB);
        assertEquals("seen (not a 502 cause for this gateway: AWS Application Load Balancer does not validate "
                + "backend certificates)", f.message());
        assertEquals("seen", Judge.finding(seen(Cause.TLS_SELF_SIGNED), GatewayProfile.GENERIC).message());
        assertEquals("seen", Judge.finding(seen(Cause.TLS_NO_SHARED_CIPHER), GatewayProfile.AWS_ALB).message());
    }

    @Test
    void aProfilesOverridesAreData() {
        GatewayProfile mine = GatewayProfile.GENERIC.toBuilder().id("mine")
                .severity(Cause.TLS_CERT_EXPIRING_SOON, Severity.ERROR).status(Cause.TLS_CERT_EXPIRING_SOON, 526)
                .severity(Cause.BACKEND_APP_NOT_DEPLOYED, Severity.INFO)
                .certificateValidation(GatewayProfile.CertificateValidation.NONE)
                .severity(Cause.TLS_CERT_EXPIRED, Severity.ERROR).build();
        assertEquals(Severity.ERROR, Judge.finding(seen(Cause.TLS_CERT_EXPIRING_SOON), mine).severity());
        assertEquals(526, Judge.finding(seen(Cause.TLS_CERT_EXPIRING_SOON), mine).gatewayStatus());
        assertEquals(0, Judge.finding(seen(Cause.BACKEND_APP_NOT_DEPLOYED), mine).gatewayStatus());
        // an override wins over "does not validate certificates", status included
        assertEquals(Severity.ERROR, Judge.finding(seen(Cause.TLS_CERT_EXPIRED), mine).severity());
        assertEquals(502, Judge.finding(seen(Cause.TLS_CERT_EXPIRED), mine).gatewayStatus());
    }

    @Test
    void aBodyBrokenAfterTheHeadIsRelayedByAGatewayThatStreamsTheHead() {
        Observation cut = seen(Cause.CONTENT_LENGTH_MISMATCH).afterHead(200);
        Finding nginx = Judge.finding(cut, GatewayProfile.NGINX);
        assertEquals(Severity.ERROR, nginx.severity());
        assertEquals(0, nginx.gatewayStatus());
        assertTrue(nginx.message().endsWith("has already passed the backend's status 200 on to the client, which gets "
                + "this body as it comes, not a 5xx"), nginx::message);
        Finding alb = Judge.finding(cut, GatewayProfile.AWS_ALB);
        assertEquals(504, alb.gatewayStatus(), "a buffering gateway answers its own status, not the head's");
        assertEquals("seen", alb.message());
    }

    @Test
    void aSpecificRemedyReplacesTheCauses() {
        assertEquals("do this", Judge.finding(seen(Cause.CONNECTION_REFUSED).remedy("do this"),
                GatewayProfile.GENERIC).remedy());
    }

    @Test
    void twoPhasesSeeingOneFailureKeepTheMoreSevereFinding() {
        List<Finding> kept = new ArrayList<>();
        Finding warning = Judge.finding(seen(Cause.RESPONSE_TIMEOUT).with(Qualifier.NEAR_LIMIT), GatewayProfile.GENERIC);
        Finding error = Judge.finding(seen(Cause.RESPONSE_TIMEOUT), GatewayProfile.GENERIC);
        assertEquals(warning, Judge.keep(kept, warning));
        assertEquals(error, Judge.keep(kept, error));
        assertEquals(error, Judge.keep(kept, Judge.finding(seen(Cause.RESPONSE_TIMEOUT), GatewayProfile.GENERIC)));
        assertEquals(List.of(error), kept);
        Judge.keep(kept, Judge.finding(Observation.of(Cause.RESPONSE_TIMEOUT, "http://127.0.0.2:8080", "seen",
                Evidence.EMPTY), GatewayProfile.GENERIC));
        assertEquals(2, kept.size(), "another backend is another finding");
    }

    private static PoolReport.Member member(String address, Cause... causes) {
        List<Finding> findings = new ArrayList<>();
        for (Cause c : causes) {
            findings.add(Judge.finding(Observation.of(c, address, "seen", Evidence.EMPTY), GatewayProfile.GENERIC));
        }
        return new PoolReport.Member(address, address, "", ReportSchema.valid(new Report(address, "", "generic",
                Instant.EPOCH, new Timings(null, null, null, null, Duration.ZERO), Set.of(Check.PROBE), List.of(),
                findings, true)));
    }

    @Test
    void aPoolIsJudgedByItsMembers() {
        PoolReport.Member down = member("http://127.0.0.1:1", Cause.CONNECTION_REFUSED);
        PoolReport.Member up = member("http://127.0.0.1:2", Cause.TLS_CERT_EXPIRING_SOON);
        assertEquals(List.of(), Judge.pool(GatewayProfile.GENERIC, List.of(up)));

        Finding some = Judge.pool(GatewayProfile.GENERIC, List.of(down, up)).get(0);
        assertEquals(Cause.SOME_BACKENDS_UNHEALTHY, some.cause());
        assertEquals(Severity.WARNING, some.severity());
        assertEquals(0, some.gatewayStatus());

        Finding all = Judge.pool(GatewayProfile.HAPROXY, List.of(down)).get(0);
        assertEquals(Cause.ALL_BACKENDS_UNHEALTHY, all.cause());
        assertEquals(Severity.ERROR, all.severity());
        assertEquals(503, all.gatewayStatus());
        assertTrue(all.message().endsWith("answers 503 to every request"), all::message);

        Finding open = Judge.pool(GatewayProfile.AWS_ALB, List.of(down)).get(0);
        assertEquals(Severity.WARNING, open.severity());
        assertEquals(0, open.gatewayStatus());
        assertTrue(open.remedy().contains("fail-open"), open::remedy);

        Finding empty = Judge.emptyPool(GatewayProfile.AWS_ALB);
        assertEquals(Cause.EMPTY_BACKEND_POOL, empty.cause());
        assertEquals(503, empty.gatewayStatus());
        assertEquals(Judge.POOL_LABEL, empty.backend());
    }

    @Test
    void annotatingAddsFactsAndKeepsTheVerdict() {
        Finding f = Judge.finding(seen(Cause.CONNECTION_REFUSED), GatewayProfile.CLOUDFLARE);
        Finding a = Judge.annotate(f, Evidence.builder().put("member", "app.internal").build());
        assertEquals("app.internal", a.evidence().get("member").orElseThrow());
        assertEquals(f.severity(), a.severity());
        assertEquals(521, a.gatewayStatus());
    }
}
