package dev.gatewaycheck.core.judge;

import dev.gatewaycheck.core.Target;
import java.util.List;

/**
 * A response head's lines exactly as the backend sent them (read raw by the body's second look, before httpcore5
 * unfolds, rejects or rewrites them), for {@link ExchangeRules#head}.
 *
 * @param target      the backend, the path and the Host sent
 * @param status      the status of the head (0: no status line was read)
 * @param statusLine  the status line as read, without its line end
 * @param lines       the header lines as read, without their line ends
 * @param faultyLine  the first header line a gateway rejects, or null
 * @param fault       what is wrong with it, or null
 * @param cutByFin    whether the backend closed the connection (FIN) before the head's blank line
 */
public record HeadSeen(Target target, int status, String statusLine, List<String> lines, String faultyLine,
                       LineFault fault, boolean cutByFin) {

    /** What makes a header line one a gateway rejects (RFC 9112; nginx {@code ngx_http_parse_header_line}). */
    public enum LineFault {
        /** An obs-fold continuation line. */
        OBS_FOLD("an obs-fold continuation line (RFC 9112 section 5.2)"),
        /** Whitespace or a control character in the field name or before the colon. */
        NAME_WHITESPACE("whitespace or a control character in the field name (RFC 9112 section 5.1)"),
        /** A NUL byte anywhere in the line (httpcore5 reads it as a space). */
        NUL("a NUL byte"),
        /** A CR not followed by LF. */
        BARE_CR("a bare CR (RFC 9112 section 2.2)");

        private final String rule;

        LineFault(String rule) {
            this.rule = rule;
        }

        /** The rule the line breaks, as a reader is told. */
        public String rule() {
            return rule;
        }
    }

    /** Copies the lines. */
    public HeadSeen {
        lines = List.copyOf(lines);
    }
}
