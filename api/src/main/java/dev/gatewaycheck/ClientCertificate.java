package dev.gatewaycheck;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Objects;

/**
 * A TLS client certificate the check presents, as a gateway configured for mTLS would
 * ({@link GatewayCheck#withClientCertificate(KeyStore, char[])}).
 *
 * <pre>{@code
 * KeyStore ks = KeyStore.getInstance("PKCS12");
 * ks.load(Files.newInputStream(Path.of("gateway-client.p12")), "changeit".toCharArray());
 * GatewayCheck.forBackend(url).withClientCertificate(ks, "changeit".toCharArray()).tls().run();
 * }</pre>
 *
 * @since 0.1
 */
public final class ClientCertificate {
    private final KeyStore keyStore;
    private final char[] password;

    ClientCertificate(KeyStore keyStore, char[] password) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        this.password = password.clone();
        try {
            boolean hasKey = false;
            for (java.util.Enumeration<String> e = keyStore.aliases(); e.hasMoreElements();) {
                if (keyStore.isKeyEntry(e.nextElement())) {
                    hasKey = true;
                }
            }
            if (!hasKey) {
                throw new IllegalArgumentException("keyStore must hold a private key entry (client certificate)");
            }
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("keyStore must be loaded before it is passed, " + e.getMessage());
        }
    }

    /** The key store holding the private key and certificate. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** A copy of the key password. */
    public char[] password() {
        return password.clone();
    }

    @Override
    public String toString() {
        return "ClientCertificate[" + keyStore.getType() + "]";
    }
}
