package dev.gatewaycheck.core.pool;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many file descriptors this process may open and has open, as the JVM reports them on Unix; unknown elsewhere.
 *
 * <pre>{@code
 * FileDescriptors fds = FileDescriptors.current();   // e.g. limit 1024, open 37
 * }</pre>
 *
 * @param limit the process's limit (RLIMIT_NOFILE), or -1 when unknown
 * @param open  the descriptors open now, or -1 when unknown
 */
record FileDescriptors(long limit, long open) {

    /** Unknown (not a Unix JVM). */
    static final FileDescriptors UNKNOWN = new FileDescriptors(-1, -1);

    /** Whether both figures are known. */
    boolean known() {
        return limit > 0 && open >= 0;
    }

    /** The figures of this process now. */
    static FileDescriptors current() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return new FileDescriptors(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
        }
        return UNKNOWN;
    }
}
