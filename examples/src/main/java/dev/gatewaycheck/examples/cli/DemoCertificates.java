package dev.gatewaycheck.examples.cli;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's private PKI, made when the demo starts (P-256 keys, Bouncy Castle's certificate builder): a root the
 * demo's gateway trusts, an intermediate it signs, and leaves for the TLS scenarios (valid, expired, another name).
 */
final class DemoCertificates {

    /** A certificate and its key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    static final Issued ROOT = issue("CN=gateway-check demo root", null, null, true, Duration.ZERO);
    static final Issued INTERMEDIATE = issue("CN=gateway-check demo CA", null, ROOT, true, Duration.ZERO);

    private DemoCertificates() {
    }

    /** A server certificate for {@code dnsName} issued by the intermediate; {@code expiredFor} > 0 ended that long ago. */
    static Issued leaf(String dnsName, Duration expiredFor) {
        return issue("CN=" + dnsName, dnsName, INTERMEDIATE, false, expiredFor);
    }

    /** A server context presenting {@code leaf}, followed by the intermediate when {@code withIntermediate}. */
    static SSLContext serving(Issued leaf, boolean withIntermediate) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            X509Certificate[] chain = withIntermediate
                    ? new X509Certificate[] {leaf.certificate(), INTERMEDIATE.certificate()}
                    : new X509Certificate[] {leaf.certificate()};
            ks.setKeyEntry("demo", leaf.key(), new char[0], chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up the demo's TLS backend", e);
        }
    }

    private static Issued issue(String subject, String dnsName, Issued issuer, boolean ca, Duration expiredFor) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            Instant notAfter = expiredFor.isZero() ? now.plus(Duration.ofDays(ca ? 3650 : 90)) : now.minus(expiredFor);
            X500Name name = new X500Name(subject);
            X500Name issuerName = issuer == null ? name
                    : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                    // valid ones from yesterday (a CA's notAfter is ten years ahead), expired ones for a year
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(expiredFor.isZero()
                            ? now.minus(Duration.ofDays(1)) : notAfter.minus(Duration.ofDays(365))),
                    Date.from(notAfter), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        ext.createAuthorityKeyIdentifier(issuer.certificate()));
            }
            if (dnsName != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            PrivateKey signer = issuer == null ? kp.getPrivate() : issuer.key();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            return new Issued(cert, kp.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the demo's certificates", e);
        }
    }
}
