package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.GatewayProfile.CertificateValidation;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;

/**
 * Judges a chain exactly as presented against the gateway's trust model, without touching the network: dates
 * (every presented certificate), the name (RFC 6125, httpclient5's {@link DefaultHostnameVerifier}), the path to a
 * trusted root built only from what was presented (gateways fetch no missing intermediates), the order, the
 * properties gateways reject and weak keys or SHA-1 signatures. Every problem is returned, not only the first;
 * {@link TlsRules} turns them into observations with the handshake's facts.
 *
 * <pre>{@code
 * ChainRules.Result r = ChainRules.judge(chain, "backend.example", List.of(), () -> roots, GatewayProfile.GENERIC,
 *         now);
 * r.anchor();   // the trusted certificate the path ends in, or null
 * }</pre>
 */
public final class ChainRules {

    /** serverAuth and anyExtendedKeyUsage. */
    private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String EKU_ANY = "2.5.29.37.0";
    /** The certificate policies and authority information access extensions (RFC 5280 4.2.1.4, 4.2.2.1). */
    private static final String CERTIFICATE_POLICIES = "2.5.29.32";
    private static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
    /** The RSA key sizes gateways accept (ALB, Azure, Google: 2048 to 4096 bits); below the minimum is weak too. */
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 4096;
    /** The EC curves gateways accept. */
    private static final Set<String> ACCEPTED_CURVES = Set.of("P-256", "P-384");
    /** An EC field smaller than this (bits) is weak (below 128-bit security). */
    private static final int MIN_EC_FIELD_BITS = 256;

    /**
     * One problem: the cause, one sentence, and the facts specific to it (the chain itself is added by the caller).
     *
     * @param cause   the cause
     * @param message what was seen
     * @param facts   the facts behind it
     * @param remedy  a remedy specific to this verdict, or null for the cause's
     */
    record Verdict(Cause cause, String message, Evidence facts, String remedy) {
        /** A verdict with the cause's own remedy. */
        Verdict(Cause cause, String message, Evidence facts) {
            this(cause, message, facts, null);
        }
    }

    /**
     * The judgement.
     *
     * @param verdicts the problems found, in a stable order
     * @param path     the path from the leaf upward, built from presented certificates
     * @param anchor   the trusted certificate the path ends in, or null when untrusted
     */
    public record Result(List<Verdict> verdicts, List<X509Certificate> path, X509Certificate anchor) {
        /** Whether the leaf does not cover the name the gateway checks. */
        public boolean nameMismatch() {
            return verdicts.stream().anyMatch(v -> v.cause() == Cause.TLS_CERT_HOSTNAME_MISMATCH);
        }
    }

    private ChainRules() {
    }

    /**
     * Judges {@code chain} for a gateway that checks {@code name}.
     *
     * @param chain   the certificates as presented, in order; not empty
     * @param name    the name the gateway checks (Host/SNI), a DNS name or an IP address
     * @param given   the certificates given with {@code trusting(...)}
     * @param roots   the public roots a PUBLIC_CA or TRUSTED_ROOTS gateway trusts (the JDK's default trust store),
     *                asked for only when no certificate given anchors the chain
     * @param profile the gateway
     * @param now     the instant dates are judged at
     */
    public static Result judge(List<X509Certificate> chain, String name, List<X509Certificate> given,
                               Supplier<List<X509Certificate>> roots, GatewayProfile profile, Instant now) {
        List<Verdict> out = new ArrayList<>();
        X509Certificate leaf = leaf(chain);
        dates(chain, profile, now, out);
        CertificateValidation model = profile.certificateValidation();
        List<X509Certificate> path = path(chain, leaf);
        X509Certificate anchor = null;
        if (model == CertificateValidation.ALLOWLIST) {
            allowlist(leaf, given, out);
        } else {
            hostname(leaf, name, out);
            anchor = trust(path, given, roots, out);
            if (anchor != null) {
                pkix(path, anchor, now, out);
            }
        }
        order(chain, leaf, out);
        properties(chain, leaf, profile, out);
        weak(chain, out);
        return new Result(List.copyOf(out), path, anchor);
    }

    /** The end-entity certificate: the first non-CA one, else the first presented. */
    static X509Certificate leaf(List<X509Certificate> chain) {
        for (X509Certificate c : chain) {
            if (!CertFacts.isCa(c)) {
                return c;
            }
        }
        return chain.get(0);
    }

    /** From the leaf upward, each issuer found among the presented certificates; bounded by the chain size. */
    static List<X509Certificate> path(List<X509Certificate> chain, X509Certificate leaf) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        X509Certificate cur = leaf;
        for (int i = 0; i < chain.size() && !CertFacts.selfSigned(cur); i++) {
            X509Certificate next = null;
            for (X509Certificate c : chain) {
                if (!path.contains(c) && CertFacts.issuedBy(cur, c)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            path.add(next);
            cur = next;
        }
        return path;
    }

    private static void dates(List<X509Certificate> chain, GatewayProfile profile, Instant now, List<Verdict> out) {
        List<String> expired = new ArrayList<>();
        List<String> notYet = new ArrayList<>();
        X509Certificate firstExpired = null;
        X509Certificate firstNotYet = null;
        X509Certificate soonest = null;
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            Instant nb = c.getNotBefore().toInstant();
            Instant na = c.getNotAfter().toInstant();
            if (na.isBefore(now)) {
                expired.add(label(i, c));
                firstExpired = firstExpired == null ? c : firstExpired;
            } else if (nb.isAfter(now)) {
                notYet.add("chain[" + i + "] " + CertFacts.subject(c) + " notBefore " + nb);
                firstNotYet = firstNotYet == null ? c : firstNotYet;
            } else if (soonest == null || na.isBefore(soonest.getNotAfter().toInstant())) {
                soonest = c;
            }
        }
        if (firstExpired != null) {
            Instant na = firstExpired.getNotAfter().toInstant();
            long daysAgo = Duration.between(na, now).toDays();
            out.add(new Verdict(Cause.TLS_CERT_EXPIRED, "The certificate " + CertFacts.subject(firstExpired)
                    + " expired at " + na + " (" + daysAgo + " days ago)"
                    + (expired.size() > 1 ? "; expired too: " + expired.subList(1, expired.size()) : ""),
                    Evidence.builder().put("expired", String.join("; ", expired)).put("notAfter", na)
                            .put("daysAgo", daysAgo).put("now", now.truncatedTo(ChronoUnit.SECONDS)).build()));
        }
        if (firstNotYet != null) {
            Instant nb = firstNotYet.getNotBefore().toInstant();
            out.add(new Verdict(Cause.TLS_CERT_NOT_YET_VALID, "The certificate " + CertFacts.subject(firstNotYet)
                    + " is not valid before " + nb + " (" + Duration.between(now, nb).toHours() + " hours from now)",
                    Evidence.builder().put("notYetValid", String.join("; ", notYet)).put("notBefore", nb)
                            .put("now", now.truncatedTo(ChronoUnit.SECONDS)).build()));
        }
        if (soonest != null) {
            Instant na = soonest.getNotAfter().toInstant();
            Duration left = Duration.between(now, na);
            if (left.compareTo(profile.certExpiryWarning()) < 0) {
                out.add(new Verdict(Cause.TLS_CERT_EXPIRING_SOON, "The certificate " + CertFacts.subject(soonest)
                        + " expires at " + na + ", in " + left.toDays() + " days",
                        Evidence.builder().put("certificate", CertFacts.subject(soonest)).put("notAfter", na)
                                .put("daysLeft", left.toDays())
                                .put("warningWindowDays", profile.certExpiryWarning().toDays()).build()));
            }
        }
    }

    private static void hostname(X509Certificate leaf, String name, List<Verdict> out) {
        try {
            new DefaultHostnameVerifier().verify(name, leaf);
        } catch (SSLException e) {
            List<String> sans = CertFacts.sans(leaf);
            String cn = CertFacts.commonName(leaf);
            out.add(new Verdict(Cause.TLS_CERT_HOSTNAME_MISMATCH, "The certificate " + CertFacts.subject(leaf)
                    + " does not cover the name '" + name + "' the gateway checks (SANs: "
                    + (sans.isEmpty() ? "none" : String.join(", ", sans)) + ")",
                    Evidence.builder().put("nameAsked", name).put("sans", sans.isEmpty() ? "(none)"
                            : String.join(", ", sans)).put("cn", cn.isEmpty() ? "(none)" : cn)
                            .put("verifier", e.getMessage()).build()));
        }
    }

    private static void allowlist(X509Certificate leaf, List<X509Certificate> given, List<Verdict> out) {
        for (X509Certificate g : given) {
            if (g.getPublicKey().equals(leaf.getPublicKey())) {
                return;
            }
        }
        List<String> listed = new ArrayList<>();
        for (X509Certificate g : given) {
            listed.add(CertFacts.subject(g) + " key " + CertFacts.keySha256(g.getPublicKey()));
        }
        out.add(new Verdict(Cause.TLS_CERT_NOT_ALLOWLISTED, given.isEmpty()
                ? "The gateway accepts only allow-listed certificates and none was given with trusting(...)"
                : "The backend's certificate " + CertFacts.subject(leaf) + " has a public key that is not one of the "
                        + given.size() + " allow-listed authentication certificate(s)",
                Evidence.builder().put("leafPublicKeySha256", CertFacts.keySha256(leaf.getPublicKey()))
                        .put("allowlisted", listed.isEmpty() ? "(none given)" : String.join("; ", listed)).build()));
    }

    /** The first of {@code anchors} that is {@code c} or issued it, else null. */
    private static X509Certificate anchorOf(X509Certificate c, List<X509Certificate> anchors) {
        for (X509Certificate a : anchors) {
            if (CertFacts.sameKeyAndSubject(c, a) || CertFacts.issuedBy(c, a)) {
                return a;
            }
        }
        return null;
    }

    /**
     * Decides where the path ends; returns the anchor when it ends in a trusted certificate: for each certificate
     * from the leaf up, the first of {@code given}, then of the JDK's roots, that is it or issued it. The JDK's
     * roots are read only for a certificate no given one anchors (a leaf issued by the CA given needs none).
     */
    private static X509Certificate trust(List<X509Certificate> path, List<X509Certificate> given,
                                         Supplier<List<X509Certificate>> defaultRoots, List<Verdict> out) {
        for (X509Certificate c : path) {
            X509Certificate a = anchorOf(c, given);
            if (a == null) {
                a = anchorOf(c, defaultRoots.get());
            }
            if (a != null) {
                return a;
            }
        }
        X509Certificate top = path.get(path.size() - 1);
        String roots = given.isEmpty() ? "the JDK's default roots (" + defaultRoots.get().size() + ")"
                : subjects(given) + " and the JDK's default roots";
        Evidence.Builder ev = Evidence.builder().put("chainEndsIn", CertFacts.subject(top));
        if (path.size() == 1 && CertFacts.selfSigned(top)) {
            out.add(new Verdict(Cause.TLS_SELF_SIGNED, "The certificate " + CertFacts.subject(top)
                    + " is self-signed and not one the gateway trusts",
                    ev.put("trustedRoots", roots).build()));
            return null;
        }
        if (!CertFacts.selfSigned(top)) {
            ev.put("missingIssuer", CertFacts.issuer(top));
        }
        if (path.size() == 1) {
            String issuer = CertFacts.issuer(top);
            String intermediate = intermediateEvidence(top, given);
            if (intermediate != null) {
                out.add(new Verdict(Cause.TLS_CHAIN_INCOMPLETE, "The backend sent " + CertFacts.subject(top)
                        + " without its issuer " + issuer + ", which is not a root the gateway trusts either "
                        + "(gateways fetch no missing intermediates)",
                        ev.put("trustedRoots", roots).put("issuerIsIntermediate", intermediate).build(),
                        given.isEmpty() ? null : Cause.TLS_CHAIN_INCOMPLETE.remedy() + " If " + issuer
                                + " is itself a root, give it to the gateway as a trusted root instead."));
                return null;
            }
            // nothing says the issuer is an intermediate: a leaf signed directly by a private root looks the same
            out.add(new Verdict(Cause.TLS_CERT_UNTRUSTED_CA, "The backend sent " + CertFacts.subject(top)
                    + " issued by " + issuer + ", which is not a CA the gateway trusts and was not sent: either a "
                    + "private root the gateway is not given, or an intermediate the backend does not send",
                    ev.put("trustedRoots", roots).put("issuerIsIntermediate", "unknown").build(),
                    "If " + issuer + " is a private root, give it to the gateway (trusted root upload; trusting(...) "
                            + "here); if it is an intermediate, serve it after the leaf (leaf, then intermediates): "
                            + "gateways fetch no missing intermediates."));
            return null;
        }
        String end = CertFacts.selfSigned(top) ? "the root " + CertFacts.subject(top)
                : CertFacts.subject(top) + " issued by " + CertFacts.issuer(top);
        if (!given.isEmpty()) {
            out.add(new Verdict(Cause.TLS_TRUSTED_ROOT_MISMATCH, "The chain ends in " + end
                    + ", not in one of the gateway's trusted roots " + subjects(given),
                    ev.put("trustedRoots", roots).build()));
        } else {
            out.add(new Verdict(Cause.TLS_CERT_UNTRUSTED_CA, "The chain ends in " + end
                    + ", which the gateway does not trust (pass a private root with trusting(...))",
                    ev.put("trustedRoots", roots).build()));
        }
        return null;
    }

    /** DER of the CA/Browser Forum policy arc 2.23.140.1 and of id-ad-caIssuers 1.3.6.1.5.5.7.48.2. */
    private static final byte[] CABF_POLICY = {0x67, (byte) 0x81, 0x0c, 0x01};
    private static final byte[] CA_ISSUERS = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};

    /**
     * Why the missing issuer of a leaf sent alone is known to be an intermediate, or null when nothing says so:
     * roots were given with {@code trusting(...)} and it is none of them (the private PKI is known, the leaf hangs
     * below it); the leaf carries a CA/Browser Forum policy (publicly trusted leaves are never issued by a root);
     * the leaf names where its issuer's certificate is published (AIA caIssuers), as CAs do for intermediates.
     */
    static String intermediateEvidence(X509Certificate leaf, List<X509Certificate> given) {
        if (!given.isEmpty()) {
            return "the trusted roots given with trusting(...) do not include it";
        }
        if (contains(leaf.getExtensionValue(CERTIFICATE_POLICIES), CABF_POLICY)) {
            return "the leaf carries a CA/Browser Forum policy (2.23.140.1.*): public CAs issue leaves from "
                    + "intermediates";
        }
        if (contains(leaf.getExtensionValue(AUTHORITY_INFO_ACCESS), CA_ISSUERS)) {
            return "the leaf names a caIssuers URL for its issuer (AIA)";
        }
        return null;
    }

    /** Whether the DER {@code haystack} (null: absent) holds the bytes of {@code needle} (one char per byte). */
    private static boolean contains(byte[] haystack, byte[] needle) {
        return haystack != null && new String(haystack, StandardCharsets.ISO_8859_1)
                .contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    /**
     * Runs the JDK's PKIX validation on the path that reached a trusted certificate, at an instant at which every
     * certificate of it is valid (dates are judged separately), to catch what structure alone does not: basic
     * constraints, path length, name constraints, key usage, disabled algorithms.
     */
    private static void pkix(List<X509Certificate> path, X509Certificate anchor, Instant now, List<Verdict> out) {
        List<X509Certificate> certs = CertFacts.belowAnchor(path, anchor);
        if (certs.isEmpty()) {
            return;
        }
        try {
            PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            p.setRevocationEnabled(false);
            p.setDate(Date.from(CertFacts.validInstant(certs, now)));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(certs), p);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                // the validity windows do not overlap: dates are judged (and reported) separately
                return;
            }
            out.add(new Verdict(Cause.TLS_CERT_UNTRUSTED_CA, "The chain reaches the trusted root "
                    + CertFacts.subject(anchor) + " but does not validate: " + e.getMessage(),
                    Evidence.builder().put("chainEndsIn", CertFacts.subject(anchor))
                            .put("validationFailure", e.getMessage())
                            .put("failedAt", e.getIndex() >= 0 ? "path[" + e.getIndex() + "]" : null).build()));
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | CertificateException e) {
            out.add(new Verdict(Cause.TLS_CERT_UNTRUSTED_CA, "The chain could not be validated: " + e.getMessage(),
                    Evidence.builder().put("validationFailure", e.toString()).build()));
        }
    }

    private static void order(List<X509Certificate> chain, X509Certificate leaf, List<Verdict> out) {
        List<String> problems = new ArrayList<>();
        int leafAt = chain.indexOf(leaf);
        if (leafAt != 0) {
            problems.add("the leaf " + CertFacts.subject(leaf) + " is at position " + leafAt + ", not first");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            if (CertFacts.issuedBy(c, chain.get(i + 1)) || CertFacts.selfSigned(c)) {
                continue;
            }
            for (int j = 0; j < chain.size(); j++) {
                if (j != i && j != i + 1 && CertFacts.issuedBy(c, chain.get(j))) {
                    problems.add("chain[" + i + "] " + CertFacts.subject(c) + " is issued by chain[" + j
                            + "], not by the next certificate chain[" + (i + 1) + "]");
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder presented = new StringBuilder();
            for (int i = 0; i < chain.size(); i++) {
                presented.append(i == 0 ? "" : " > ").append(CertFacts.commonName(chain.get(i)));
            }
            out.add(new Verdict(Cause.TLS_CHAIN_MISORDERED, "The chain is out of order: " + problems.get(0),
                    Evidence.builder().put("order", presented.toString()).put("leafPosition", leafAt)
                            .put("problems", String.join("; ", problems)).build()));
        }
    }

    private static void properties(List<X509Certificate> chain, X509Certificate leaf, GatewayProfile profile,
                                   List<Verdict> out) {
        List<String> problems = new ArrayList<>();
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EKU_SERVER_AUTH) && !eku.contains(EKU_ANY)) {
                problems.add("extended key usage " + eku + " of " + CertFacts.subject(leaf) + " lacks serverAuth ("
                        + EKU_SERVER_AUTH + ")");
            }
        } catch (CertificateParsingException e) {
            problems.add("extended key usage of " + CertFacts.subject(leaf) + " is unreadable: " + e.getMessage());
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            if (CertFacts.selfSigned(c) && i > 0) {
                continue;
            }
            PublicKey k = c.getPublicKey();
            int rsa = CertFacts.rsaBits(k);
            if (rsa > 0 && (rsa < MIN_RSA_BITS || rsa > MAX_RSA_BITS)) {
                problems.add("chain[" + i + "] has an RSA " + rsa + "-bit key (gateways accept " + MIN_RSA_BITS + "-"
                        + MAX_RSA_BITS + ")");
            }
            if (k instanceof ECPublicKey ec) {
                String curve = CertFacts.curveName(ec.getParams());
                if (!ACCEPTED_CURVES.contains(curve)) {
                    problems.add("chain[" + i + "] has an EC key on " + CertFacts.key(k)
                            + " (gateways accept P-256 and P-384)");
                }
            }
        }
        if (chain.size() > profile.maxChainLength()) {
            problems.add("the chain has " + chain.size() + " certificates, the gateway accepts at most "
                    + profile.maxChainLength());
        }
        if (!problems.isEmpty()) {
            out.add(new Verdict(Cause.TLS_CERT_PROPERTIES_UNSUPPORTED, "The certificate has properties the gateway "
                    + "rejects: " + String.join("; ", problems),
                    Evidence.builder().put("problems", String.join("; ", problems))
                            .put("gatewayMaxChainLength", profile.maxChainLength()).build()));
        }
    }

    private static void weak(List<X509Certificate> chain, List<Verdict> out) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            boolean root = CertFacts.selfSigned(c) && i > 0;
            String sig = c.getSigAlgName().toUpperCase(Locale.ROOT);
            if (!root && (sig.startsWith("SHA1") || sig.startsWith("MD5") || sig.startsWith("MD2"))) {
                problems.add("chain[" + i + "] " + CertFacts.subject(c) + " is signed with " + c.getSigAlgName());
            }
            int rsa = CertFacts.rsaBits(c.getPublicKey());
            if (rsa > 0 && rsa < MIN_RSA_BITS) {
                problems.add("chain[" + i + "] " + CertFacts.subject(c) + " has a weak RSA " + rsa + "-bit key");
            }
            if (c.getPublicKey() instanceof ECPublicKey ec
                    && ec.getParams().getCurve().getField().getFieldSize() < MIN_EC_FIELD_BITS) {
                problems.add("chain[" + i + "] has a weak " + CertFacts.key(ec) + " key");
            }
        }
        if (!problems.isEmpty()) {
            out.add(new Verdict(Cause.TLS_WEAK_CERTIFICATE, "Weak certificate: " + String.join("; ", problems),
                    Evidence.builder().put("problems", String.join("; ", problems)).build()));
        }
    }

    private static String label(int i, X509Certificate c) {
        return "chain[" + i + "] " + CertFacts.subject(c) + " notAfter " + c.getNotAfter().toInstant();
    }

    private static String subjects(List<X509Certificate> certs) {
        return certs.stream().map(CertFacts::subject).toList().toString();
    }
}
