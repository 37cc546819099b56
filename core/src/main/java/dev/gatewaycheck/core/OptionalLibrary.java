package dev.gatewaycheck.core;

/**
 * The optional dependencies of {@code gateway-check-core}, and the one way to ask whether one is on the class path.
 *
 * <p>A class that names an optional library (in a field, a signature, a local variable or a call) makes the JVM
 * load that library when the class is linked, so such a class may be reached only after {@link #present()} said
 * yes, or only from a feature the user chose by using the library itself (the JUnit extension, the Testcontainers
 * wait strategy). This class names none of them: it only asks by class name. {@code OptionalLibraryTest} fails when
 * another class starts naming one.
 *
 * <pre>{@code
 * if (OptionalLibrary.BOUNCY_CASTLE.present()) {
 *     RevocationSources.ocspUrls(leaf);   // links Bouncy Castle: only now
 * }
 * }</pre>
 */
public enum OptionalLibrary {
    /** Bouncy Castle's PKIX classes: the opt-in revocation check reads OCSP/CRL URLs and encodes OCSP requests. */
    BOUNCY_CASTLE("org.bouncycastle.cert.ocsp.OCSPReqBuilder",
            "org.bouncycastle:bcpkix-jdk18on (and bcprov-jdk18on)");

    private final String probeClass;
    private final String artifact;
    private volatile Boolean present;

    OptionalLibrary(String probeClass, String artifact) {
        this.probeClass = probeClass;
        this.artifact = artifact;
    }

    /** Whether the library is on the class path that loaded gateway-check-core; loads none of its classes' code. */
    public boolean present() {
        Boolean p = present;
        if (p == null) {
            p = probe();
            present = p;
        }
        return p;
    }

    private boolean probe() {
        try {
            Class.forName(probeClass, false, OptionalLibrary.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The Maven coordinates a user adds to get it, as error messages name them. */
    public String artifact() {
        return artifact;
    }
}
