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
     * One request and its response, as far as it got.
     *
     * @param status            the status code, 0 when no response was parsed
     * @param version           {@code HTTP/1.1}, or empty
     * @param reusable          whether httpcore5's reuse strategy would keep the connection (no
     *                          {@code Connection: close}, HTTP/1.1 or 1.0 keep-alive, self-delimited body)
     * @param connectionHeader  the {@code Connection} header values, or null when absent
     * @param advertisedTimeout the {@code Keep-Alive: timeout=} value, or null when not advertised
     * @param advertisedMax     the {@code Keep-Alive: max=} value, or null when not advertised
     * @param framing           {@code content-length}, {@code chunked}, {@code close-delimited} or {@code none}
     * @param failure           why it failed, or null
     * @param detail            the exception behind the failure, or empty
     * @param endNanos          {@link System#nanoTime()} when the last byte of the response was read
     */
    record Exchange(int status, String version, boolean reusable, String connectionHeader, Duration advertisedTimeout,
                    Integer advertisedMax, String framing, Failure failure, String detail, long endNanos) {

        /** Whether the exchange failed. */
        public boolean failed() {
            return failure != null;
        }
    }

    /**
     * What happened on the idle connection.
     *
     * @param kind     FIN or RST, or null when the connection was still open when watching stopped
     * @param idle     from the end of the last response to the close (or to the end of watching)
     * @param received bytes the backend sent while idle (a 408 page, say), escaped; empty when none
     * @param cutShort the watchdog closed the socket (run deadline) or the thread was interrupted
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
