package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.Target;
import java.time.Duration;
import java.util.List;

/**
 * One TLS connection offering ALPN {@code h2, http/1.1} and, when the backend selected {@code h2}, one HTTP/2 GET
 * seen frame by frame ({@code http.H2Probe}), for {@link H2Rules}.
 *
 * @param target           the backend, the path and the Host sent
 * @param alpn             the protocol the backend selected: {@code h2}, {@code http/1.1}, or empty for none
 * @param tlsProtocol      the negotiated TLS version, or null
 * @param settingsReceived whether the backend answered the preface with its SETTINGS
 * @param status           the response's {@code :status}, or 0
 * @param goAway           the GOAWAY error code name (e.g. {@code PROTOCOL_ERROR}), or null
 * @param goAwayDebug      the GOAWAY debug data, or null
 * @param rstStream        the RST_STREAM error code name for the request's stream, or null
 * @param protocolError    what was not HTTP/2 (a frame too large, a HEADERS block that does not decode, bytes
 *                         that are no frame), or null
 * @param end              how the exchange ended
 * @param framesSeen       the frame types received, in order (e.g. {@code SETTINGS, HEADERS})
 * @param elapsed          the whole exchange
 * @param cutShort         the run's deadline or an interrupt ended the exchange: a timeout says nothing
 */
public record H2Seen(Target target, String alpn, String tlsProtocol, boolean settingsReceived, int status,
                     String goAway, String goAwayDebug, String rstStream, String protocolError, End end,
                     List<String> framesSeen, Duration elapsed, boolean cutShort) {

    /** How the exchange ended. */
    public enum End {
        /** A response head (or its first DATA) arrived. */
        RESPONSE,
        /** The backend sent GOAWAY before a response (or with an error after one). */
        GOAWAY,
        /** The backend reset the request's stream. */
        RST_STREAM,
        /** The backend closed the connection (FIN). */
        FIN,
        /** The backend reset the connection (RST). */
        RST,
        /** Nothing more within the read timeout. */
        TIMEOUT,
        /** The backend sent what is not HTTP/2. */
        PROTOCOL_ERROR,
        /** The backend did not select {@code h2}: no HTTP/2 exchange. */
        NOT_H2,
        /** The connection or the TLS handshake failed (the TLS check reports it). */
        ERROR
    }

    /** Copies the frames. */
    public H2Seen {
        framesSeen = List.copyOf(framesSeen);
    }
}
