package dev.gatewaycheck.core.http;

import dev.gatewaycheck.core.RunContext;
import dev.gatewaycheck.core.Target;
import dev.gatewaycheck.core.judge.H2Seen;
import dev.gatewaycheck.core.judge.H2Seen.End;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http2.H2Error;
import org.apache.hc.core5.http2.hpack.HPackDecoder;
import org.apache.hc.core5.http2.hpack.HPackEncoder;
import org.apache.hc.core5.util.ByteArrayBuffer;

/**
 * One TLS connection offering ALPN {@code h2, http/1.1} as a gateway that speaks HTTP/2 to backends does, and, when
 * the backend selects {@code h2}, one HTTP/2 GET of the target's path written frame by frame (header blocks through
 * httpcore5-h2's HPACK coder) so that every frame the backend answers is seen: SETTINGS, the response HEADERS, GOAWAY
 * and RST_STREAM with their error codes, bytes that are not HTTP/2 at all, or silence after the connection preface.
 * An observation; {@code judge.H2Rules} decides.
 *
 * <pre>{@code
 * H2Seen o = H2Probe.get(ctx, target, Duration.ofSeconds(5));
 * o.alpn();   // "h2", "http/1.1" or "" (none selected)
 * }</pre>
 */
public final class H2Probe {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY = 0x20;
    /** The largest frame accepted (SETTINGS_MAX_FRAME_SIZE default). */
    static final int MAX_FRAME = 16_384;
    private static final int MAX_FRAMES = 200;
    /** A frame header's length: 24-bit length, type, flags, 31-bit stream id (RFC 9113 section 4.1). */
    static final int FRAME_HEADER = 9;
    /** The HPACK dynamic table size both sides start with (SETTINGS_HEADER_TABLE_SIZE default). */
    private static final int HPACK_TABLE = 4096;
    /** The most bytes of a non-HTTP/2 answer the evidence shows. */
    private static final int SHOWN_BYTES = 64;
    /** The most characters of GOAWAY debug data the evidence shows. */
    private static final int DEBUG_CHARS = 200;
    /** The bytes of a stream id or an error code in a frame's payload. */
    private static final int WORD = 4;
    /** Where GOAWAY's debug data starts: after the last stream id and the error code. */
    private static final int GOAWAY_DEBUG_AT = 2 * WORD;
    /** The stream of the one request (the first client-initiated stream). */
    private static final int REQUEST_STREAM = 1;
    /** A final (non-1xx) {@code :status} starts here. */
    private static final int FIRST_FINAL_STATUS = 200;

    private H2Probe() {
    }

    /** Connects to {@code target} (TLS), offers {@code h2, http/1.1}, and GETs its path over HTTP/2 if selected. */
    public static H2Seen get(RunContext ctx, Target target, Duration readTimeout) {
        long start = System.nanoTime();
        Socket raw = ctx.register(new Socket());
        SSLSocket ssl = null;
        try {
            raw.setTcpNoDelay(true);
            raw.connect(target.address(), ctx.deadline().capMillis(ctx.profile().connectTimeout()));
            raw.setSoTimeout(ctx.deadline().capMillis(readTimeout));
            ssl = ctx.register((SSLSocket) HttpExchange.forGateway(ctx).getSocketFactory()
                    .createSocket(raw, target.host(), target.address().getPort(), true));
            SSLParameters params = ssl.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            String alpn = ssl.getApplicationProtocol() == null ? "" : ssl.getApplicationProtocol();
            String tls = ssl.getSession().getProtocol();
            if (!alpn.equals("h2")) {
                return new H2Seen(target, alpn, tls, false, 0, null, null, null, null, End.NOT_H2, List.of(),
                        Duration.ofNanos(System.nanoTime() - start), ctx.cutShort());
            }
            return exchange(ctx, ssl, target, alpn, tls, start);
        } catch (IOException | RuntimeException e) {
            return new H2Seen(target, "", null, false, 0, null, null, null, null, End.ERROR, List.of(),
                    Duration.ofNanos(System.nanoTime() - start), ctx.cutShort());
        } finally {
            close(ctx, ssl);
            close(ctx, raw);
        }
    }

    private static H2Seen exchange(RunContext ctx, SSLSocket s, Target target, String alpn, String tls, long start) {
        java.util.ArrayList<String> seen = new java.util.ArrayList<>();
        boolean settings = false;
        int status = 0;
        String goAway = null;
        String debug = null;
        String rst = null;
        String protocolError = null;
        End end;
        try {
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.write(PREFACE);
            first.write(frame(SETTINGS, 0, 0, new byte[0]));
            HPackEncoder encoder = new HPackEncoder(HPACK_TABLE, StandardCharsets.US_ASCII);
            ByteArrayBuffer block = new ByteArrayBuffer(HPACK_TABLE);
            encoder.encodeHeaders(block, List.<Header>of(new BasicHeader(":method", "GET"),
                    new BasicHeader(":scheme", "https"), new BasicHeader(":authority", authority(target)),
                    new BasicHeader(":path", target.path()), new BasicHeader("user-agent", "gateway-check/0.1"),
                    new BasicHeader("accept", "*/*")), false);
            first.write(frame(HEADERS, END_STREAM | END_HEADERS, REQUEST_STREAM, block.toByteArray()));
            out.write(first.toByteArray());
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            HPackDecoder decoder = new HPackDecoder(HPACK_TABLE, StandardCharsets.US_ASCII);
            ByteArrayOutputStream headerBlock = null;
            end = End.TIMEOUT;
            for (int i = 0; i < MAX_FRAMES; i++) {
                byte[] head = new byte[FRAME_HEADER];
                int got = readFully(in, head);
                if (got < FRAME_HEADER) {
                    if (got > 0 && seen.isEmpty()) {
                        protocolError = "the backend answered with bytes that are not an HTTP/2 frame: "
                                + RawPeek.escape(new String(head, 0, got, StandardCharsets.ISO_8859_1));
                        end = End.PROTOCOL_ERROR;
                    } else {
                        end = End.FIN;
                    }
                    break;
                }
                int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
                int type = head[3] & 0xff;
                int flags = head[4] & 0xff;
                int stream = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
                if (seen.isEmpty() && type != SETTINGS) {
                    // show what came instead (what is already decrypted, at most SHOWN_BYTES)
                    byte[] more = new byte[Math.max(0, Math.min(SHOWN_BYTES - FRAME_HEADER, in.available()))];
                    int m = more.length == 0 ? 0 : in.read(more);
                    String text = new String(head, StandardCharsets.ISO_8859_1)
                            + new String(more, 0, Math.max(m, 0), StandardCharsets.ISO_8859_1);
                    protocolError = "the backend's first frame is not SETTINGS but "
                            + (length > MAX_FRAME ? "bytes that are no HTTP/2 frame: " + RawPeek.escape(text)
                            : typeName(type));
                    end = End.PROTOCOL_ERROR;
                    break;
                }
                if (length > MAX_FRAME) {
                    protocolError = "a " + typeName(type) + " frame of " + length + " bytes, above the "
                            + MAX_FRAME + " the gateway announced";
                    end = End.PROTOCOL_ERROR;
                    break;
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                seen.add(typeName(type));
                if (type == SETTINGS && (flags & ACK) == 0) {
                    settings = true;
                    out.write(frame(SETTINGS, ACK, 0, new byte[0]));
                    out.flush();
                } else if (type == PING && (flags & ACK) == 0) {
                    out.write(frame(PING, ACK, 0, payload));
                    out.flush();
                } else if (type == GOAWAY && payload.length >= GOAWAY_DEBUG_AT) {
                    int code = ByteBuffer.wrap(payload, WORD, WORD).getInt();
                    H2Error e = H2Error.getByCode(code);
                    goAway = e == null ? "code " + code : e.name();
                    debug = payload.length > GOAWAY_DEBUG_AT ? RawPeek.escape(new String(payload, GOAWAY_DEBUG_AT,
                            Math.min(DEBUG_CHARS, payload.length - GOAWAY_DEBUG_AT), StandardCharsets.ISO_8859_1))
                            : null;
                    if (status == 0 || !"NO_ERROR".equals(goAway)) {
                        end = End.GOAWAY;
                        break;
                    }
                } else if (type == RST_STREAM && stream == REQUEST_STREAM && payload.length >= WORD) {
                    int code = ByteBuffer.wrap(payload, 0, WORD).getInt();
                    H2Error e = H2Error.getByCode(code);
                    rst = e == null ? "code " + code : e.name();
                    end = End.RST_STREAM;
                    break;
                } else if ((type == HEADERS || type == CONTINUATION) && stream == REQUEST_STREAM) {
                    if (headerBlock == null) {
                        headerBlock = new ByteArrayOutputStream();
                    }
                    headerBlock.write(type == HEADERS ? fragment(payload, flags) : payload);
                    if ((flags & END_HEADERS) != 0) {
                        for (Header h : decoder.decodeHeaders(ByteBuffer.wrap(headerBlock.toByteArray()))) {
                            if (h.getName().equals(":status")) {
                                status = Integer.parseInt(h.getValue());
                            }
                        }
                        headerBlock = null;
                        if (status == 0) {
                            protocolError = "the response HEADERS carry no :status";
                            end = End.PROTOCOL_ERROR;
                            break;
                        }
                        if (status >= FIRST_FINAL_STATUS) {
                            end = End.RESPONSE;
                            break;
                        }
                    }
                } else if (type == DATA && stream == REQUEST_STREAM && status >= FIRST_FINAL_STATUS) {
                    end = End.RESPONSE;
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            end = End.TIMEOUT;
        } catch (org.apache.hc.core5.http2.hpack.HPackException | NumberFormatException e) {
            protocolError = "the response HEADERS do not decode: " + e.getMessage();
            end = End.PROTOCOL_ERROR;
        } catch (IOException e) {
            end = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("reset") ? End.RST : End.FIN;
        }
        return new H2Seen(target, alpn, tls, settings, status, goAway, debug, rst, protocolError, end, seen,
                Duration.ofNanos(System.nanoTime() - start), ctx.cutShort());
    }

    /** The header block fragment of a HEADERS payload, without padding and priority. */
    static byte[] fragment(byte[] payload, int flags) throws IOException {
        int from = 0;
        int pad = 0;
        if ((flags & PADDED) != 0) {
            if (payload.length < 1) {
                throw new IOException("PADDED HEADERS frame without a pad length");
            }
            pad = payload[0] & 0xff;
            from = 1;
        }
        if ((flags & PRIORITY) != 0) {
            from += 5;
        }
        int to = payload.length - pad;
        if (to < from) {
            throw new EOFException("HEADERS padding longer than the frame");
        }
        return java.util.Arrays.copyOfRange(payload, from, to);
    }

    /** One frame: 9-byte header and the payload. */
    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER + payload.length);
        b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        b.put((byte) type).put((byte) flags).putInt(stream & 0x7fffffff).put(payload);
        return b.array();
    }

    static String typeName(int type) {
        String[] names = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY",
            "WINDOW_UPDATE", "CONTINUATION"};
        return type < names.length ? names[type] : "type " + type;
    }

    private static String authority(Target target) {
        String h = target.host();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + target.address().getPort();
    }

    /** Reads up to {@code b.length} bytes; fewer only at EOF. */
    private static int readFully(InputStream in, byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                return n;
            }
            n += r;
        }
        return n;
    }

    private static void close(RunContext ctx, Socket s) {
        if (s == null) {
            return;
        }
        ctx.unregister(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
