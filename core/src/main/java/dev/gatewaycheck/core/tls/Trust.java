package dev.gatewaycheck.core.tls;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The public roots a PUBLIC_CA or TRUSTED_ROOTS gateway trusts, approximated by the JDK's default trust store
 * (read once, lazily; never changed).
 */
final class Trust {

    private Trust() {
    }

    /** The JDK's default trusted roots. */
    static List<X509Certificate> jdkDefaults() {
        return Holder.ROOTS;
    }

    private static volatile boolean warming;

    /**
     * Reads the default trust store and loads the PKIX and host-name classes on a short-lived daemon thread, once
     * per JVM, so that a cold first check overlaps this one-time work (about 100 ms) with its first handshake. The
     * thread ends when done; later calls do nothing.
     */
    static void warmUp() {
        if (warming) {
            return;
        }
        warming = true;
        Thread t = new Thread(() -> {
            jdkDefaults();
            try {
                java.security.cert.CertPathValidator.getInstance("PKIX");
                java.security.cert.CertificateFactory.getInstance("X.509");
                new org.apache.hc.client5.http.ssl.DefaultHostnameVerifier();
                // a ClientHello (key shares included) through the context the HTTP exchanges use: the handshake
                // code and its crypto load here, beside the caller, not in the first check's critical path
                dev.gatewaycheck.core.http.HttpExchange.warmUpClientHello();
                org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create().build().close();
                org.apache.hc.client5.http.impl.classic.HttpClients.custom().build().close();
            } catch (java.security.GeneralSecurityException | java.io.IOException | RuntimeException e) {
                // a warm-up only: the check itself will report what is missing
            }
        }, "gateway-check-tls-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static final class Holder {
        static final List<X509Certificate> ROOTS = load();

        private static List<X509Certificate> load() {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        return List.of(x.getAcceptedIssuers());
                    }
                }
                return List.of();
            } catch (NoSuchAlgorithmException | KeyStoreException e) {
                return List.of();
            }
        }
    }
}
