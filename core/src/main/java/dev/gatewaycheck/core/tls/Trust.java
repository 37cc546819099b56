package dev.gatewaycheck.core.tls;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The public roots a PUBLIC_CA or TRUSTED_ROOTS gateway trusts, approximated by the JDK's default trust store
 * (read once, lazily, only when a judgement needs them; never changed).
 */
final class Trust {

    private Trust() {
    }

    /** The JDK's default trusted roots. */
    static List<X509Certificate> jdkDefaults() {
        return Holder.ROOTS;
    }

    private static final AtomicBoolean WARMING = new AtomicBoolean();
    private static final AtomicBoolean READING = new AtomicBoolean();

    /**
     * Loads the handshake code and its crypto, the X.509, PKIX and host-name classes on a short-lived daemon thread,
     * once per JVM, so that a cold first check overlaps this one-time work with its caller's own start. It reads no
     * trust store ({@link #readDefaultsAside()} does, where they will be needed) and builds no default HTTP client
     * (a default client reads the trust store and httpclient5's public suffix list, which no check uses).
     */
    static void warmUp() {
        if (WARMING.getAndSet(true)) {
            return;
        }
        aside("gateway-check-tls-warmup", () -> {
            try {
                java.security.cert.CertPathValidator.getInstance("PKIX");
                java.security.cert.CertificateFactory.getInstance("X.509");
                new org.apache.hc.client5.http.ssl.DefaultHostnameVerifier();
                // a ClientHello (key shares included) through the context the HTTP exchanges use: the handshake
                // code and its crypto load here, beside the caller, not in the first check's critical path
                dev.gatewaycheck.core.http.HttpExchange.warmUpClientHello();
            } catch (java.security.GeneralSecurityException | java.io.IOException | RuntimeException e) {
                // a warm-up only: the check itself will report what is missing
            }
        });
    }

    /**
     * Reads the JDK's default trust store on a short-lived daemon thread (once per JVM; {@link #jdkDefaults()}
     * waits for it), for a caller that knows the judgement will need the default roots: no certificate given to
     * end the chain in.
     */
    static void readDefaultsAside() {
        if (!READING.getAndSet(true)) {
            aside("gateway-check-trust-store", Trust::jdkDefaults);
        }
    }

    private static void aside(String name, Runnable work) {
        Thread t = new Thread(work, name);
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
