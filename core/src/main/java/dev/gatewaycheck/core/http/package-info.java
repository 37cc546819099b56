/**
 * The HTTP exchange through httpclient5, configured to observe (no retries, no redirects, strict parsing, bounded
 * reads), the raw-socket second look at what httpclient5 hides, the exception-to-cause classifier, and the check of
 * the request the gateway forwards. Not API.
 */
package dev.gatewaycheck.core.http;
