package dev.gatewaycheck.core.tls;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The only Bouncy Castle use in main code: reading the OCSP and CRL URLs from a certificate's AIA and CRL
 * distribution point extensions, and encoding an OCSP request. The JDK has no public API for either, and
 * hand-written DER would be the alternative. Reached only after
 * {@link dev.gatewaycheck.core.OptionalLibrary#BOUNCY_CASTLE} said it is present: naming this class links Bouncy Castle.
 */
final class RevocationSources {

    private RevocationSources() {
    }

    /** The http OCSP responder URLs of the certificate's AIA extension. */
    static List<String> ocspUrls(X509Certificate c) throws IOException {
        ASN1Primitive v = extension(c, Extension.authorityInfoAccess.getId());
        List<String> out = new ArrayList<>();
        for (AccessDescription d : v == null ? new AccessDescription[0]
                : AuthorityInformationAccess.getInstance(v).getAccessDescriptions()) {
            if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                addHttp(out, d.getAccessLocation());
            }
        }
        return out;
    }

    /** The http URLs of the certificate's CRL distribution points. */
    static List<String> crlUrls(X509Certificate c) throws IOException {
        ASN1Primitive v = extension(c, Extension.cRLDistributionPoints.getId());
        List<String> out = new ArrayList<>();
        for (DistributionPoint dp : v == null ? new DistributionPoint[0]
                : CRLDistPoint.getInstance(v).getDistributionPoints()) {
            DistributionPointName n = dp.getDistributionPoint();
            if (n != null && n.getType() == DistributionPointName.FULL_NAME) {
                for (GeneralName g : GeneralNames.getInstance(n.getName()).getNames()) {
                    addHttp(out, g);
                }
            }
        }
        return out;
    }

    /** A DER OCSP request for {@code leaf} issued by {@code issuer} (SHA-1 CertID, as responders expect). */
    static byte[] ocspRequest(X509Certificate leaf, X509Certificate issuer) throws IOException {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
            return new OCSPReqBuilder().addRequest(id).build().getEncoded();
        } catch (OperatorCreationException | OCSPException | java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode the OCSP request: " + e.getMessage(), e);
        }
    }

    private static ASN1Primitive extension(X509Certificate c, String oid) throws IOException {
        byte[] v = c.getExtensionValue(oid);
        return v == null ? null : ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v).getOctets());
    }

    private static void addHttp(List<String> out, GeneralName g) {
        if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
            String url = g.getName().toString();
            if (url.toLowerCase(Locale.ROOT).startsWith("http://")) {
                out.add(url);
            }
        }
    }
}
