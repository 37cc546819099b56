package dev.gatewaycheck.core.tls;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.OptionalLibrary;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.http.FailureClassifier;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.Observation.Qualifier;
import dev.gatewaycheck.core.judge.TransportRules;
import dev.gatewaycheck.core.Text;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The TLS check: handshakes the way the gateway does, captures the chain exactly as presented (even when the
 * gateway would reject it), then judges it separately against the gateway's trust model and its TLS policy.
 *
 * <p>Handshakes, at most {@value #MAX_HANDSHAKES} per backend (four in practice):
 * <ol>
 *   <li>the gateway's: its versions and suites, SNI when it sends SNI and the Host is a name, the client
 *       certificate when one is configured;</li>
 *   <li>only when that fails: a reference handshake offering everything the JDK enables, with SNI, to tell a
 *       version mismatch from a cipher mismatch from missing SNI (and to still get the chain to judge);</li>
 *   <li>when the Host is a name: the other half of the with/without SNI comparison (a probe to 127.0.0.1 or an
 *       IP-only pool member sends no SNI);</li>
 *   <li>only when the certificate does not match the Host: a handshake with an unrelated SNI name, to tell a
 *       backend that ignores SNI.</li>
 * </ol>
 * Certificate findings (dates, name, trust, order, properties, weak, revoked) come from {@link ChainJudge} and,
 * when asked for, {@link Revocation}. Every finding carries the presented chain, the SNI sent and the negotiated
 * version and suite.
 */
public final class TlsCheck {

    /** The most handshakes one backend gets. */
    static final int MAX_HANDSHAKES = 6;
    /** An SNI name no backend serves, to see what a backend answers for a name it does not know. */
    static final String OTHER_NAME = "gateway-check-sni-probe.invalid";

    private final RunContext ctx;
    private final Target target;
    private final GatewayProfile profile;
    /** The Host when it is a DNS name (SNI can carry it), else null. */
    private final String name;
    private int handshakes;

    /**
     * Starts reading the JDK's default trust store on a short-lived daemon thread (once per JVM), for a program that
     * will check an https backend without giving the roots ({@code trusting(...)}) and has other work to do
     * meanwhile (parsing options, say): the check's judgement then finds them read. Later calls do nothing.
     *
     * <pre>{@code
     * TlsCheck.readTrustStoreAside();    // first thing in main()
     * Options o = Options.parse(args);   // meanwhile
     * }</pre>
     */
    public static void readTrustStoreAside() {
        Trust.readDefaultsAside();
    }

    /**
     * Refuses a plan that asks for revocation checking when Bouncy Castle (an optional dependency, needed to read
     * the certificates' OCSP/CRL URLs and encode OCSP requests) is missing: a setup mistake, not a finding.
     *
     * @throws IllegalStateException naming the artifact to add
     */
    public static void requireRevocationSupport(boolean requested) {
        // asked only when requested: a run without revocation loads no class of Bouncy Castle, not even to look
        requireRevocationSupport(requested, !requested || OptionalLibrary.BOUNCY_CASTLE.present());
    }

    static void requireRevocationSupport(boolean requested, boolean available) {
        if (requested && !available) {
            throw new IllegalStateException("checkingRevocation() needs " + OptionalLibrary.BOUNCY_CASTLE.artifact()
                    + " on the class path, an optional dependency of gateway-check-core: add them");
        }
    }

    private TlsCheck(RunContext ctx, Target target) {
        this.ctx = ctx;
        this.target = target;
        this.profile = ctx.profile();
        this.name = Text.isIpLiteral(target.host()) ? null : target.host();
    }

    /** Runs the TLS check. */
    public static Outcome run(RunContext ctx, Target target) {
        return new TlsCheck(ctx, target).check();
    }

    /** How many handshakes the check made (at most {@value #MAX_HANDSHAKES}). */
    int handshakes() {
        return handshakes;
    }

    private Outcome check() {
        if (profile.certificateValidation() != GatewayProfile.CertificateValidation.ALLOWLIST
                && ctx.plan().trusted().isEmpty()) {
            // the judgement will need the default roots (nothing given to end the chain in): read beside the handshake
            Trust.readDefaultsAside();
        }
        boolean gatewaySni = profile.sendsSni() && name != null;
        Handshake gw = attempt(gatewaySni ? name : null, profile.tlsProtocols(), profile.cipherSuites());
        if (gw == null) {
            return Outcome.inconclusive("the run's deadline ended the TLS check");
        }
        if (!gw.ok()) {
            if (!gw.timedOut() && (ctx.cutShort() || gw.failure() instanceof java.net.SocketTimeoutException)) {
                // a timeout shorter than the gateway's is the run's deadline (which caps the socket's): no finding
                return Outcome.inconclusive("the run's deadline ended the TLS handshake after "
                        + Text.seconds(gw.elapsed()) + "; the gateway waits " + profile.tlsHandshakeTimeout().toMillis()
                        + " ms");
            }
            Optional<Cause> early = earlyFailure(gw);
            if (early.isPresent()) {
                reportEarly(early.get(), gw);
                ctx.tlsFailed(early.get());
                return Outcome.RAN;
            }
        } else {
            ctx.tlsTime(gw.elapsed());
        }
        Handshake withSni = gatewaySni ? gw : null;
        Handshake noSni = gatewaySni ? null : gw;
        Handshake served = gw.ok() ? gw : null;
        if (!gw.ok()) {
            Handshake ref = gw.clientCertRequested() ? null : attempt(name, List.of(), List.of());
            handshakeFailed(gw, ref);
            if (ref != null && ref.ok()) {
                served = ref;
                withSni = name != null ? ref : null;
            }
        }
        Handshake judged = served != null ? served : !gw.chain().isEmpty() ? gw : null;
        ChainJudge.Result verdict = null;
        if (judged != null) {
            verdict = ChainJudge.judge(judged.chain(), target.host(), ctx.plan().trusted(), profile,
                    ctx.clock().instant());
            for (ChainJudge.Verdict v : verdict.verdicts()) {
                report(v.cause(), null, v.message(), v.facts(), judged, v.remedy());
            }
            if (ctx.plan().checkRevocation() && verdict.anchor() != null) {
                Revocation.check(ctx, verdict.path(), verdict.anchor())
                        .ifPresent(v -> report(v.cause(), null, v.message(), v.facts(), judged));
            }
        }
        if (name != null && served != null) {
            compareSni(withSni, noSni, verdict != null && verdict.has(Cause.TLS_CERT_HOSTNAME_MISMATCH));
        }
        return Outcome.RAN;
    }

    /** One handshake, or null when the budget or the deadline is spent. */
    private Handshake attempt(String sni, List<String> protocols, List<String> ciphers) {
        if (handshakes >= MAX_HANDSHAKES || ctx.deadline().expired() || ctx.cutShort()) {
            return null;
        }
        handshakes++;
        return Handshake.perform(ctx, target, sni, protocols, ciphers, ctx.plan().clientCertificate());
    }

    /** Failures after which no other handshake can tell more: timeout, plaintext port, connection trouble. */
    private static Optional<Cause> earlyFailure(Handshake h) {
        if (h.timedOut()) {
            return Optional.of(Cause.TLS_HANDSHAKE_TIMEOUT);
        }
        Optional<Cause> c = TransportRules.cause(FailureClassifier.classify(h.failure()));
        if (c.isPresent() && (c.get() == Cause.PROTOCOL_PORT_MISMATCH || c.get() == Cause.CONNECTION_REFUSED
                || c.get() == Cause.CONNECT_TIMEOUT || c.get() == Cause.HOST_UNREACHABLE)) {
            return c;
        }
        return Optional.empty();
    }

    private void reportEarly(Cause c, Handshake gw) {
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
                .put("exception", gw.failure() == null ? null : gw.failure().getClass().getName())
                .put("exceptionMessage", gw.failureMessage()).build();
        report(c, null, message, ev, gw);
    }

    /** Names why the gateway's own handshake failed, using the reference handshake when there is one. */
    private void handshakeFailed(Handshake gw, Handshake ref) {
        Cause cause;
        String message;
        String alert = gw.failureMessage();
        if (gw.clientCertRequested()) {
            cause = Cause.BACKEND_REQUIRES_CLIENT_CERT;
            message = gw.clientCertPresented()
                    ? "The backend asked for a client certificate and rejected the one presented: " + alert
                    : "The backend requires a client certificate and the gateway presents none: " + alert;
        } else if (ref != null && ref.ok() && !gw.offeredProtocols().contains(ref.protocol())) {
            cause = Cause.TLS_PROTOCOL_VERSION_MISMATCH;
            message = "The backend accepts " + ref.protocol() + " but the gateway offers only "
                    + gw.offeredProtocols() + " (alert: " + alert + ")";
        } else if (ref != null && ref.ok() && !gw.offeredCiphers().contains(ref.cipherSuite())) {
            cause = Cause.TLS_NO_SHARED_CIPHER;
            message = "The backend chose " + ref.cipherSuite() + ", which the gateway does not offer; no suite the "
                    + "gateway offers is accepted (alert: " + alert + ")";
        } else if (ref != null && ref.ok() && gw.sni() == null && ref.sni() != null) {
            cause = Cause.TLS_SNI_REQUIRED_NOT_SENT;
            message = "The handshake fails without SNI, as this gateway connects, and succeeds with SNI " + ref.sni()
                    + " (alert: " + alert + ")";
        } else {
            cause = TransportRules.cause(FailureClassifier.handshake(alert.toLowerCase(Locale.ROOT))).orElseThrow();
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
        Handshake chainFrom = ref != null && ref.ok() ? ref : gw;
        List<String> untestable = jvmDisabled(profile.tlsProtocols());
        if (cause == Cause.TLS_PROTOCOL_VERSION_MISMATCH && (ref == null || !ref.ok()) && !untestable.isEmpty()) {
            // the gateway speaks versions this JVM refuses to offer: the backend may speak only those
            ev.put("jvmCannotOffer", String.join(", ", untestable) + " (jdk.tls.disabledAlgorithms)");
            report(cause, Qualifier.UNTESTABLE_HERE, message + "; this JVM cannot offer " + untestable + ", which "
                    + profile.name() + " speaks, so a backend speaking only those cannot be judged here (try "
                    + "openssl s_client -tls1 or -tls1_1)", ev.build(), chainFrom);
        } else {
            report(cause, null, message, ev.build(), chainFrom);
        }
        ctx.tlsFailed(cause);
    }

    /** The versions of {@code protocols} this JVM refuses to negotiate ({@code jdk.tls.disabledAlgorithms}). */
    static List<String> jvmDisabled(List<String> protocols) {
        String disabled = java.security.Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled == null) {
            return List.of();
        }
        java.util.Set<String> tokens = new java.util.HashSet<>();
        for (String t : disabled.split(",")) {
            tokens.add(t.trim());
        }
        return protocols.stream().filter(tokens::contains).toList();
    }

    /**
     * With and without SNI: a failure or another certificate without SNI means the backend needs SNI (an error when
     * this gateway sends none, a warning otherwise: its probe to 127.0.0.1 or an IP-only pool member sends none).
     * The same certificate whatever name is asked, when it does not match the Host, means SNI is ignored.
     */
    private void compareSni(Handshake withSni, Handshake noSni, boolean mismatch) {
        if (withSni == null) {
            withSni = attempt(name, List.of(), List.of());
        }
        if (noSni == null) {
            noSni = attempt(null, List.of(), List.of());
        }
        if (withSni == null || noSni == null || !withSni.ok() || withSni.chain().isEmpty()) {
            return;
        }
        String withLeaf = CertFacts.sha256(withSni.first());
        boolean noSniFails = !noSni.ok() && noSni.chain().isEmpty();
        String noLeaf = noSni.chain().isEmpty() ? null : CertFacts.sha256(noSni.first());
        if (noSniFails || (noLeaf != null && !noLeaf.equals(withLeaf))) {
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
                            : CertFacts.subject(noSni.first()) + " sha256 " + noLeaf)
                    .put("gatewaySendsSni", profile.sendsSni()).build();
            report(Cause.TLS_SNI_REQUIRED_NOT_SENT, null, message, ev, noSniFails ? withSni : noSni);
        }
        if (mismatch && withLeaf.equals(noLeaf)) {
            Handshake other = attempt(OTHER_NAME, List.of(), List.of());
            if (other != null && other.ok() && !other.chain().isEmpty()
                    && withLeaf.equals(CertFacts.sha256(other.first()))) {
                Evidence ev = Evidence.builder().put("namesTried", name + ", " + OTHER_NAME + ", (no SNI)")
                        .put("sameCertificate", CertFacts.subject(withSni.first()) + " sha256 " + withLeaf).build();
                report(Cause.TLS_SNI_NOT_SUPPORTED_BY_BACKEND, null, "The backend presents the same certificate "
                        + CertFacts.subject(withSni.first()) + " for SNI " + name + ", for an unrelated name and "
                        + "without SNI: it ignores SNI or has no certificate for " + name, ev, withSni);
            }
        }
    }

    /** Observes {@code cause} with the handshake facts and the chain appended, qualified when not null. */
    private void report(Cause cause, Qualifier qualifier, String message, Evidence facts, Handshake h) {
        report(cause, qualifier, message, facts, h, null);
    }

    /** As {@link #report(Cause, Qualifier, String, Evidence, Handshake)}, with a specific remedy unless null. */
    private void report(Cause cause, Qualifier qualifier, String message, Evidence facts, Handshake h,
                        String remedy) {
        Evidence.Builder b = facts.toBuilder();
        b.put("sni", facts.has("sni") ? null : sniLabel(h));
        b.put("tlsProtocol", h.protocol() != null ? h.protocol() : "(none: handshake failed)");
        b.put("cipherSuite", h.cipherSuite() != null ? h.cipherSuite() : "(none: handshake failed)");
        List<X509Certificate> chain = h.chain();
        if (chain.isEmpty()) {
            b.put("chainLength", 0);
        } else {
            CertFacts.putChain(b, chain);
        }
        Observation o = Observation.of(cause, target.label(), message, b.build()).remedy(remedy);
        ctx.observe(qualifier == null ? o : o.with(qualifier));
    }

    private static String sniLabel(Handshake h) {
        return h.sni() == null ? "(none)" : h.sni();
    }


}
