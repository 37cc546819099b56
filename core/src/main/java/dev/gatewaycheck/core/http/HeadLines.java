package dev.gatewaycheck.core.http;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Evidence;
import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.judge.Observation;
import dev.gatewaycheck.core.Target;
import java.util.List;

/**
 * The response head's header lines as the backend sent them (read raw by the body's second look), judged by the
 * rules gateways apply and httpcore5 does not: a header line a gateway rejects although httpcore5 parses it, and a
 * head that the backend's FIN ends before its blank line (httpcore5 takes the lines so far as the whole head).
 *
 * <p>Rejected lines ({@link Cause#INVALID_RESPONSE_HEADER}), as RFC 9112 requires of a gateway and nginx does
 * ({@code ngx_http_parse_header_line}: "upstream sent invalid header", 502): a control character or whitespace in
 * the field name or between it and the colon (RFC 9112 section 5.1: "No whitespace is allowed between the field
 * name and colon"), an obs-fold continuation line (section 5.2: a gateway answers 502 or unfolds; nginx 502), and a
 * bare CR (section 2.2: invalid), and a NUL byte anywhere in the line (nginx 502; issue 13, case 5). A status
 * line whose version is not {@code HTTP/DIGIT.DIGIT} ({@code HTTP/1 200 OK}, which httpcore5 takes for HTTP/1.0) is
 * {@link Cause#MALFORMED_STATUS_LINE} (RFC 9112 section 2.3; nginx relays such a response as HTTP/0.9).
 *
 * <pre>{@code
 * HeadLines.problem(List.of("X Spaced: v"));   // "whitespace or a control character in the field name"
 * }</pre>
 */
final class HeadLines {

    private static final java.util.regex.Pattern VALID_STATUS_LINE =
            java.util.regex.Pattern.compile("HTTP/[0-9]\\.[0-9] [0-9]{3}( .*)?", java.util.regex.Pattern.DOTALL);

    private HeadLines() {
    }

    /**
     * Reports the first rejected header line, and a head the backend's FIN cut short.
     *
     * @param status     the status of the head (0: no status line was read, nothing is judged)
     * @param statusLine the status line as read, without its line end
     * @param lines      the header lines as read, without their line ends
     * @param cutByFin whether the backend closed the connection (FIN) before the head's blank line
     */
    static void judge(RunContext ctx, Target target, int status, String statusLine, List<String> lines,
                      boolean cutByFin) {
        if (status <= 0) {
            return;
        }
        if (!VALID_STATUS_LINE.matcher(statusLine).matches()) {
            ctx.observe(Observation.of(Cause.MALFORMED_STATUS_LINE, target.label(), "The status line " + RawPeek.escape(statusLine)
                    + " is not HTTP/DIGIT.DIGIT followed by a three-digit status (RFC 9112 section 4)",
                    Evidence.builder().put("request", "GET " + target.path()).put("host", target.host())
                            .put("firstLine", RawPeek.escape(statusLine)).build()));
        }
        for (String line : lines) {
            String problem = problem(line);
            if (problem != null) {
                ctx.observe(Observation.of(Cause.INVALID_RESPONSE_HEADER, target.label(), "The response header line "
                        + RawPeek.escape(line) + " is invalid: " + problem, Evidence.builder()
                        .put("request", "GET " + target.path()).put("host", target.host()).put("status", status)
                        .put("offendingHeader", RawPeek.escape(line)).put("problem", problem).build()));
                break;
            }
        }
        if (cutByFin) {
            String last = lines.isEmpty() ? "(the status line)" : RawPeek.escape(lines.get(lines.size() - 1));
            ctx.observe(Observation.of(Cause.BACKEND_CLOSED_MID_RESPONSE, target.label(), "The backend closed the connection (FIN) "
                    + "inside the response head, after " + lines.size() + " header line(s) and before the blank "
                    + "line that ends the head; the gateway has no complete head to pass on", Evidence.builder()
                    .put("request", "GET " + target.path()).put("host", target.host()).put("status", status)
                    .put("end", "FIN").put("headerLinesReceived", lines.size()).put("lastLine", last).build()));
        }
    }

    /** What is wrong with one header line (without its line end) for a gateway, or null. */
    static String problem(String line) {
        if (line.isEmpty()) {
            return null;
        }
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            return "an obs-fold continuation line (RFC 9112 section 5.2)";
        }
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                return "whitespace or a control character in the field name (RFC 9112 section 5.1)";
            }
        }
        if (line.indexOf('\0') >= 0) {
            // nginx: "upstream sent invalid header" (issue 13, case 5); httpcore5 reads NUL as a space
            return "a NUL byte";
        }
        int cr = line.indexOf('\r');
        if (cr >= 0) {
            return "a bare CR (RFC 9112 section 2.2)";
        }
        return null;
    }
}
