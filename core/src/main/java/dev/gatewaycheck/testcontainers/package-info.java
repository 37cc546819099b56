/**
 * Testcontainers integration: {@link dev.gatewaycheck.testcontainers.GatewayCheckWaitStrategy} holds a container's
 * start until the backend in it is ready for the gateway. Needs {@code org.testcontainers:testcontainers} on the
 * test class path: it is an optional dependency of {@code gateway-check-core}, and nothing else in the library loads
 * this package.
 */
package dev.gatewaycheck.testcontainers;
