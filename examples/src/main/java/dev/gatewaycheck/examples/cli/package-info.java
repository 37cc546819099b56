/**
 * The {@code gateway-check.jar} command line (parsed by {@code Options}, by picocli for help, version and usage
 * errors: {@code PicocliOptions}; text, JSON, JUnit XML and Nagios output: {@code Outcome}) and its offline demo of
 * misbehaving loopback backends.
 */
package dev.gatewaycheck.examples.cli;
