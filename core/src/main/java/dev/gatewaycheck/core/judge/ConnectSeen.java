package dev.gatewaycheck.core.judge;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One TCP connect to a backend address: how long it took and, when it failed, what the wire showed
 * ({@link TransportFailure.Kind#CONNECT_TIMED_OUT}, {@code UNREACHABLE}, {@code REFUSED} or {@code UNRECOGNIZED}).
 *
 * @param backend the backend as a finding names it, e.g. {@code http://127.0.0.1:8080}
 * @param address the address connected to
 * @param elapsed how long the connect took, or waited before it failed
 * @param failure what failed, null when the connection was accepted
 */
public record ConnectSeen(String backend, InetSocketAddress address, Duration elapsed, TransportFailure failure) {
}
