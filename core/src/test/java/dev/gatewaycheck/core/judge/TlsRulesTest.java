package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TlsRules}, one row per rule, without a socket: handshakes as seen (records built here) and the cause with
 * its key evidence, or no observation. The chain's own rules are in {@link ChainRulesTest}.
 */
class TlsRulesTest {
    static final String LABEL = "https://127.0.0.1:8443";
    static final String NAME = "www.example.test";
    static final GatewayProfile P = GatewayProfile.GENERIC;
    static final Held ROOT = TestCertificates.ca("Tls Rules Root").build();
    static final Held LEAF = TestCertificates.leaf(NAME, ROOT).build();
    static final Held DEFAULT_SITE = TestCertificates.leaf("default.example.test", ROOT).build();
    static final String AES = "TLS_AES_128_GCM_SHA256";

    /**
     * One rule.
     *
     * @param rule   what the row shows
     * @param seen   the observations the rule makes of its handshakes
     * @param cause  the cause expected, or null for no observation
     * @param key    an evidence key of it (or a qualifier's name)
     * @param value  its value, or null when only its presence is asserted
     */
    record Row(String rule, Supplier<List<Observation>> seen, Cause cause, String key, String value) {
        @Override
        public String toString() {
            return rule;
        }
    }

    /** A failed handshake offering {@code protocols} and {@code AES} with {@code sni}, read as the check reads it. */
    static HandshakeSeen failed(String sni, IOException failure, List<String> protocols, List<X509Certificate> chain) {
        return new HandshakeSeen(sni, protocols, List.of(AES), false, chain, null, null,
                FailureClassifier.classify(failure), alert(failure), false, false, false, false, Duration.ofMillis(3));
    }

    static TransportFailure.Kind alert(IOException failure) {
        return FailureClassifier.handshake(failure.getMessage().toLowerCase(Locale.ROOT));
    }

    static HandshakeSeen failed(IOException failure) {
        return failed(null, failure, List.of("TLSv1.2"), List.of());
    }

    static HandshakeSeen ok(String sni, String protocol, String suite, Held... chain) {
        return new HandshakeSeen(sni, List.of("TLSv1.2", "TLSv1.3"), List.of(AES, suite), true,
                Stream.of(chain).map(Held::certificate).toList(), protocol, suite, null, null, false, false, false,
                false, Duration.ofMillis(3));
    }

    static Supplier<List<Observation>> early(HandshakeSeen gw) {
        return () -> TlsRules.early(LABEL, gw, P).stream().toList();
    }

    static Supplier<List<Observation>> failed(HandshakeSeen gw, HandshakeSeen ref, List<String> jvmCannotOffer) {
        return () -> List.of(TlsRules.failed(LABEL, gw, ref, jvmCannotOffer, P));
    }

    static Supplier<List<Observation>> sni(HandshakeSeen withSni, HandshakeSeen noSni, HandshakeSeen other) {
        return () -> TlsRules.sni(LABEL, NAME, withSni, noSni, "other.invalid", other, P);
    }

    static Stream<Row> rows() {
        SocketTimeoutException read = new SocketTimeoutException("Read timed out");
        HandshakeSeen timedOut = new HandshakeSeen(null, List.of("TLSv1.2"), List.of(AES), false, List.of(), null,
                null, FailureClassifier.classify(read), alert(read), true, false, false, false,
                P.tlsHandshakeTimeout());
        SSLHandshakeException required = new SSLHandshakeException("Received fatal alert: certificate_required");
        HandshakeSeen clientCert = new HandshakeSeen(NAME, List.of("TLSv1.3"), List.of(AES), false, List.of(), null,
                null, FailureClassifier.classify(required), alert(required), false, false, true, false,
                Duration.ofMillis(3));
        HandshakeSeen onlyTls12 = failed(NAME, new SSLHandshakeException("Received fatal alert: protocol_version"),
                List.of("TLSv1.2"), List.of());
        HandshakeSeen refused = failed(new SSLHandshakeException("Received fatal alert: handshake_failure"));
        HandshakeSeen tls13 = ok(NAME, "TLSv1.3", AES, LEAF);
        HandshakeSeen chacha = ok(NAME, "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", LEAF);
        HandshakeSeen tls12 = ok(NAME, "TLSv1.2", AES, LEAF);
        HandshakeSeen noSniFails = failed(new SSLHandshakeException("Received fatal alert: unrecognized_name"));
        return Stream.of(
                new Row("the gateway's handshake timeout", early(timedOut), Cause.TLS_HANDSHAKE_TIMEOUT,
                        "gatewayTlsHandshakeTimeoutSeconds", null),
                new Row("plaintext answer", early(failed(new SSLException("Unsupported or unrecognized SSL message"))),
                        Cause.PROTOCOL_PORT_MISMATCH, "exception", SSLException.class.getName()),
                new Row("refused", early(failed(new ConnectException("Connection refused"))),
                        Cause.CONNECTION_REFUSED, "exceptionMessage", "Connection refused"),
                new Row("connect timeout", early(failed(new SocketTimeoutException("Connect timed out"))),
                        Cause.CONNECT_TIMEOUT, "sni", "(none)"),
                new Row("no route", early(failed(new NoRouteToHostException("No route to host"))),
                        Cause.HOST_UNREACHABLE, "chainLength", "0"),
                new Row("an alert is not early: other handshakes tell more", early(refused), null, null, null),
                new Row("client certificate required", failed(clientCert, null, List.of()),
                        Cause.BACKEND_REQUIRES_CLIENT_CERT, "clientCertificatePresented", "false"),
                new Row("the backend accepts a version the gateway does not offer", failed(onlyTls12, tls13,
                        List.of()), Cause.TLS_PROTOCOL_VERSION_MISMATCH, "backendAccepted", "TLSv1.3 " + AES),
                new Row("the gateway's versions this JVM cannot offer", failed(onlyTls12,
                        failed(NAME, new SSLHandshakeException("Received fatal alert: protocol_version"),
                                List.of("TLSv1.2", "TLSv1.3"), List.of()), List.of("TLSv1", "TLSv1.1")),
                        Cause.TLS_PROTOCOL_VERSION_MISMATCH, "UNTESTABLE_HERE", null),
                new Row("the backend chose a suite the gateway does not offer", failed(failed(NAME,
                        new SSLHandshakeException("Received fatal alert: handshake_failure"), List.of("TLSv1.2"),
                        List.of()), chacha, List.of()), Cause.TLS_NO_SHARED_CIPHER,
                        "backendAccepted", "TLSv1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                new Row("fails without SNI, works with it", failed(refused, tls12, List.of()),
                        Cause.TLS_SNI_REQUIRED_NOT_SENT, "chain", null),
                new Row("closed (FIN) during the handshake", failed(failed(new SSLHandshakeException(
                        "Remote host terminated the handshake")), null, List.of()),
                        Cause.BACKEND_CLOSED_WITHOUT_RESPONSE, "alert", "Remote host terminated the handshake"),
                new Row("reset (RST) during the handshake", failed(failed(new SocketException("Connection reset")),
                        null, List.of()), Cause.BACKEND_RESET_CONNECTION, "alert", "Connection reset"),
                new Row("another alert, no reference", failed(refused, null, List.of()), Cause.TLS_NO_SHARED_CIPHER,
                        "gatewayOfferedCiphers", "JDK defaults (1 suites)"),
                new Row("no SNI: the handshake fails", sni(tls13, noSniFails, null), Cause.TLS_SNI_REQUIRED_NOT_SENT,
                        "withoutSni", "handshake failed: Received fatal alert: unrecognized_name"),
                new Row("no SNI: another certificate", sni(tls13, ok(null, "TLSv1.3", AES, DEFAULT_SITE), null),
                        Cause.TLS_SNI_REQUIRED_NOT_SENT, "gatewaySendsSni", Boolean.toString(P.sendsSni())),
                new Row("the same certificate for any name: SNI ignored", sni(tls13, ok(null, "TLSv1.3", AES, LEAF),
                        ok("other.invalid", "TLSv1.3", AES, LEAF)), Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND,
                        "namesTried", NAME + ", other.invalid, (no SNI)"),
                new Row("the same certificate with and without SNI: nothing", sni(tls13, ok(null, "TLSv1.3", AES,
                        LEAF), null), null, null, null),
                new Row("revoked", () -> List.of(TlsRules.revoked(LABEL, new RevocationSeen(LEAF.certificate(),
                        "OCSP http://ocsp.test", "Certificate has been revoked"), tls13)), Cause.TLS_CERT_REVOKED,
                        "serial", LEAF.certificate().getSerialNumber().toString(16)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void namesWhatTheHandshakesShow(Row row) {
        List<Observation> seen = row.seen().get();
        if (row.cause() == null) {
            assertEquals(List.of(), seen);
            return;
        }
        assertEquals(1, seen.size(), seen::toString);
        Observation o = seen.get(0);
        assertEquals(row.cause(), o.cause(), o::toString);
        assertEquals(LABEL, o.backend());
        if (row.key().equals(Qualifier.UNTESTABLE_HERE.name())) {
            assertTrue(o.has(Qualifier.UNTESTABLE_HERE), o::toString);
            return;
        }
        assertTrue(o.evidence().has(row.key()), () -> "Expecting evidence " + row.key() + " in " + o.evidence());
        if (row.value() != null) {
            assertEquals(row.value(), o.evidence().get(row.key()).orElseThrow(), o::toString);
        }
    }
}
