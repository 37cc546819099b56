/** TCP connection establishment to every address of the backend: refused, timed out, unreachable. Not API. */
package dev.gatewaycheck.core.connect;
