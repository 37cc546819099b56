package dev.gatewaycheck.examples.exporter;

import dev.gatewaycheck.core.http.HttpExchange;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

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
            try (SSLSocket s = (SSLSocket) HttpExchange.trustAll().getSocketFactory().createSocket()) {
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
        } catch (IOException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }
}
