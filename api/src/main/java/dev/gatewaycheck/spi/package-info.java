/**
 * The service-provider interface between {@code gateway-check-api} and an engine such as
 * {@code gateway-check-core}. For engine implementers, not applications.
 */
package dev.gatewaycheck.spi;
