/**
 * JUnit 5 (Jupiter) integration: {@link dev.gatewaycheck.junit.GatewayCheckExtension} waits until a backend is
 * ready for the gateway before the tests of a class. Needs {@code org.junit.jupiter:junit-jupiter} (or
 * {@code junit-jupiter-api}) on the test class path, which every JUnit 5 project has: it is an optional dependency of
 * {@code gateway-check-core}, and nothing else in the library loads this package.
 */
package dev.gatewaycheck.junit;
