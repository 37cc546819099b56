package dev.gatewaycheck.core.tls;

import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.core.Outcome;
import dev.gatewaycheck.core.OptionalLibrary;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.Text;
import dev.gatewaycheck.core.judge.ChainRules;
import dev.gatewaycheck.core.judge.HandshakeSeen;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.judge.TlsRules;
import java.util.List;
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
 The handshakes are observed ({@link HandshakeSeen}) and judged without the network: the chain by
 * {@link ChainRules} (dates, name, trust, order, properties, weak), the rest by {@link TlsRules}; revocation is
 * asked by {@link Revocation} only when the plan asks for it. Every finding carries the presented chain, the SNI
 * sent and the negotiated version and suite.
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
        HandshakeSeen gw = attempt(gatewaySni ? name : null, profile.tlsProtocols(), profile.cipherSuites(), true);
        if (gw == null) {
            return Outcome.inconclusive("the run's deadline ended the TLS check");
        }
        if (!gw.ok()) {
            if (gw.cappedByDeadline() || !gw.timedOut() && ctx.cutShort()) {
                // a timeout shorter than the gateway's is the run's deadline (which caps the socket's): no finding
                return Outcome.inconclusive("the run's deadline ended the TLS handshake after "
                        + Text.seconds(gw.elapsed()) + "; the gateway waits " + profile.tlsHandshakeTimeout().toMillis()
                        + " ms");
            }
            Optional<Observation> early = TlsRules.early(target.label(), gw, profile);
            if (early.isPresent()) {
                failed(early.get());
                return Outcome.RAN;
            }
        } else {
            ctx.gatewayTlsVersion(target, gw.protocol());
            ctx.tlsTime(gw.elapsed());
        }
        HandshakeSeen withSni = gatewaySni ? gw : null;
        HandshakeSeen noSni = gatewaySni ? null : gw;
        HandshakeSeen served = gw.ok() ? gw : null;
        if (!gw.ok()) {
            HandshakeSeen ref = gw.clientCertRequested() ? null : attempt(name, List.of(), List.of());
            failed(TlsRules.failed(target.label(), gw, ref, jvmDisabled(profile.tlsProtocols()), profile));
            if (ref != null && ref.ok()) {
                served = ref;
                withSni = name != null ? ref : null;
            }
        }
        HandshakeSeen judged = served != null ? served : !gw.chain().isEmpty() ? gw : null;
        ChainRules.Result verdict = null;
        if (judged != null) {
            verdict = ChainRules.judge(judged.chain(), target.host(), ctx.plan().trusted(), Trust::jdkDefaults,
                    profile, ctx.clock().instant());
            ctx.observe(TlsRules.chain(target.label(), verdict, judged));
            if (ctx.plan().checkRevocation() && verdict.anchor() != null) {
                Revocation.check(ctx, verdict.path(), verdict.anchor())
                        .ifPresent(r -> ctx.observe(TlsRules.revoked(target.label(), r, judged)));
            }
        }
        if (name != null && served != null) {
            compareSni(withSni, noSni, verdict != null && verdict.nameMismatch());
        }
        return Outcome.RAN;
    }

    /** One handshake, or null when the budget or the deadline is spent. */
    private HandshakeSeen attempt(String sni, List<String> protocols, List<String> ciphers) {
        return attempt(sni, protocols, ciphers, false);
    }

    /** One handshake, or null; {@code gateway}: the gateway's own, whose session the HTTP connections resume. */
    private HandshakeSeen attempt(String sni, List<String> protocols, List<String> ciphers, boolean gateway) {
        if (handshakes >= MAX_HANDSHAKES || ctx.deadline().expired() || ctx.cutShort()) {
            return null;
        }
        handshakes++;
        return Handshake.perform(ctx, target, sni, protocols, ciphers, ctx.plan().clientCertificate(), gateway);
    }

    /** Observes why the handshake is impossible, and marks it so that the HTTP phases are skipped. */
    private void failed(Observation o) {
        ctx.observe(o);
        ctx.tlsFailed(o.cause());
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
     * Makes the handshakes the SNI comparison lacks (with, without, and with an unrelated name when the certificate
     * does not match the Host and is the same without SNI); {@link TlsRules#sni} judges them.
     */
    private void compareSni(HandshakeSeen withSni, HandshakeSeen noSni, boolean mismatch) {
        if (withSni == null) {
            withSni = attempt(name, List.of(), List.of());
        }
        if (noSni == null) {
            noSni = attempt(null, List.of(), List.of());
        }
        if (withSni == null || noSni == null || !withSni.ok() || withSni.chain().isEmpty()) {
            return;
        }
        HandshakeSeen other = mismatch && withSni.sameLeaf(noSni) ? attempt(OTHER_NAME, List.of(), List.of()) : null;
        ctx.observe(TlsRules.sni(target.label(), name, withSni, noSni, OTHER_NAME, other, profile));
    }
}
