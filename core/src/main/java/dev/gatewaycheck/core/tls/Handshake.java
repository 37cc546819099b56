package dev.gatewaycheck.core.tls;

import dev.gatewaycheck.ClientCertificate;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.judge.HandshakeSeen;
import dev.gatewaycheck.core.judge.TransportFailure;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * Performs one TLS handshake with chosen parameters (SNI or none, offered versions and suites, client certificate
 * or none) and observes it, never judges it ({@link HandshakeSeen}): the chain is captured as presented by a trust
 * manager that accepts everything. Every attempt gets a fresh {@link SSLContext} so that no session is resumed (a
 * resumed session has no Certificate message); the gateway's own handshake leaves its context to the run
 * ({@link RunContext#gatewaySession}), whose HTTP connections resume its session as a gateway resumes its upstream
 * sessions; when the forwarded request follows to the same Host ({@link RunContext#forwardsOnGatewayConnection}), its
 * connection stays open for it ({@link RunContext#handGatewayConnection}). Sockets are registered with the run's
 * watchdog and their timeouts are capped by the deadline.
 */
final class Handshake {

    /** How long to wait, after a handshake in which a requested client certificate was not sent, for a rejection. */
    static final Duration REJECTION_WAIT = Duration.ofMillis(250);

    private Handshake() {
    }

    /** Whether {@code name} can be sent as an SNI host_name by JSSE. */
    static boolean sendable(String name) {
        try {
            new SNIHostName(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Performs one handshake against {@code target}. Never throws for network trouble. {@code gateway}: it is the
     * gateway's own handshake; when it succeeds without a client certificate its context goes to
     * {@link RunContext#gatewaySession}, before this returns.
     */
    static HandshakeSeen perform(RunContext ctx, Target target, String sniWanted, List<String> protocols,
                                 List<String> ciphers, ClientCertificate clientCertificate, boolean gateway) {
        // a name JSSE cannot put in SNI (an underscore, say: no LDH host name) goes without, as a gateway on JSSE
        // would send it; IP literals never go in SNI
        String sni = sniWanted != null && sendable(sniWanted) ? sniWanted : null;
        Capture capture = new Capture();
        ClientKeys keys = new ClientKeys(delegate(clientCertificate));
        long start = System.nanoTime();
        List<String> offeredP = protocols;
        List<String> offeredC = ciphers;
        Socket raw = null;
        SSLSocket ssl = null;
        boolean handed = false;
        boolean holdingOrder = false;
        try {
            SSLContext sc = SSLContext.getInstance("TLS");
            sc.init(new KeyManager[] {keys}, new TrustManager[] {capture}, null);
            // the gateway's handshake goes on the connect check's connection when it was left open for it
            Socket kept = gateway ? ctx.takeKeptConnection(target.address()) : null;
            raw = kept != null ? kept : ctx.register(new Socket());
            raw.setTcpNoDelay(true);
            Socket connecting = raw;
            // in the run's connection order: a series running beside the TLS phase stays consecutive; the gateway's
            // handshake whose connection will carry the forwarded request keeps the order for that request's series
            RunContext.Connect connect = kept != null ? () -> { } : () -> connecting.connect(target.address(),
                    ctx.deadline().capMillis(ctx.profile().connectTimeout()));
            if (gateway && clientCertificate == null && ctx.forwardsOnGatewayConnection(target, sni)) {
                holdingOrder = ctx.connectingAndHolding(connect);
            } else {
                ctx.connecting(connect);
            }
            raw.setSoTimeout(ctx.deadline().capMillis(ctx.profile().tlsHandshakeTimeout()));
            start = System.nanoTime();
            ssl = (SSLSocket) sc.getSocketFactory().createSocket(raw, sni != null ? sni : target.host(),
                    target.address().getPort(), true);
            ctx.register(ssl);
            SSLParameters p = ssl.getSSLParameters();
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            offeredP = supported(protocols, ssl.getSupportedProtocols(), Arrays.asList(p.getProtocols()));
            offeredC = supported(ciphers, ssl.getSupportedCipherSuites(), Arrays.asList(p.getCipherSuites()));
            try {
                p.setProtocols(offeredP.toArray(new String[0]));
                p.setCipherSuites(offeredC.toArray(new String[0]));
                ssl.setSSLParameters(p);
            } catch (IllegalArgumentException e) {
                throw new SSLException("this JDK cannot offer the gateway's TLS versions " + offeredP
                        + " or suites " + offeredC + ": " + e.getMessage(), e);
            }
            ssl.startHandshake();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            SSLSession s = ssl.getSession();
            IOException rejected = null;
            if (keys.requested && !keys.presented) {
                rejected = awaitRejection(ctx, ssl);
            }
            List<X509Certificate> chain = capture.chain != null ? capture.chain : peer(s);
            if (gateway && rejected == null && clientCertificate == null) {
                // its chain is read: later handshakes in this context (resumed, or full ones) change nothing here
                ctx.gatewaySession(sc);
                if (!keys.requested && ctx.forwardsOnGatewayConnection(target, sni)) {
                    // the gateway sends its request on the connection it just handshook: the forwarded request will
                    ctx.handGatewayConnection(new RunContext.GatewayConnection(target, ssl, raw), holdingOrder);
                    handed = true;
                }
            }
            return new HandshakeSeen(sni, offeredP, offeredC, rejected == null, chain, s.getProtocol(),
                    s.getCipherSuite(), read(rejected), alert(rejected), false, false, keys.requested, keys.presented,
                    took);
        } catch (IOException e) {
            List<X509Certificate> chain = capture.chain != null ? capture.chain : List.of();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // the socket timeout is capped by the run's deadline: only the gateway's own timeout is a finding
            boolean timedOut = e instanceof SocketTimeoutException
                    && took.compareTo(ctx.profile().tlsHandshakeTimeout()) >= 0;
            return new HandshakeSeen(sni, offeredP, offeredC, false, chain, null, null, read(e), alert(e), timedOut,
                    e instanceof SocketTimeoutException && !timedOut, keys.requested, keys.presented, took);
        } catch (GeneralSecurityException e) {
            IOException io = new SSLException("cannot set up the client TLS context: " + e.getMessage(), e);
            return new HandshakeSeen(sni, offeredP, offeredC, false, List.of(), null, null, read(io), alert(io), false,
                    false, false, false, Duration.ZERO);
        } finally {
            if (!handed) {
                ctx.closeQuietly(ssl);
                ctx.closeQuietly(raw);
                if (holdingOrder) {
                    ctx.releaseOrder();
                }
            }
        }
    }

    /** What {@code failure} (null: none) shows happened on the wire. */
    private static TransportFailure read(IOException failure) {
        return failure == null ? null : FailureClassifier.classify(failure);
    }

    /** What the message of {@code failure} (null: none) says, read as a TLS alert. */
    private static TransportFailure.Kind alert(IOException failure) {
        String m = failure == null || failure.getMessage() == null ? "" : failure.getMessage();
        return failure == null ? null : FailureClassifier.handshake(m.toLowerCase(Locale.ROOT));
    }

    /**
     * After a handshake in which the server asked for a client certificate and got none, reads briefly: a server
     * that requires one rejects the connection now (TLS 1.3 sends {@code certificate_required} after the client's
     * Finished); one that only asks keeps waiting for the request.
     */
    private static IOException awaitRejection(RunContext ctx, SSLSocket ssl) {
        try {
            ssl.setSoTimeout(ctx.deadline().capMillis(REJECTION_WAIT));
            int b = ssl.getInputStream().read();
            if (b < 0) {
                return new SSLException("the server closed the connection right after the handshake");
            }
            return null;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static List<String> supported(List<String> wanted, String[] supported, List<String> defaults) {
        if (wanted.isEmpty()) {
            return defaults;
        }
        List<String> s = Arrays.asList(supported);
        List<String> out = new ArrayList<>();
        for (String w : wanted) {
            if (s.contains(w)) {
                out.add(w);
            }
        }
        return out.isEmpty() ? List.copyOf(wanted) : out;
    }

    private static List<X509Certificate> peer(SSLSession s) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : s.getPeerCertificates()) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static X509KeyManager delegate(ClientCertificate cc) {
        if (cc == null) {
            return null;
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(cc.keyStore(), cc.password());
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509KeyManager x) {
                    return x;
                }
            }
            return null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Records the chain as presented and accepts it: judging is done separately, against the gateway's trust. */
    private static final class Capture extends X509ExtendedTrustManager {
        volatile List<X509Certificate> chain;

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) {
            chain = List.of(c.clone());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
            chain = List.of(c.clone());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) {
            chain = List.of(c.clone());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("this trust manager judges servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("this trust manager judges servers only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType) throws CertificateException {
            throw new CertificateException("this trust manager judges servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Notes whether the server asked for a client certificate, and presents the configured one whatever CAs the
     * server lists (as a gateway with a configured client certificate does).
     */
    private static final class ClientKeys extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;
        volatile boolean requested;
        volatile boolean presented;

        ClientKeys(X509KeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            requested = true;
            String alias = delegate == null ? null : delegate.chooseClientAlias(keyType, null, socket);
            presented |= alias != null;
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return chooseClientAlias(keyType, issuers, null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate == null ? null : delegate.getClientAliases(keyType, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate == null ? null : delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate == null ? null : delegate.getPrivateKey(alias);
        }
    }
}
