/**
 * The TLS check: {@code Handshake} observes (the chain exactly as presented, the negotiated version and suite,
 * the alert, whether a client certificate was asked for), {@code ChainJudge} judges the chain against the
 * gateway's trust model without sockets, {@code Revocation} asks OCSP/CRL only when the user opts in, and
 * {@link dev.gatewaycheck.core.tls.TlsCheck} decides which handshakes to make (at most six) and reports findings.
 * Not API.
 */
package dev.gatewaycheck.core.tls;
