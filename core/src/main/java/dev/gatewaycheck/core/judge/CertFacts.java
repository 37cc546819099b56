package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Evidence;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Readable facts about one certificate, read through the JDK's X.509 API (no hand-written parsing): subject,
 * issuer, SANs, CN, validity, key type and size, signature algorithm, SHA-256 fingerprint, and the structural
 * questions the judgement asks (self-signed, issued by, CA or leaf). Pure.
 *
 * <pre>{@code
 * CertFacts.subject(leaf);   // "CN=backend.example"
 * CertFacts.sha256(leaf);    // the fingerprint of its DER encoding
 * }</pre>
 */
public final class CertFacts {

    /** The named curves gateways accept or that certificates commonly use, by display name. */
    private static final Map<String, ECParameterSpec> CURVES = namedCurves();

    /** How a SAN is shown, by its GeneralName tag (RFC 5280 4.2.1.6: rfc822Name 1, dNSName 2, URI 6, iPAddress 7). */
    private static final Map<Integer, String> SAN_PREFIXES = Map.of(1, "email:", 2, "DNS:", 6, "URI:", 7, "IP:");

    private CertFacts() {
    }

    /**
     * Adds {@code chainLength} and {@code chain}: one object per presented certificate, in order, with
     * {@code subject}, {@code issuer}, {@code sans}, {@code notBefore}, {@code notAfter}, {@code key},
     * {@code signature} and {@code sha256}.
     */
    static void putChain(Evidence.Builder b, List<X509Certificate> chain) {
        List<Evidence> certificates = new java.util.ArrayList<>();
        for (X509Certificate c : chain) {
            certificates.add(Evidence.builder().put("subject", subject(c)).put("issuer", issuer(c))
                    .put("sans", String.join(", ", sans(c))).put("notBefore", c.getNotBefore().toInstant())
                    .put("notAfter", c.getNotAfter().toInstant()).put("key", key(c.getPublicKey()))
                    .put("signature", c.getSigAlgName()).put("sha256", sha256(c)).build());
        }
        b.put("chainLength", chain.size()).put("chain", certificates);
    }

    /** The subject, RFC 2253. */
    public static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    static String issuer(X509Certificate c) {
        return c.getIssuerX500Principal().getName(X500Principal.RFC2253);
    }

    /** {@code DNS:a.example}, {@code IP:127.0.0.1}...; empty when the certificate has no SAN. */
    static List<String> sans(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = c.getSubjectAlternativeNames();
            if (all == null) {
                return out;
            }
            for (List<?> san : all) {
                int type = (Integer) san.get(0);
                Object v = san.get(1);
                String prefix = SAN_PREFIXES.getOrDefault(type, "type" + type + ":");
                out.add(prefix + (v instanceof String s ? s : "(binary)"));
            }
        } catch (CertificateParsingException e) {
            out.add("(unparseable: " + e.getMessage() + ")");
        }
        return out;
    }

    /** The subject's last CN, or empty. */
    static String commonName(X509Certificate c) {
        try {
            LdapName n = new LdapName(c.getSubjectX500Principal().getName(X500Principal.RFC2253));
            String cn = "";
            for (Rdn r : n.getRdns()) {
                if (r.getType().equalsIgnoreCase("CN")) {
                    cn = String.valueOf(r.getValue());
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return "";
        }
    }

    /** {@code RSA 2048}, {@code EC P-256}, {@code EC 521-bit (secp521r1)}... */
    static String key(PublicKey k) {
        if (k instanceof RSAPublicKey r) {
            return "RSA " + r.getModulus().bitLength();
        }
        if (k instanceof ECPublicKey e) {
            String curve = curveName(e.getParams());
            return "EC " + (curve != null ? curve : e.getParams().getCurve().getField().getFieldSize() + "-bit");
        }
        if (k instanceof DSAPublicKey d) {
            return "DSA " + d.getParams().getP().bitLength();
        }
        return k.getAlgorithm();
    }

    /** RSA modulus bits, or -1 for other keys. */
    static int rsaBits(PublicKey k) {
        return k instanceof RSAPublicKey r ? r.getModulus().bitLength() : -1;
    }

    /** The display name of an EC key's curve ({@code P-256}, {@code P-384}, {@code P-521}, {@code secp256k1}), or null. */
    static String curveName(ECParameterSpec spec) {
        for (Map.Entry<String, ECParameterSpec> e : CURVES.entrySet()) {
            ECParameterSpec n = e.getValue();
            if (n.getOrder().equals(spec.getOrder()) && n.getGenerator().equals(spec.getGenerator())
                    && n.getCurve().equals(spec.getCurve())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The SHA-256 fingerprint of the DER encoding, in hex. */
    public static String sha256(X509Certificate c) {
        try {
            return sha256(c.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    /** The SHA-256 fingerprint of a public key's encoding, in hex. */
    public static String keySha256(PublicKey k) {
        try {
            return sha256(k.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            return "(unavailable)";
        }
    }

    private static String sha256(byte[] encoded) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
    }

    static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    /** Self-issued and its signature verifies with its own key. */
    static boolean selfSigned(X509Certificate c) {
        return selfIssued(c) && signedBy(c, c.getPublicKey());
    }

    /** {@code child}'s issuer is {@code parent}'s subject and {@code parent}'s key verifies its signature. */
    static boolean issuedBy(X509Certificate child, X509Certificate parent) {
        return child.getIssuerX500Principal().equals(parent.getSubjectX500Principal())
                && signedBy(child, parent.getPublicKey());
    }

    private static boolean signedBy(X509Certificate c, PublicKey key) {
        try {
            c.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the certificate is a CA (basic constraints cA=true). */
    static boolean isCa(X509Certificate c) {
        return c.getBasicConstraints() >= 0;
    }

    /** Same subject and same public key: the same certificate as far as trust goes (re-issued roots included). */
    static boolean sameKeyAndSubject(X509Certificate a, X509Certificate b) {
        return a.getSubjectX500Principal().equals(b.getSubjectX500Principal())
                && a.getPublicKey().equals(b.getPublicKey());
    }

    /** The serial number, in hex. */
    public static String serial(X509Certificate c) {
        BigInteger s = c.getSerialNumber();
        return s.toString(16);
    }

    private static Map<String, ECParameterSpec> namedCurves() {
        Map<String, ECParameterSpec> m = new LinkedHashMap<>();
        String[][] names = {{"P-256", "secp256r1"}, {"P-384", "secp384r1"}, {"P-521", "secp521r1"}};
        for (String[] n : names) {
            try {
                AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
                ap.init(new ECGenParameterSpec(n[1]));
                m.put(n[0], ap.getParameterSpec(ECParameterSpec.class));
            } catch (GeneralSecurityException e) {
                // the JDK lacks this curve: keys on it are then shown by field size
            }
        }
        return Map.copyOf(m);
    }

    /** The certificates of {@code path} before the trust anchor (the part a PKIX validation takes). */
    public static List<X509Certificate> belowAnchor(List<X509Certificate> path, X509Certificate anchor) {
        List<X509Certificate> certs = new ArrayList<>();
        for (X509Certificate c : path) {
            if (sameKeyAndSubject(c, anchor)) {
                break;
            }
            certs.add(c);
        }
        return certs;
    }

    /** {@code now} if every certificate is valid then, else the latest notBefore if that is before every notAfter. */
    public static Instant validInstant(List<X509Certificate> certs, Instant now) {
        Instant from = certs.stream().map(c -> c.getNotBefore().toInstant()).max(Instant::compareTo)
                .orElse(Instant.MIN);
        Instant to = certs.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElse(Instant.MAX);
        if (!now.isBefore(from) && !now.isAfter(to)) {
            return now;
        }
        return from.isAfter(to) ? now : from;
    }
}
