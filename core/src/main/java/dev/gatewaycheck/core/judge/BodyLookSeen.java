package dev.gatewaycheck.core.judge;

import java.time.Duration;

/**
 * What a response body showed against its framing and its coding, judged by {@link BodyRules}; facts only. The
 * starts of the body and of the bytes after it are kept as ISO-8859-1 text, unescaped, at most
 * {@link #START_BYTES} bytes.
 */
public sealed interface BodyLookSeen {

    /** The most bytes of a body, or of what followed it, kept as its start. */
    int START_BYTES = 64;

    /**
     * The forwarded request's body when the exchange failed after the head: {@code received} of {@code contentLength}
     * bytes (-1: none valid), read to the cap ({@code capped}), then {@code stalled} without a byte until
     * {@code failure} (or the run's deadline, {@code cutShort}) ended it.
     */
    record Forwarded(String backend, String host, String path, int status, long contentLength, int received,
                     boolean capped, boolean cutShort, TransportFailure failure, Duration stalled)
            implements BodyLookSeen {
    }

    /** How a second look's body ended. */
    enum End {
        /** The whole body (by Content-Length, chunked, or FIN for an unframed body). */
        COMPLETE,
        /** Fewer bytes than Content-Length, then nothing for a whole gateway wait. */
        STALL,
        /** The read cap was reached. */
        CAP,
        /** Closed early, reset, malformed, or the run's deadline cut a wait: other checks name it. */
        BROKEN
    }

    /** The result of inflating a coded body: bytes produced and the inflater's error, or null. */
    record Inflated(long inflated, String error) {
    }

    /**
     * The second look, a GET sent with {@code acceptEncoding} and {@code Connection: close}: its body ({@code -1}
     * Content-Length when chunked or close-delimited) and how it {@code end}ed ({@code stalledFor} with a stall), the
     * bytes after a Content-Length body, and a gzip or deflate body inflated (null when not coded so, or empty).
     */
    record SecondLook(String backend, String host, String path, String acceptEncoding, int status,
                      String contentEncoding, long contentLength, int bodyBytes, String bodyStart, End end,
                      Duration stalledFor, int extraBytes, boolean extraCapped, String extraStart, Inflated inflated)
            implements BodyLookSeen {
    }
}
