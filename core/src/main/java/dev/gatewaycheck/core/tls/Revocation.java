package dev.gatewaycheck.core.tls;

import dev.gatewaycheck.core.OptionalLibrary;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.CertFacts;
import dev.gatewaycheck.core.judge.RevocationSeen;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the leaf is revoked, asked only when the user opts in ({@code checkingRevocation()}): the OCSP
 * responder named in the leaf's AIA extension, else the CRL at its distribution point, fetched here with timeouts
 * capped by the run's deadline (the JDK's own fetching has fixed timeouts and needs system properties for CRLs),
 * then judged by the JDK's {@link PKIXRevocationChecker} (signature, issuer, dates of the response). Reading the
 * two extensions and encoding the OCSP request uses Bouncy Castle, an optional dependency: without it on the class
 * path revocation is not checked.
 */
final class Revocation {
    private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);
    /** The largest OCSP response or CRL read (a large CA's CRL is a few MB). */
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    /** How long one OCSP or CRL fetch may take (capped by the run's deadline). */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    private Revocation() {
    }

    /** What says the leaf is revoked; empty when it is not or when that cannot be told. */
    static Optional<RevocationSeen> check(RunContext ctx, List<X509Certificate> path, X509Certificate anchor) {
        if (!OptionalLibrary.BOUNCY_CASTLE.present()) {
            LOG.debug("revocation not checked: Bouncy Castle (bcpkix-jdk18on) is not on the class path");
            return Optional.empty();
        }
        X509Certificate leaf = path.get(0);
        X509Certificate issuer = path.size() > 1 ? path.get(1) : anchor;
        try (CloseableHttpClient http = ctx.register(client(ctx))) {
            byte[] ocsp = null;
            String source = null;
            for (String url : RevocationSources.ocspUrls(leaf)) {
                byte[] request = RevocationSources.ocspRequest(leaf, issuer);
                ocsp = fetch(http, post(url, request), ctx);
                if (ocsp != null) {
                    source = "OCSP " + url;
                    break;
                }
            }
            X509CRL crl = null;
            if (ocsp == null) {
                for (String url : RevocationSources.crlUrls(leaf)) {
                    byte[] der = fetch(http, new HttpGet(URI.create(url)), ctx);
                    if (der != null) {
                        crl = (X509CRL) CertificateFactory.getInstance("X.509")
                                .generateCRL(new ByteArrayInputStream(der));
                        source = "CRL " + url;
                        break;
                    }
                }
            }
            ctx.unregister(http);
            if (source == null) {
                return Optional.empty();
            }
            return validate(path, anchor, ocsp, crl, source, ctx);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.debug("revocation of {} could not be checked", leaf.getSubjectX500Principal(), e);
            return Optional.empty();
        }
    }

    private static Optional<RevocationSeen> validate(List<X509Certificate> path, X509Certificate anchor,
                                                     byte[] ocsp, X509CRL crl, String source, RunContext ctx)
            throws GeneralSecurityException {
        List<X509Certificate> certs = CertFacts.belowAnchor(path, anchor);
        if (certs.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = certs.get(0);
        CertPathValidator cpv = CertPathValidator.getInstance("PKIX");
        PKIXRevocationChecker rc = (PKIXRevocationChecker) cpv.getRevocationChecker();
        EnumSet<PKIXRevocationChecker.Option> options = EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                PKIXRevocationChecker.Option.NO_FALLBACK);
        if (ocsp != null) {
            rc.setOcspResponses(Map.of(leaf, ocsp));
        } else {
            options.add(PKIXRevocationChecker.Option.PREFER_CRLS);
        }
        rc.setOptions(options);
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        p.setRevocationEnabled(false);
        p.addCertPathChecker(rc);
        if (crl != null) {
            p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
        }
        p.setDate(Date.from(CertFacts.validInstant(certs, ctx.clock().instant())));
        try {
            cpv.validate(CertificateFactory.getInstance("X.509").generateCertPath(certs), p);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            if (e.getReason() != CertPathValidatorException.BasicReason.REVOKED) {
                LOG.debug("revocation status of {} undetermined: {}", leaf.getSubjectX500Principal(), e.toString());
                return Optional.empty();
            }
            return Optional.of(new RevocationSeen(leaf, source, e.getMessage()));
        }
    }

    private static CloseableHttpClient client(RunContext ctx) {
        Timeout t = Timeout.ofMilliseconds(ctx.deadline().capMillis(FETCH_TIMEOUT));
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t)
                                .build()).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t)
                        .setConnectionRequestTimeout(t).build())
                .disableAutomaticRetries().disableRedirectHandling().disableContentCompression()
                .disableCookieManagement().build();
    }

    private static HttpPost post(String url, byte[] body) {
        HttpPost post = new HttpPost(URI.create(url));
        post.setEntity(new ByteArrayEntity(body, ContentType.create("application/ocsp-request")));
        return post;
    }

    /** The body of a 200 answer, or null (any failure: revocation then stays undetermined). */
    private static byte[] fetch(CloseableHttpClient http, HttpUriRequestBase request, RunContext ctx) {
        if (ctx.deadline().expired()) {
            return null;
        }
        try {
            return http.execute(request, response -> response.getCode() == 200 && response.getEntity() != null
                    ? EntityUtils.toByteArray(response.getEntity(), MAX_RESPONSE_BYTES) : null);
        } catch (IOException e) {
            LOG.debug("fetching {} failed: {}", request.getRequestUri(), e.toString());
            return null;
        }
    }
}
