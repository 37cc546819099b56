/**
 * Benchmark mains for the design budgets (warm checks vs bare JDK clients, CLI start, pools, keep-alive verdicts,
 * TLS vs testssl.sh); figures in the README's Benchmarks section.
 */
package dev.gatewaycheck.examples.bench;
