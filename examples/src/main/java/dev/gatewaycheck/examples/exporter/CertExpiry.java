package dev.gatewaycheck.examples.exporter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code probe_ssl_earliest_cert_expiry}: the earliest {@code notAfter} of the chain a TLS backend presents, read
 * in one handshake (judging the chain is the library's TLS check; this only reads the dates of what was presented).
 */
final class CertExpiry {
    private CertExpiry() {
    }

    /** Unix seconds of the earliest expiry in the presented chain, or empty when no chain was presented in time. */
    static OptionalLong earliest(URI target, String sni, Duration timeout) {
        int port = target.getPort() == -1 ? AllowList.defaultPort("https") : target.getPort();
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Presented presented = new Presented();
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {presented}, null);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(ms);
                // InetSocketAddress takes an IPv6 literal in its URI brackets as it is
                s.connect(new InetSocketAddress(target.getHost(), port), ms);
                if (sni != null && AllowList.literal(sni) == null) {
                    SSLParameters p = s.getSSLParameters();
                    p.setServerNames(List.of(new SNIHostName(sni)));
                    s.setSSLParameters(p);
                }
                s.startHandshake();
            }
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            // the dates are read as soon as the chain arrives: a handshake that fails later still has them
        }
        long earliest = Long.MAX_VALUE;
        for (X509Certificate c : presented.chain) {
            earliest = Math.min(earliest, c.getNotAfter().toInstant().getEpochSecond());
        }
        return earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest);
    }

    /** Keeps the chain the backend presents; trusts no client. The JDK's own checks of the chain still apply. */
    private static final class Presented implements X509TrustManager {
        private volatile X509Certificate[] chain = new X509Certificate[0];

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType) {
            chain = certificates.clone();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
