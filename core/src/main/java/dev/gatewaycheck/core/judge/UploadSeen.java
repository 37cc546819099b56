package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.Text;
import java.time.Duration;
import java.util.List;

/**
 * What the forwarded request with a body (an upload with {@code Expect: 100-continue}) showed: the interim and final
 * heads as they arrived, with the body bytes written by then; {@code stalledFor} how long the write made no progress
 * when the watcher ended it at {@code writeLimit} (null: not ended); {@code failure} of the connect, or null.
 */
public record UploadSeen(String method, long bodyBytes, List<Head> interims, Head response, long bytesWritten,
                         boolean bodyComplete, Duration stalledFor, Duration writeLimit, End end, Duration elapsed,
                         TransportFailure failure) {

    /** How the upload's connection ended. */
    public enum End {
        /** The backend closed it (FIN) before a final head. */
        FIN,
        /** The backend reset it. */
        RST,
        /** No head within the read wait. */
        TIMEOUT,
        /** Closed inside a head, or another read error. */
        CLOSED,
        /** Still open when the exchange ended (after the final head, or a 101). */
        OPEN,
        /** The connection could not be made. */
        ERROR
    }

    /** One response head as it arrived. */
    public record Head(int status, String reason, List<String> headers, Duration at, long bodyBytesWritten) {
        /** {@code 100 after 0.001s (0 body bytes written)}. */
        @Override
        public String toString() {
            return status + " after " + Text.seconds(at) + " (" + bodyBytesWritten + " body bytes written)";
        }
    }

    /** How many {@code 100 Continue} heads came. */
    public long continues() {
        return interims.stream().filter(h -> h.status() == 100).count();
    }
}
