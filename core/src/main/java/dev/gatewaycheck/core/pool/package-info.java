/**
 * Backend pools as the gateway sees them: every member checked concurrently on a bounded, per-run set of daemon
 * threads under one deadline, a member given by name checked on every address, and the pool judged (empty, all or
 * some members unhealthy) by the profile.
 */
package dev.gatewaycheck.core.pool;
