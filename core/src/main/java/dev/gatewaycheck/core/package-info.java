/**
 * The engine behind {@code GatewayCheck.run()}: runs the phases in dependency order under one deadline. One
 * package per check ({@code dns}, {@code connect}, {@code tls}, {@code http}, {@code keepalive}, {@code probe});
 * none of these packages is API.
 */
package dev.gatewaycheck.core;
