/** Name resolution of the backend with the plan's resolver, bounded in time. Not API. */
package dev.gatewaycheck.core.dns;
