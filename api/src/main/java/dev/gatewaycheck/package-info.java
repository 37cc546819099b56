/**
 * gateway-check: tells why a reverse proxy or load balancer answers 502 Bad Gateway for a backend.
 *
 * <pre>{@code
 * Report r = GatewayCheck.forBackend("https://10.0.0.4:443")
 *         .withHost("www.contoso.com")
 *         .against(GatewayProfile.AZURE_APP_GATEWAY_V2)
 *         .run();
 * System.out.println(r);
 * }</pre>
 *
 * <p>Start at {@link dev.gatewaycheck.GatewayCheck}. Results are {@link dev.gatewaycheck.Report}s of
 * {@link dev.gatewaycheck.Finding}s, each with a stable {@link dev.gatewaycheck.Cause} id.
 */
package dev.gatewaycheck;
