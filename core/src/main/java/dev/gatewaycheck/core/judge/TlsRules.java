package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the TLS check's handshakes ({@link HandshakeSeen}) mean for a gateway: why the gateway's own handshake
 * failed (helped by a reference handshake offering everything), what the chain's verdicts ({@link ChainRules}) and
 * a revocation ({@link RevocationSeen}) are, and what the handshakes with and without SNI tell. Every observation
 * carries the SNI sent, the negotiated version and suite and the chain as presented. Pure: no network, no clock.
 *
 * <pre>{@code
 * Optional<Observation> o = TlsRules.early(label, gatewayHandshake, profile);   // timeout, refused, not TLS...
 * }</pre>
 */
public final class TlsRules {

    /** Handshake failures after which no other handshake can tell more (besides the gateway's own timeout). */
    private static final Set<Cause> EARLY = Set.of(Cause.PROTOCOL_PORT_MISMATCH, Cause.CONNECTION_REFUSED,
            Cause.CONNECT_TIMEOUT, Cause.HOST_UNREACHABLE);
    /** The placeholder for a version or suite when no handshake completed. */
    private static final String NONE = "(none: handshake failed)";

    private TlsRules() {
    }

    /**
     * The observation of a failed gateway handshake after which no other handshake can tell more (the gateway's
     * handshake timeout, a plaintext port, connection trouble), or empty.
     */
    public static Optional<Observation> early(String label, HandshakeSeen gw, GatewayProfile profile) {
        Cause c = gw.timedOut() ? Cause.TLS_HANDSHAKE_TIMEOUT
                : TransportRules.cause(gw.failure()).filter(EARLY::contains).orElse(null);
        if (c == null) {
            return Optional.empty();
        }
        Duration timeout = profile.tlsHandshakeTimeout();
        String message;
        if (c == Cause.PROTOCOL_PORT_MISMATCH) {
            message = "The port answered the TLS ClientHello with plaintext or other bytes that are not TLS ("
                    + gw.failureMessage() + "): it speaks another protocol (plain HTTP?), not HTTPS";
        } else if (c == Cause.TLS_HANDSHAKE_TIMEOUT) {
            message = "The TLS handshake did not complete within " + Text.seconds(gw.elapsed())
                    + " (the gateway waits " + timeout.toMillis() + " ms)";
        } else {
            message = "The backend could not be reached for the TLS handshake: " + gw.failureMessage();
        }
        Evidence ev = Evidence.builder().put("sni", sniLabel(gw))
                .put("elapsedSeconds", gw.elapsed())
                .put("gatewayTlsHandshakeTimeoutSeconds", timeout)
                .put("exception", gw.failure() == null ? null : gw.failure().exception())
                .put("exceptionMessage", gw.failureMessage()).build();
        return Optional.of(observation(label, c, message, ev, gw));
    }

    /**
     * Why the gateway's own handshake {@code gw} failed, using the reference handshake {@code ref} (every version
     * and suite the JDK enables, with SNI) when there is one.
     *
     * @param jvmCannotOffer the gateway's versions this JVM refuses to offer ({@code jdk.tls.disabledAlgorithms})
     */
    public static Observation failed(String label, HandshakeSeen gw, HandshakeSeen ref, List<String> jvmCannotOffer,
                                     GatewayProfile profile) {
        Cause cause;
        String message;
        String alert = gw.failureMessage();
        boolean refOk = ref != null && ref.ok();
        if (gw.clientCertRequested()) {
            cause = Cause.BACKEND_REQUIRES_CLIENT_CERT;
            message = gw.clientCertPresented()
                    ? "The backend asked for a client certificate and rejected the one presented: " + alert
                    : "The backend requires a client certificate and the gateway presents none: " + alert;
        } else if (refOk && !gw.offeredProtocols().contains(ref.protocol())) {
            cause = Cause.TLS_PROTOCOL_VERSION_MISMATCH;
            message = "The backend accepts " + ref.protocol() + " but the gateway offers only "
                    + gw.offeredProtocols() + " (alert: " + alert + ")";
        } else if (refOk && !gw.offeredCiphers().contains(ref.cipherSuite())) {
            cause = Cause.TLS_NO_SHARED_CIPHER;
            message = "The backend chose " + ref.cipherSuite() + ", which the gateway does not offer; no suite the "
                    + "gateway offers is accepted (alert: " + alert + ")";
        } else if (refOk && gw.sni() == null && ref.sni() != null) {
            cause = Cause.TLS_SNI_REQUIRED_NOT_SENT;
            message = "The handshake fails without SNI, as this gateway connects, and succeeds with SNI " + ref.sni()
                    + " (alert: " + alert + ")";
        } else {
            cause = TransportRules.cause(gw.alert()).orElseThrow();
            if (cause == Cause.BACKEND_CLOSED_WITHOUT_RESPONSE || cause == Cause.BACKEND_RESET_CONNECTION) {
                message = "The backend " + (cause == Cause.BACKEND_RESET_CONNECTION ? "reset (RST)" : "closed (FIN)")
                        + " the connection during the TLS handshake, "
                        + (gw.chain().isEmpty() ? "in answer to the ClientHello" : "after presenting its certificate")
                        + (ref != null && !ref.ok() ? ", also when offered every version and suite the JDK enables"
                                : "") + " (" + alert + ")";
            } else {
                message = "The TLS handshake failed: " + alert;
            }
        }
        Evidence.Builder ev = Evidence.builder().put("alert", alert).put("sni", sniLabel(gw))
                .put("gatewayOfferedProtocols", String.join(", ", gw.offeredProtocols()))
                .put("gatewayOfferedCiphers", profile.cipherSuites().isEmpty()
                        ? "JDK defaults (" + gw.offeredCiphers().size() + " suites)"
                        : String.join(", ", gw.offeredCiphers()));
        if (ref != null) {
            ev.put("backendAccepted", ref.ok() ? ref.protocol() + " " + ref.cipherSuite()
                    : "(no handshake succeeded, even offering every version and suite the JDK enables: "
                            + ref.failureMessage() + ")");
        }
        if (gw.clientCertRequested()) {
            ev.put("clientCertificateRequested", true).put("clientCertificatePresented", gw.clientCertPresented());
        }
        HandshakeSeen chainFrom = refOk ? ref : gw;
        if (cause == Cause.TLS_PROTOCOL_VERSION_MISMATCH && !refOk && !jvmCannotOffer.isEmpty()) {
            // the gateway speaks versions this JVM refuses to offer: the backend may speak only those
            ev.put("jvmCannotOffer", String.join(", ", jvmCannotOffer) + " (jdk.tls.disabledAlgorithms)");
            return observation(label, cause, message + "; this JVM cannot offer " + jvmCannotOffer + ", which "
                    + profile.name() + " speaks, so a backend speaking only those cannot be judged here (try "
                    + "openssl s_client -tls1 or -tls1_1)", ev.build(), chainFrom).with(Qualifier.UNTESTABLE_HERE);
        }
        return observation(label, cause, message, ev.build(), chainFrom);
    }

    /** The chain's verdicts on the chain {@code h} presented. */
    public static List<Observation> chain(String label, ChainRules.Result verdict, HandshakeSeen h) {
        List<Observation> out = new ArrayList<>();
        for (ChainRules.Verdict v : verdict.verdicts()) {
            out.add(observation(label, v.cause(), v.message(), v.facts(), h).remedy(v.remedy()));
        }
        return out;
    }

    /** A leaf found revoked, on the chain {@code h} presented. */
    public static Observation revoked(String label, RevocationSeen r, HandshakeSeen h) {
        X509Certificate leaf = r.leaf();
        return observation(label, Cause.TLS_CERT_REVOKED, "The certificate " + CertFacts.subject(leaf) + " (serial "
                        + CertFacts.serial(leaf) + ") is revoked according to " + r.source() + ": " + r.reason(),
                Evidence.builder().put("revocationSource", r.source()).put("revocation", r.reason())
                        .put("serial", CertFacts.serial(leaf)).build(), h);
    }

    /**
     * With and without SNI: a failure or another certificate without SNI means the backend needs SNI (an error when
     * this gateway sends none, a warning otherwise: its probe to 127.0.0.1 or an IP-only pool member sends none).
     * The same certificate for an unrelated name ({@code other}, asked only when the certificate does not match the
     * Host and is the same without SNI) means SNI is ignored.
     *
     * @param withSni a completed handshake with SNI {@code name} that got a chain
     * @param noSni   the handshake without SNI
     * @param other   the handshake with an unrelated SNI name, or null when none was made
     */
    public static List<Observation> sni(String label, String name, HandshakeSeen withSni, HandshakeSeen noSni,
                                        String otherName, HandshakeSeen other, GatewayProfile profile) {
        String withLeaf = CertFacts.sha256(withSni.first());
        boolean noSniFails = !noSni.ok() && noSni.chain().isEmpty();
        if (noSniFails || !noSni.chain().isEmpty() && !withSni.sameLeaf(noSni)) {
            String who = profile.sendsSni()
                    ? "; this gateway sends SNI on live traffic, but a probe with Host 127.0.0.1 or an IP-only pool "
                            + "member connects without it"
                    : "; this gateway sends no SNI";
            String message = noSniFails
                    ? "Without SNI the handshake fails (" + noSni.failureMessage() + "); with SNI " + name
                            + " it succeeds" + who
                    : "Without SNI the backend presents another certificate (" + CertFacts.subject(noSni.first())
                            + ") than with SNI " + name + " (" + CertFacts.subject(withSni.first()) + ")" + who;
            Evidence ev = Evidence.builder().put("withSni", name + " -> " + CertFacts.subject(withSni.first())
                            + " sha256 " + withLeaf)
                    .put("withoutSni", noSniFails ? "handshake failed: " + noSni.failureMessage()
                            : CertFacts.subject(noSni.first()) + " sha256 " + CertFacts.sha256(noSni.first()))
                    .put("gatewaySendsSni", profile.sendsSni()).build();
            return List.of(observation(label, Cause.TLS_SNI_REQUIRED_NOT_SENT, message, ev,
                    noSniFails ? withSni : noSni));
        }
        if (other != null && other.ok() && withSni.sameLeaf(other)) {
            Evidence ev = Evidence.builder().put("namesTried", name + ", " + otherName + ", (no SNI)")
                    .put("sameCertificate", CertFacts.subject(withSni.first()) + " sha256 " + withLeaf).build();
            return List.of(observation(label, Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND, "The backend presents the same "
                    + "certificate " + CertFacts.subject(withSni.first()) + " for SNI " + name + ", for an unrelated "
                    + "name and without SNI: it ignores SNI or has no certificate for " + name, ev, withSni));
        }
        return List.of();
    }

    /** {@code cause} with {@code facts}, the handshake's facts and the chain {@code h} presented appended. */
    private static Observation observation(String label, Cause cause, String message, Evidence facts,
                                           HandshakeSeen h) {
        Evidence.Builder b = facts.toBuilder();
        b.put("sni", facts.has("sni") ? null : sniLabel(h));
        b.put("tlsProtocol", h.protocol() != null ? h.protocol() : NONE);
        b.put("cipherSuite", h.cipherSuite() != null ? h.cipherSuite() : NONE);
        if (h.chain().isEmpty()) {
            b.put("chainLength", 0);
        } else {
            CertFacts.putChain(b, h.chain());
        }
        return Observation.of(cause, label, message, b.build());
    }

    private static String sniLabel(HandshakeSeen h) {
        return h.sni() == null ? "(none)" : h.sni();
    }
}
