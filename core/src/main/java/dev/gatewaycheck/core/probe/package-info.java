/**
 * Gateway health-probe semantics: the profile's default probe or a custom one sent as the gateway sends it, in a
 * short series, and the probe-configuration rules checked without the network.
 */
package dev.gatewaycheck.core.probe;
