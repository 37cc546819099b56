package dev.gatewaycheck.examples.exporter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
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
 * in one handshake that accepts any chain (judging the chain is the library's TLS check; this only reads dates).
 */
final class CertExpiry {

    private CertExpiry() {
    }

    /** Unix seconds of the earliest expiry in the presented chain, or empty when no handshake completed in time. */
    static OptionalLong earliest(URI target, String sni, Duration timeout) {
        int port = target.getPort() == -1 ? 443 : target.getPort();
        String host = target.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new ReadOnly()}, null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(ms);
                s.connect(new InetSocketAddress(host, port), ms);
                if (sni != null && AllowList.literal(sni) == null) {
                    SSLParameters p = s.getSSLParameters();
                    p.setServerNames(List.of(new SNIHostName(sni)));
                    s.setSSLParameters(p);
                }
                s.startHandshake();
                long earliest = Long.MAX_VALUE;
                for (Certificate c : s.getSession().getPeerCertificates()) {
                    if (c instanceof X509Certificate x) {
                        earliest = Math.min(earliest, x.getNotAfter().toInstant().getEpochSecond());
                    }
                }
                return earliest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(earliest);
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /** Accepts every chain: the dates are read, the trust is judged by the library's TLS check. */
    private static final class ReadOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // reading dates only
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
