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

    private static final AtomicBoolean READING = new AtomicBoolean();

    /**
     * Reads the JDK's default trust store on a short-lived daemon thread (once per JVM; {@link #jdkDefaults()}
     * waits for it), for a caller that knows the judgement will need the default roots (no certificate given to
     * end the chain in) and has other work to do meanwhile.
     */
    static void readDefaultsAside() {
        if (!READING.getAndSet(true)) {
            Thread t = new Thread(Trust::jdkDefaults, "gateway-check-trust-store");
            t.setDaemon(true);
            t.start();
        }
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
