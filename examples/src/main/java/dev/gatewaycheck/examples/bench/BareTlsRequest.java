package dev.gatewaycheck.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The baseline of the command-line start budget: the cheapest JDK program that makes the same single TLS request
 * as {@code java -jar gateway-check.jar URL}. It trusts the CA in the PEM file given (or the JDK's default roots),
 * verifies the host name, sets {@code TCP_NODELAY}, sends {@code GET / HTTP/1.1} with {@code Connection: close},
 * reads the answer to its end and prints the status line. JDK classes only, nothing from the project.
 *
 * <pre>{@code
 * java -cp examples/target/gateway-check-bench.jar dev.gatewaycheck.examples.bench.BareTlsRequest https://127.0.0.1:8443 [ca.pem]
 * }</pre>
 */
public final class BareTlsRequest {
    private BareTlsRequest() {
    }

    /** {@code URL [ca.pem]}; exits 0 on a 2xx/3xx answer, 1 otherwise, 2 on bad arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BareTlsRequest https://host:port [ca.pem]");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        SSLContext context = SSLContext.getInstance("TLS");
        if (args.length == 2) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            int i = 0;
            try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
                for (Certificate c : cf.generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            context.init(null, tmf.getTrustManagers(), null);
        } else {
            context.init(null, null, null);
        }
        try (Socket raw = new Socket()) {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(uri.getHost(), port), 10_000);
            raw.setSoTimeout(10_000);
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, uri.getHost(), port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                byte[] answer = s.getInputStream().readNBytes(1024 * 1024);
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                int eol = text.indexOf("\r\n");
                String status = eol < 0 ? text : text.substring(0, eol);
                System.out.println(status);
                boolean ok = status.length() >= 12 && (status.charAt(9) == '2' || status.charAt(9) == '3');
                System.exit(ok ? 0 : 1);
            }
        } catch (IOException e) {
            System.out.println("failed: " + e);
            System.exit(1);
        }
    }
}
