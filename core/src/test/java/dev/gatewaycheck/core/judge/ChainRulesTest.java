package dev.gatewaycheck.core.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.CertificateValidation;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ChainRules}, one row per rule, without a socket: a chain as presented, the name the gateway checks, the
 * roots given with {@code trusting(...)} and the gateway's trust model, and the cause with its key evidence (or no
 * verdict at all), as {@link TlsRules#chain} turns it into an observation. No JDK default root is passed in, so
 * every row's trust comes from the row.
 */
class ChainRulesTest {
    static final String HOST = "www.example.test";
    static final Held ROOT = TestCertificates.ca("Chain Rules Root").build();
    static final Held INTERMEDIATE = TestCertificates.intermediate("Chain Rules Intermediate", ROOT).build();
    static final Held LEAF = TestCertificates.leaf(HOST, INTERMEDIATE).build();
    static final Held OTHER_ROOT = TestCertificates.ca("Some Other Root").build();
    static final GatewayProfile ALLOWLIST = GatewayProfile.GENERIC.toBuilder().id("allowlist")
            .certificateValidation(CertificateValidation.ALLOWLIST).build();
    static final GatewayProfile TRUSTED_ROOTS = GatewayProfile.GENERIC.toBuilder().id("trusted-roots")
            .certificateValidation(CertificateValidation.TRUSTED_ROOTS).build();

    /**
     * One rule.
     *
     * @param rule    what the row shows
     * @param chain   the chain as presented
     * @param given   the roots given with trusting(...)
     * @param profile the gateway
     * @param cause   the cause expected, or null for no verdict
     * @param key     an evidence key of that observation
     * @param value   its value, or null when only its presence is asserted
     */
    record Row(String rule, List<X509Certificate> chain, List<X509Certificate> given, GatewayProfile profile,
               Cause cause, String key, String value) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Row row(String rule, List<Held> chain, List<Held> given, GatewayProfile profile, Cause cause, String key,
                   String value) {
        return new Row(rule, chain.stream().map(Held::certificate).toList(),
                given.stream().map(Held::certificate).toList(), profile, cause, key, value);
    }

    static Stream<Row> rows() {
        Held expired = TestCertificates.leaf(HOST, INTERMEDIATE).expired().build();
        Held notYet = TestCertificates.leaf(HOST, INTERMEDIATE).notYetValid().build();
        Held soon = TestCertificates.leaf(HOST, INTERMEDIATE).expiresIn(Duration.ofDays(10)).build();
        Held otherName = TestCertificates.leaf("other.example.test", INTERMEDIATE).build();
        Held selfSigned = TestCertificates.leaf(HOST, null).build();
        Held notCa = TestCertificates.leaf("not-a-ca.example.test", INTERMEDIATE).build();
        Held belowNotCa = TestCertificates.leaf(HOST, notCa).build();
        Held clientOnly = TestCertificates.leaf(HOST, INTERMEDIATE).eku(KeyPurposeId.id_kp_clientAuth).build();
        Held p521 = TestCertificates.leaf(HOST, INTERMEDIATE).ec("secp521r1").build();
        Held sha1 = TestCertificates.leaf(HOST, INTERMEDIATE).signature("SHA1withRSA").build();
        GatewayProfile shortChains = GatewayProfile.GENERIC.toBuilder().id("short").maxChainLength(2).build();
        return Stream.of(
                row("a complete chain to a given root: no verdict", List.of(LEAF, INTERMEDIATE), List.of(ROOT),
                        GatewayProfile.GENERIC, null, null, null),
                row("expired", List.of(expired, INTERMEDIATE), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_EXPIRED, "daysAgo", "2"),
                row("not yet valid", List.of(notYet, INTERMEDIATE), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_NOT_YET_VALID, "notBefore", null),
                row("expiring within the profile's window", List.of(soon, INTERMEDIATE), List.of(ROOT),
                        GatewayProfile.GENERIC, Cause.TLS_CERT_EXPIRING_SOON, "warningWindowDays",
                        Long.toString(GatewayProfile.GENERIC.certExpiryWarning().toDays())),
                row("name not covered", List.of(otherName, INTERMEDIATE), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_HOSTNAME_MISMATCH, "nameAsked", HOST),
                row("key not allow-listed", List.of(LEAF, INTERMEDIATE), List.of(otherName), ALLOWLIST,
                        Cause.TLS_CERT_NOT_ALLOWLISTED, "leafPublicKeySha256",
                        CertFacts.keySha256(LEAF.certificate().getPublicKey())),
                row("allow-list given nothing", List.of(LEAF, INTERMEDIATE), List.of(), ALLOWLIST,
                        Cause.TLS_CERT_NOT_ALLOWLISTED, "allowlisted", "(none given)"),
                row("self-signed", List.of(selfSigned), List.of(), GatewayProfile.GENERIC, Cause.TLS_SELF_SIGNED,
                        "chainEndsIn", "CN=" + HOST),
                row("intermediate missing below a given root", List.of(LEAF), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CHAIN_INCOMPLETE, "missingIssuer", "CN=Chain Rules Intermediate"),
                row("leaf alone, issuer unknown", List.of(LEAF), List.of(), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_UNTRUSTED_CA, "issuerIsIntermediate", "unknown"),
                row("chain ends in an untrusted CA", List.of(LEAF, INTERMEDIATE), List.of(), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_UNTRUSTED_CA, "chainEndsIn", "CN=Chain Rules Intermediate"),
                row("chain ends in another root than the given ones", List.of(LEAF, INTERMEDIATE, ROOT),
                        List.of(OTHER_ROOT), TRUSTED_ROOTS, Cause.TLS_TRUSTED_ROOT_MISMATCH, "chainEndsIn",
                        "CN=Chain Rules Root"),
                row("reaches a given root but PKIX refuses it (issuer not a CA)",
                        List.of(belowNotCa, notCa, INTERMEDIATE), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_UNTRUSTED_CA, "validationFailure", null),
                row("intermediate before the leaf", List.of(INTERMEDIATE, LEAF), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CHAIN_MISORDERED, "leafPosition", "1"),
                row("no serverAuth usage", List.of(clientOnly, INTERMEDIATE), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, "gatewayMaxChainLength",
                        Integer.toString(GatewayProfile.GENERIC.maxChainLength())),
                row("a curve gateways do not accept", List.of(p521, INTERMEDIATE), List.of(ROOT),
                        GatewayProfile.GENERIC, Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, "problems", null),
                row("longer than the gateway accepts", List.of(LEAF, INTERMEDIATE, ROOT), List.of(ROOT), shortChains,
                        Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, "gatewayMaxChainLength", "2"),
                row("SHA-1 signature", List.of(sha1, INTERMEDIATE), List.of(ROOT), GatewayProfile.GENERIC,
                        Cause.TLS_WEAK_CERTIFICATE, "problems", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void judgesTheChainAsPresented(Row row) {
        HandshakeSeen h = new HandshakeSeen(HOST, List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256"), true,
                row.chain(), "TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null, false, false, false, false,
                Duration.ZERO);
        ChainRules.Result r = ChainRules.judge(row.chain(), HOST, row.given(), List::of, row.profile(),
                Instant.now());
        List<Observation> seen = TlsRules.chain("https://backend", r, h);
        if (row.cause() == null) {
            assertEquals(List.of(), seen);
            return;
        }
        Observation o = seen.stream().filter(x -> x.cause() == row.cause()).findFirst().orElseThrow(
                () -> new AssertionError("Expecting " + row.cause() + " but was " + seen));
        assertTrue(o.evidence().has(row.key()), () -> "Expecting evidence " + row.key() + " in " + o.evidence());
        if (row.value() != null) {
            assertEquals(row.value(), o.evidence().get(row.key()).orElseThrow(), o::toString);
        }
        assertEquals("TLSv1.3", o.evidence().get("tlsProtocol").orElseThrow());
        assertEquals(row.chain().size(), ((List<?>) o.evidence().value("chain").orElseThrow()).size());
        assertEquals(row.cause() == Cause.TLS_CERT_HOSTNAME_MISMATCH, r.nameMismatch());
    }
}
