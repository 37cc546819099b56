package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.ExchangeRules;
import dev.gatewaycheck.core.judge.HeadSeen;
import dev.gatewaycheck.core.judge.HeadSeen.LineFault;
import java.util.List;

/**
 * The response head's header lines as the backend sent them (read raw by the body's second look), read for what
 * gateways reject and httpcore5 does not, as RFC 9112 requires of a gateway and nginx does
 * ({@code ngx_http_parse_header_line}: "upstream sent invalid header", 502): a control character or whitespace in
 * the field name or between it and the colon (RFC 9112 section 5.1: "No whitespace is allowed between the field
 * name and colon"), an obs-fold continuation line (section 5.2: a gateway answers 502 or unfolds; nginx 502), a
 * bare CR (section 2.2: invalid), and a NUL byte anywhere in the line (nginx 502; issue 13, case 5).
 * {@link ExchangeRules#head} judges them, with the status line and a head the backend's FIN cut short.
 *
 * <pre>{@code
 * HeadLines.problem("X Spaced: v");   // "whitespace or a control character in the field name ..."
 * }</pre>
 */
final class HeadLines {

    /** The highest control character; field names also exclude DEL. */
    private static final char LAST_CONTROL_OR_SPACE = 0x20;
    /** DEL. */
    private static final char DEL = 0x7f;

    private HeadLines() {
    }

    /**
     * Records what the head's lines show.
     *
     * @param status     the status of the head (0: no status line was read, nothing is judged)
     * @param statusLine the status line as read, without its line end
     * @param lines      the header lines as read, without their line ends
     * @param cutByFin whether the backend closed the connection (FIN) before the head's blank line
     */
    static void judge(RunContext ctx, Target target, int status, String statusLine, List<String> lines,
                      boolean cutByFin) {
        String faulty = lines.stream().filter(l -> fault(l) != null).findFirst().orElse(null);
        ctx.observe(ExchangeRules.head(new HeadSeen(target, status, statusLine, lines, faulty,
                faulty == null ? null : fault(faulty), cutByFin)));
    }

    /** What is wrong with one header line (without its line end) for a gateway, or null. */
    static String problem(String line) {
        LineFault f = fault(line);
        return f == null ? null : f.rule();
    }

    /** What is wrong with one header line (without its line end) for a gateway, or null. */
    static LineFault fault(String line) {
        if (line.isEmpty()) {
            return null;
        }
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            return LineFault.OBS_FOLD;
        }
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= LAST_CONTROL_OR_SPACE || c == DEL) {
                return LineFault.NAME_WHITESPACE;
            }
        }
        if (line.indexOf('\0') >= 0) {
            // nginx: "upstream sent invalid header" (issue 13, case 5); httpcore5 reads NUL as a space
            return LineFault.NUL;
        }
        return line.indexOf('\r') >= 0 ? LineFault.BARE_CR : null;
    }
}
