package dev.gatewaycheck.core.http;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one HTTP exchange showed on the wire: the response head and (capped) body, or the failure, with timings.
 * An observation, not a judgement: {@link RequestCheck} and the probe check turn it into findings.
 *
 * @param status          status code, or 0 when no response head was parsed
 * @param reason          reason phrase
 * @param version         protocol version, e.g. {@code HTTP/1.1}
 * @param headers         response headers in order
 * @param body            up to the read cap of the body, decoded as ISO-8859-1 (bytes preserved)
 * @param bodyTruncated   whether the body was longer than the cap
 * @param firstByte       request written to response head parsed, or null
 * @param total           the whole exchange
 * @param failure         what went wrong, or null
 * @param quietAtEnd      from the last byte received (the head, or the last body byte) to the end of the exchange:
 *                        how long the backend said nothing before the exchange ended; null without a response head
 * @param cutShort        the run's deadline or an interrupt ended the exchange (its sockets were closed under it):
 *                        a failure then says nothing about the backend
 */
public record HttpObservation(int status, String reason, String version, List<Header> headers, String body,
                              boolean bodyTruncated, Duration firstByte, Duration total, Throwable failure,
                              Duration quietAtEnd, boolean cutShort) {

    /** An observation without the read timings: nothing known about quiet time, not cut short. */
    public HttpObservation(int status, String reason, String version, List<Header> headers, String body,
                           boolean bodyTruncated, Duration firstByte, Duration total, Throwable failure) {
        this(status, reason, version, headers, body, bodyTruncated, firstByte, total, failure, null, false);
    }

    /** One response header as received. */
    public record Header(String name, String value) {
        /** Bytes on the wire: {@code name: value CRLF}. */
        public int wireBytes() {
            return name.length() + 2 + value.length() + 2;
        }
    }

    /** Whether a response head arrived. */
    public boolean hasResponse() {
        return status > 0;
    }

    /** The first header of that name, case-insensitive. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** Every value of that header, case-insensitive. */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** Total header bytes including the status line and the final CRLF. */
    public int headerBytes() {
        int n = (version + " " + status + " " + reason).length() + 2 + 2;
        for (Header h : headers) {
            n += h.wireBytes();
        }
        return n;
    }

    /** The largest single header line. */
    public Optional<Header> largestHeader() {
        Header max = null;
        for (Header h : headers) {
            if (max == null || h.wireBytes() > max.wireBytes()) {
                max = h;
            }
        }
        return Optional.ofNullable(max);
    }

    /** Lower-cased body, for page fingerprints. */
    public String bodyLower() {
        return body.toLowerCase(Locale.ROOT);
    }
}
