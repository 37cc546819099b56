/**
 * The {@code gateway-check.jar} command line (parsed by picocli: {@code Options}; text, JSON, JUnit XML and Nagios
 * output: {@code Outcome}) and its offline demo of misbehaving loopback backends.
 */
package dev.gatewaycheck.examples.cli;
