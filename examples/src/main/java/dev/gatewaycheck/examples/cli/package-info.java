/** The {@code gateway-check.jar} command line and its offline demo of misbehaving loopback backends. */
package dev.gatewaycheck.examples.cli;
