package dev.gatewaycheck;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the certificates of a PEM or DER file given to {@code trusting(Path)} (and {@code --ca}), bounded in bytes
 * and in time: an endless or huge file ({@code /dev/zero}) or one that never ends ({@code /dev/stdin}, a FIFO) is an
 * {@link IllegalArgumentException} naming the parameter, never a spin before any deadline applies.
 */
final class CertificateFiles {

    /** The largest certificate file read: a public CA bundle is about 0.25 MiB. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** How long reading the file may take. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private CertificateFiles() {
    }

    /** The certificates of {@code file}; {@code what} names the parameter in the messages. */
    static List<X509Certificate> read(Path file, String what) {
        byte[] bytes = readBounded(file, what);
        List<X509Certificate> certs = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                if (c instanceof X509Certificate x) {
                    certs.add(x);
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " must be a readable PEM or DER certificate file, got '" + file
                    + "': " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(what + " must hold at least one certificate, got '" + file + "'");
        }
        return certs;
    }

    private static byte[] readBounded(Path file, String what) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
                throw tooLarge(file, what);
            }
        } catch (IOException e) {
            throw unreadable(file, what, e);
        }
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(MAX_BYTES + 1);
            }
        });
        // a FileChannel stream, so an interrupt ends a read that blocks; the thread is a daemon either way
        Thread reader = new Thread(task, "gateway-check-read-" + what);
        reader.setDaemon(true);
        reader.start();
        byte[] bytes;
        try {
            bytes = task.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new IllegalArgumentException(what + " must be a certificate file that can be read within "
                    + MAX_WAIT.toSeconds() + " s, got '" + file + "', which did not end (a pipe or device?)");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException(what + " was not read: interrupted while reading '" + file + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw unreadable(file, what, cause instanceof IOException io ? io : new IOException(cause));
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(file, what);
        }
        return bytes;
    }

    private static IllegalArgumentException tooLarge(Path file, String what) {
        return new IllegalArgumentException(what + " must be a certificate file of at most " + MAX_BYTES / 1024 / 1024
                + " MiB, got '" + file + "', which is larger (or endless): give the PEM file of the root(s) only");
    }

    private static IllegalArgumentException unreadable(Path file, String what, IOException e) {
        return new IllegalArgumentException(what + " must be a readable PEM or DER certificate file, got '" + file
                + "': " + e);
    }
}
