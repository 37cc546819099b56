/**
 * The TLS check: {@code Handshake} observes (the chain exactly as presented, the negotiated version and suite,
 * the alert, whether a client certificate was asked for), {@code Revocation} asks OCSP/CRL only when the user opts
 * in, and {@link dev.gatewaycheck.core.tls.TlsCheck} decides which handshakes to make (at most six); the judge
 * package's {@code ChainRules} and {@code TlsRules} name the findings without sockets. Not API.
 */
package dev.gatewaycheck.core.tls;
