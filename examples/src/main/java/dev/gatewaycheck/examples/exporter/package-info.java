/**
 * The Prometheus exporter of {@code java -jar gateway-check.jar serve --config FILE}: blackbox_exporter's
 * {@code /probe} contract answered with gateway-check's diagnosis, modules and an allow list from a YAML file,
 * bounded concurrency, a per-target rate limit and the keep-alive check in the background.
 */
package dev.gatewaycheck.examples.exporter;
