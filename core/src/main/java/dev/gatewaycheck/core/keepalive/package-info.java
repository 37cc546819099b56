/**
 * The keep-alive check: on a raw socket (TLS layered on it for https backends), measures when and how (FIN or RST)
 * the backend ends an idle persistent connection, whether it closes after some requests without announcing it,
 * whether keep-alive is off and whether its {@code Keep-Alive: timeout=} is true, judges that against the gateway
 * profile's idle timeout, and optionally replays the close race. Not API.
 */
package dev.gatewaycheck.core.keepalive;
