package dev.gatewaycheck.core.judge;

import java.time.Duration;
import java.util.List;

/**
 * What the keep-alive check saw the backend do with persistent connections, one record per moment that
 * {@link IdleRules} judges; facts only. {@link Exchange} and {@link IdleEnd} are what one connection reads.
 */
public sealed interface IdleCloseSeen {

    /** The backend's address, e.g. {@code http://127.0.0.1:8080}. */
    String backend();

    /** How the backend ended a connection. */
    enum CloseKind {
        /** Orderly close: {@code read()} returned -1 (for TLS: close_notify, or the TCP FIN under it). */
        FIN,
        /** Reset: {@code SocketException: Connection reset} (or broken pipe on write). */
        RST
    }

    /** Why an exchange failed. */
    enum Failure {
        /** RST before or during the response. */
        RST("RST"),
        /** FIN before the first byte of the response: an empty reply. */
        EMPTY_REPLY("empty reply (FIN)"),
        /** FIN in the middle of the response. */
        TRUNCATED("truncated response (FIN)"),
        /** No (complete) response within the read timeout. */
        TIMEOUT("no response in time"),
        /** Bytes that are not a valid HTTP response. */
        PROTOCOL("invalid HTTP response"),
        /** The body is larger than the read cap. */
        BODY_TOO_LARGE("response body larger than 1 MiB"),
        /** Anything else (the watchdog closed the socket, ...). */
        IO("I/O error");

        private final String text;

        Failure(String text) {
            this.text = text;
        }

        /** Whether this is how a closed connection answers a request (what the gateway turns into a 502). */
        public boolean isClosedConnection() {
            return this == RST || this == EMPTY_REPLY || this == TRUNCATED;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One request and its response as far as it got ({@code status} 0 when none parsed, else {@code failure} null):
     * whether httpcore5's reuse strategy keeps the connection, the {@code Connection} and {@code Keep-Alive} values
     * (null when absent), the body's framing, and when its last byte came ({@link System#nanoTime()}).
     */
    record Exchange(int status, String version, boolean reusable, String connectionHeader, Duration advertisedTimeout,
                    Integer advertisedMax, String framing, Failure failure, String detail, long endNanos) {

        /** Whether the exchange failed. */
        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * How the idle connection ended ({@code kind} null: still open when the watch stopped, cut short by the run's
     * deadline or not) after {@code idle}, and what the backend sent meanwhile (escaped, empty when nothing).
     */
    record IdleEnd(CloseKind kind, Duration idle, String received, boolean cutShort) {
    }

    /** The first request of the check failed with {@code failure} ({@code detail}: the exception behind it). */
    record FirstRequestFailed(String backend, Failure failure, String detail) implements IdleCloseSeen {
    }

    /**
     * The first response ends its connection ({@code Connection: close}, HTTP/1.0, close-delimited body); the
     * connection then closed as {@code closeKind}, or null when it did not within {@code watched}.
     */
    record NotKeptAlive(String backend, Exchange opening, CloseKind closeKind, Duration watched)
            implements IdleCloseSeen {
    }

    /** After {@code served} answered requests, the next failed with {@code failure}; {@code last} the last answer. */
    record ClosedUnannounced(String backend, Exchange last, int served, Failure failure) implements IdleCloseSeen {
    }

    /**
     * The idle connection after {@code before} closed as {@code end} ({@code served} requests on it,
     * {@code announcedLimit} when its last response announced the close); {@code race} the replayed race, or null.
     */
    record IdleClosed(String backend, Exchange before, IdleEnd end, int served, Integer announcedLimit, Race race)
            implements IdleCloseSeen {
    }

    /** The close race replayed on new connections: why it could not run (null when it ran), and each attempt. */
    record Race(String notRun, List<RaceAttempt> attempts) {
    }

    /** One racing request after {@code idle}: how it failed, or null when the backend answered {@code status}. */
    record RaceAttempt(Failure failure, int status, Duration idle) {
    }
}
