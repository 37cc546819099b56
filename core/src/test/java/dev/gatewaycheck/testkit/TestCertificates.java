package dev.gatewaycheck.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates generated at test time with Bouncy Castle (no provider registered: JCA defaults only), and the
 * server {@link SSLContext}s that present them exactly as a misconfigured backend would: a chain in a chosen order
 * (incomplete, misordered, with or without the root), certificates chosen by the SNI name asked for, or no
 * certificate at all without SNI.
 *
 * <pre>{@code
 * Held root = TestCertificates.ca("Test Root").build();
 * Held inter = TestCertificates.intermediate("Test Intermediate", root).build();
 * Held leaf = TestCertificates.leaf("www.example.test", inter).expired().build();
 * SSLContext server = TestCertificates.serving(leaf.privateKey(), leaf.certificate(), inter.certificate());
 * }</pre>
 *
 * Key pairs are cached per (algorithm, size, common name) so that a suite generates few keys; {@link
 * Spec#freshKey()} forces a new one.
 */
public final class TestCertificates {

    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffffL);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /**
     * A certificate with its key pair.
     *
     * @param certificate the certificate
     * @param keyPair     its key pair
     */
    public record Held(X509Certificate certificate, KeyPair keyPair) {
        /** The private key. */
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    /** A self-signed CA (root). */
    public static Spec ca(String cn) {
        return new Spec(cn, null, true);
    }

    /** An intermediate CA issued by {@code issuer}. */
    public static Spec intermediate(String cn, Held issuer) {
        return new Spec(cn, issuer, true);
    }

    /** A server (leaf) certificate for {@code cn} (also its DNS SAN unless {@link Spec#sans} says otherwise),
     * issued by {@code issuer}, or self-signed when {@code issuer} is null. */
    public static Spec leaf(String cn, Held issuer) {
        return new Spec(cn, issuer, false).sans(cn);
    }

    /** A leaf for a loopback backend issued by {@code issuer}: {@code localhost}, its DNS SAN and IP SAN 127.0.0.1. */
    public static Spec loopbackLeaf(Held issuer) {
        return leaf("localhost", issuer).sans("localhost").ipSans("127.0.0.1");
    }

    /**
     * A fresh CA named {@code caName} and its {@link #loopbackLeaf}, for a TLS backend on loopback that a check trusting
     * the CA finds valid.
     *
     * @param ca   the root
     * @param leaf the backend's certificate
     */
    public record LoopbackPki(Held ca, Held leaf) {
        /** The backend's TLS context: the leaf and the root. */
        public SSLContext serving() {
            return TestCertificates.serving(leaf.privateKey(), leaf.certificate(), ca.certificate());
        }

        /** A clock fixed one day after the leaf expires. */
        public java.time.Clock dayAfterExpiry() {
            return java.time.Clock.fixed(leaf.certificate().getNotAfter().toInstant().plus(java.time.Duration.ofDays(1)),
                    java.time.ZoneOffset.UTC);
        }
    }

    /** A {@link LoopbackPki} with a fresh CA named {@code caName}. */
    public static LoopbackPki loopbackPki(String caName) {
        Held ca = ca(caName).build();
        return new LoopbackPki(ca, loopbackLeaf(ca).build());
    }

    /** What to generate; each setter returns this spec. Defaults: valid from a day ago for a year, RSA 2048,
     * SHA-256 signature, EKU serverAuth on leaves. */
    public static final class Spec {
        private final String cn;
        private final Held issuer;
        private final boolean ca;
        private final List<String> dns = new ArrayList<>();
        private final List<String> ips = new ArrayList<>();
        private Instant notBefore = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        private Instant notAfter = Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        private String keyAlgorithm = "RSA";
        private int rsaBits = 2048;
        private String curve = "secp256r1";
        private String signature;
        private List<KeyPurposeId> ekus;
        private String crlUrl;
        private String ocspUrl;
        private boolean freshKey;

        private Spec(String cn, Held issuer, boolean ca) {
            this.cn = cn;
            this.issuer = issuer;
            this.ca = ca;
            this.ekus = ca ? List.of() : List.of(KeyPurposeId.id_kp_serverAuth);
        }

        /** DNS SANs (replaces the default). */
        public Spec sans(String... names) {
            dns.clear();
            dns.addAll(List.of(names));
            return this;
        }

        /** IP address SANs. */
        public Spec ipSans(String... addresses) {
            ips.addAll(List.of(addresses));
            return this;
        }

        /** Validity. */
        public Spec valid(Instant from, Instant until) {
            this.notBefore = from.truncatedTo(ChronoUnit.SECONDS);
            this.notAfter = until.truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        /** Expired two days ago (valid for a year before). */
        public Spec expired() {
            return valid(Instant.now().minus(400, ChronoUnit.DAYS), Instant.now().minus(2, ChronoUnit.DAYS));
        }

        /** Valid from ten days from now. */
        public Spec notYetValid() {
            return valid(Instant.now().plus(10, ChronoUnit.DAYS), Instant.now().plus(400, ChronoUnit.DAYS));
        }

        /** Valid since a month ago, expiring in {@code left}. */
        public Spec expiresIn(Duration left) {
            return valid(Instant.now().minus(30, ChronoUnit.DAYS), Instant.now().plus(left));
        }

        /** An RSA key of this size. */
        public Spec rsa(int bits) {
            this.keyAlgorithm = "RSA";
            this.rsaBits = bits;
            return this;
        }

        /** An EC key on this curve (JDK name, e.g. {@code secp384r1}). */
        public Spec ec(String curveName) {
            this.keyAlgorithm = "EC";
            this.curve = curveName;
            return this;
        }

        /** The signature algorithm the issuer signs with, e.g. {@code SHA1withRSA}. */
        public Spec signature(String algorithm) {
            this.signature = algorithm;
            return this;
        }

        /** Extended key usages (none: no EKU extension). */
        public Spec eku(KeyPurposeId... purposes) {
            this.ekus = List.of(purposes);
            return this;
        }

        /** A CRL distribution point. */
        public Spec crl(String url) {
            this.crlUrl = url;
            return this;
        }

        /** An OCSP responder (AIA). */
        public Spec ocsp(String url) {
            this.ocspUrl = url;
            return this;
        }

        /** A new key pair instead of the cached one for this name. */
        public Spec freshKey() {
            this.freshKey = true;
            return this;
        }

        /** Generates the certificate. */
        public Held build() {
            try {
                KeyPair kp = keyPair();
                X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
                X500Name issuerName = issuer == null ? subject
                        : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
                PrivateKey signingKey = issuer == null ? kp.getPrivate() : issuer.privateKey();
                BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet()).shiftLeft(16)
                        .add(BigInteger.valueOf(RANDOM.nextInt(0xffff)));
                JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, serial,
                        Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic());
                JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
                b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
                if (issuer != null) {
                    b.addExtension(Extension.authorityKeyIdentifier, false,
                            u.createAuthorityKeyIdentifier(issuer.certificate()));
                }
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
                if (ca) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                            | KeyUsage.digitalSignature));
                } else {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                            | (keyAlgorithm.equals("RSA") ? KeyUsage.keyEncipherment : 0)));
                }
                if (!ekus.isEmpty()) {
                    b.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(ekus.toArray(new KeyPurposeId[0])));
                }
                List<GeneralName> names = new ArrayList<>();
                for (String d : dns) {
                    names.add(new GeneralName(GeneralName.dNSName, d));
                }
                for (String ip : ips) {
                    names.add(new GeneralName(GeneralName.iPAddress, ip));
                }
                if (!names.isEmpty() && !ca) {
                    b.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(new GeneralName[0])));
                }
                if (crlUrl != null) {
                    GeneralNames gn = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
                    b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(gn), null, null)}));
                }
                if (ocspUrl != null) {
                    b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                            AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
                }
                String alg = signature != null ? signature : defaultSignature(signingKey);
                ContentSigner signer = new JcaContentSignerBuilder(alg).build(signingKey);
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
                return new Held(cert, kp);
            } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
                throw new IllegalStateException("cannot generate a test certificate for " + cn, e);
            }
        }

        private KeyPair keyPair() throws GeneralSecurityException {
            String key = keyAlgorithm + "-" + (keyAlgorithm.equals("RSA") ? rsaBits : curve) + "-" + cn;
            if (freshKey) {
                return generate();
            }
            KeyPair kp = KEYS.get(key);
            if (kp == null) {
                kp = generate();
                KEYS.put(key, kp);
            }
            return kp;
        }

        private KeyPair generate() throws GeneralSecurityException {
            KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlgorithm);
            if (keyAlgorithm.equals("RSA")) {
                g.initialize(rsaBits);
            } else {
                g.initialize(new ECGenParameterSpec(curve));
            }
            return g.generateKeyPair();
        }
    }

    private static String defaultSignature(PrivateKey k) {
        if (k.getAlgorithm().equals("EC")) {
            return "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }

    // ---- servers ---------------------------------------------------------------------------------------------

    /**
     * What one name is served with: the private key and the certificates exactly in the order given.
     *
     * @param key   the private key of the certificate the handshake is signed with
     * @param chain the certificates to send, in this order (the leaf need not be first)
     */
    public record Served(PrivateKey key, List<X509Certificate> chain) {
        /** Copies the chain. */
        public Served {
            chain = List.copyOf(chain);
        }
    }

    /** {@code key} with {@code chain} sent exactly in this order. */
    public static Served served(PrivateKey key, X509Certificate... chain) {
        return new Served(key, List.of(chain));
    }

    /** A server context that presents exactly {@code chain}, in this order, whatever SNI is asked for. */
    public static SSLContext serving(PrivateKey key, X509Certificate... chain) {
        return context(new SniKeyManager(Map.of(), served(key, chain)), null);
    }

    /**
     * A server context choosing what it presents by the SNI name asked for (ASCII, case-insensitive); names it
     * does not know and connections without SNI get {@code fallback}, or fail the handshake when it is null
     * (a backend with no default certificate).
     */
    public static SSLContext sniServing(Map<String, Served> byName, Served fallback) {
        return context(new SniKeyManager(byName, fallback), null);
    }

    /** A server context presenting {@code served} and trusting client certificates issued by {@code clientCa}
     * (combine with {@code setNeedClientAuth(true)} on the server socket). */
    public static SSLContext servingTrustingClients(Served served, X509Certificate clientCa) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("client-ca", clientCa);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            return context(new SniKeyManager(Map.of(), served), tmf.getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the client trust store", e);
        }
    }

    /** A loaded PKCS12 key store with {@code held}'s key and chain, password {@code changeit}. */
    public static KeyStore keyStore(Held held, X509Certificate... issuers) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            X509Certificate[] chain = new X509Certificate[issuers.length + 1];
            chain[0] = held.certificate();
            System.arraycopy(issuers, 0, chain, 1, issuers.length);
            ks.setKeyEntry("client", held.privateKey(), "changeit".toCharArray(), chain);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the key store", e);
        }
    }

    private static SSLContext context(KeyManager km, TrustManager[] tms) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(new KeyManager[] {km}, tms, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the server context", e);
        }
    }

    /** Chooses the served chain by the SNI name in the handshake session; returns the chain as given. */
    private static final class SniKeyManager extends X509ExtendedKeyManager {
        private static final String NONE = "\u0000fallback";
        private final Map<String, Served> byName;
        private final Served fallback;

        SniKeyManager(Map<String, Served> byName, Served fallback) {
            Map<String, Served> m = new ConcurrentHashMap<>();
            byName.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
            this.byName = m;
            this.fallback = fallback;
        }

        private String choose(String keyType, SSLSession handshake) {
            String alias = NONE;
            if (handshake instanceof ExtendedSSLSession e) {
                for (SNIServerName n : e.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h && byName.containsKey(h.getAsciiName().toLowerCase(Locale.ROOT))) {
                        alias = h.getAsciiName().toLowerCase(Locale.ROOT);
                    }
                }
            }
            Served s = served(alias);
            return s != null && s.key().getAlgorithm().equals(keyType) ? alias : null;
        }

        private Served served(String alias) {
            return NONE.equals(alias) ? fallback : byName.get(alias);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return choose(keyType, engine == null ? null : engine.getHandshakeSession());
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Served s = served(alias);
            return s == null ? null : s.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Served s = served(alias);
            return s == null ? null : s.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return byName.keySet().toArray(new String[0]);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    // ---- revocation ------------------------------------------------------------------------------------------

    /** A CRL signed by {@code issuer}, valid for a day, listing {@code revoked} as key-compromised. */
    public static X509CRL crl(Held issuer, BigInteger... revoked) {
        try {
            Date now = new Date();
            X509v2CRLBuilder b = new X509v2CRLBuilder(new JcaX509CertificateHolder(issuer.certificate()).getSubject(),
                    new Date(now.getTime() - 60_000));
            b.setNextUpdate(new Date(now.getTime() + 86_400_000L));
            for (BigInteger s : revoked) {
                b.addCRLEntry(s, new Date(now.getTime() - 3_600_000L), CRLReason.keyCompromise);
            }
            ContentSigner signer = new JcaContentSignerBuilder(defaultSignature(issuer.privateKey()))
                    .build(issuer.privateKey());
            return new JcaX509CRLConverter().getCRL(b.build(signer));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot build the CRL", e);
        }
    }

    /** An OCSP response signed by {@code issuer} to the DER {@code request}: revoked for serials in {@code revoked},
     * good otherwise. */
    public static byte[] ocspResponse(Held issuer, byte[] request, Set<BigInteger> revoked) {
        try {
            OCSPReq req = new OCSPReq(request);
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
                    new JcaX509CertificateHolder(issuer.certificate()).getSubject()));
            Date now = new Date();
            for (Req r : req.getRequestList()) {
                CertificateStatus status = revoked.contains(r.getCertID().getSerialNumber())
                        ? new RevokedStatus(new Date(now.getTime() - 3_600_000L), CRLReason.keyCompromise)
                        : CertificateStatus.GOOD;
                b.addResponse(r.getCertID(), status, new Date(now.getTime() - 60_000), new Date(now.getTime()
                        + 86_400_000L), null);
            }
            ContentSigner signer = new JcaContentSignerBuilder(defaultSignature(issuer.privateKey()))
                    .build(issuer.privateKey());
            X509CertificateHolder[] chain = {new JcaX509CertificateHolder(issuer.certificate())};
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, b.build(signer, chain, now)).getEncoded();
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.ocsp.OCSPException e) {
            throw new IllegalStateException("cannot build the OCSP response", e);
        }
    }

    // ---- files -----------------------------------------------------------------------------------------------

    /** Writes the certificates as PEM, in order. */
    public static Path writePem(Path file, X509Certificate... certs) {
        StringBuilder b = new StringBuilder();
        try {
            for (X509Certificate c : certs) {
                b.append(pem("CERTIFICATE", c.getEncoded()));
            }
            Files.writeString(file, b.toString(), StandardCharsets.US_ASCII);
            return file;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    /** Writes the private key as PKCS#8 PEM. */
    public static Path writeKeyPem(Path file, PrivateKey key) {
        try {
            Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
