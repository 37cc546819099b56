package dev.gatewaycheck;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A request body to send as the gateway forwards a client's upload: {@code POST} (or another method) with
 * {@code Content-Length} and {@code Expect: 100-continue}. Opt-in through {@link GatewayCheck#withRequestBody}: only
 * a request with a body shows a backend's interim and early responses and whether it reads the request at all.
 * Immutable; the bytes are copied.
 *
 * <pre>{@code
 * GatewayCheck.forBackend("http://10.0.0.4:8080").withPath("/upload")
 *         .withRequestBody(RequestBody.ofSize(4 * 1024 * 1024))   // 4 MiB of 'x', application/octet-stream
 *         .probe().run();
 * }</pre>
 *
 * @since 0.1
 */
public final class RequestBody {
    /** The largest body accepted: 64 MiB. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    private final String method;
    private final String contentType;
    private final byte[] bytes;

    private RequestBody(String method, String contentType, byte[] bytes) {
        this.method = method;
        this.contentType = contentType;
        this.bytes = bytes;
    }

    /**
     * {@code POST} with these bytes and this content type.
     *
     * @throws IllegalArgumentException when {@code bytes} is empty or larger than {@link #MAX_BYTES}, or
     *                                  {@code contentType} is blank
     */
    public static RequestBody of(byte[] bytes, String contentType) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("bytes must hold 1 to " + MAX_BYTES + " bytes, got " + bytes.length);
        }
        if (contentType.isBlank() || contentType.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("contentType must be a media type such as application/json, got '"
                    + contentType + "'");
        }
        return new RequestBody("POST", contentType.strip(), bytes.clone());
    }

    /**
     * {@code POST} with {@code size} bytes of {@code x}, {@code application/octet-stream}. Several MiB fill the socket
     * buffers of a backend that does not read, which is how {@code REQUEST_NOT_READ_BY_BACKEND} is seen.
     *
     * @throws IllegalArgumentException when {@code size} is not 1 to {@link #MAX_BYTES}
     */
    public static RequestBody ofSize(int size) {
        if (size < 1 || size > MAX_BYTES) {
            throw new IllegalArgumentException("size must be 1 to " + MAX_BYTES + " bytes, got " + size);
        }
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'x');
        return new RequestBody("POST", "application/octet-stream", b);
    }

    /**
     * The same body sent with another method, e.g. {@code PUT}.
     *
     * @throws IllegalArgumentException when {@code method} is not an HTTP token
     */
    public RequestBody withMethod(String method) {
        Objects.requireNonNull(method, "method");
        if (!method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("method must be an HTTP method token such as PUT, got '" + method + "'");
        }
        return new RequestBody(method.toUpperCase(Locale.ROOT), contentType, bytes);
    }

    /** The method, {@code POST} by default. */
    public String method() {
        return method;
    }

    /** The Content-Type sent. */
    public String contentType() {
        return contentType;
    }

    /** How many bytes. */
    public int size() {
        return bytes.length;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes from {@code offset}, at most {@code length}, into {@code dst}; returns how many. For engines. */
    public int copy(int offset, byte[] dst, int length) {
        int n = Math.max(0, Math.min(length, bytes.length - offset));
        System.arraycopy(bytes, offset, dst, 0, n);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestBody r && r.method.equals(method) && r.contentType.equals(contentType)
                && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, contentType, Arrays.hashCode(bytes));
    }

    /** {@code POST 1048576 bytes application/octet-stream}. */
    @Override
    public String toString() {
        return method + " " + bytes.length + " bytes " + contentType;
    }
}
