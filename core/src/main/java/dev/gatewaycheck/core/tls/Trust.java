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
