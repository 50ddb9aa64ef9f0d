package dev.drawbridge.proxy.config;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.OptionalLong;

/**
 * How many connections each listener holds open at once (docs/operations.md, "Connection limits"). At the limit a listener
 * stops accepting: further connections wait in the kernel's backlog, not refused, and are accepted as open ones close.
 * The limits bound the file descriptors, TLS handshakes and memory that clients of a port can hold; the thread pool does
 * not (it is uncapped on purpose: see {@code ProxyServer} and {@code ConcurrencyTest}).
 *
 * @param publicMax the public listener's limit ({@code --max-connections})
 * @param tunnelMax the tunnel listener's limit ({@code --max-tunnel-connections})
 */
public record ConnectionLimits(int publicMax, int tunnelMax) {
    /**
     * The default of {@code --max-tunnel-connections}: connectors open 4 tunnels each by default ({@code --tunnels}), and
     * a reconnecting one briefly holds old and new, so 4096 serves 500 connectors or more; a larger fleet raises it.
     */
    public static final int DEFAULT_TUNNEL_MAX = 4096;
    /**
     * File descriptors left for everything but the two listeners' connections: the database pool, the management listener,
     * outbound calls (identity providers, LDAP, the embedded database's files), jars and logs.
     */
    public static final int RESERVE = 1024;
    /** The least default public limit, however low the open-files limit: the server stays usable on a small machine. */
    public static final int FLOOR = 1024;
    /**
     * The default public limit when the open-files limit cannot be read (not a Unix JVM): above the 10,000 idle WebSockets
     * the deployed benchmark holds (docs/performance.md).
     */
    public static final int FALLBACK = 16_384;
    /**
     * The management listener's limit: it answers a scraper, health probes and the local backup command, on loopback. Not
     * a few dozen: any local user can open connections there, and a port held full would fail the readiness checks a
     * balancer makes (review rev5); 1024 costs nothing and keeps that from being cheap.
     */
    public static final int MANAGEMENT_MAX = 1024;
    /**
     * Heap counted per public connection for the default limit: an idle TLS connection holds about 17 KiB of live heap
     * (the deployed benchmark's 10,000 WebSockets, docs/performance.md), so 64 KiB leaves room for one that is busy.
     */
    public static final long HEAP_PER_CONNECTION = 64 * 1024;

    /** The defaults for this process: the public limit derived from its open-files limit ({@link #defaultPublicMax}). */
    public static ConnectionLimits defaults() {
        return defaults(DEFAULT_TUNNEL_MAX);
    }

    /**
     * With this tunnel limit and the public limit that follows from it, the process's open-files limit and its heap
     * ({@link #heapBound}): descriptors alone would allow a million connections under a container's common hard limit,
     * more than the heap holds.
     */
    public static ConnectionLimits defaults(int tunnelMax) {
        return new ConnectionLimits(Math.min(defaultPublicMax(openFilesLimit(), tunnelMax), heapBound(Runtime.getRuntime().maxMemory())),
                tunnelMax);
    }

    /** The most public connections a heap of {@code maxHeapBytes} holds at {@link #HEAP_PER_CONNECTION} each; at least {@link #FLOOR}. */
    public static int heapBound(long maxHeapBytes) {
        return (int) Math.clamp(maxHeapBytes / HEAP_PER_CONNECTION, FLOOR, Integer.MAX_VALUE);
    }

    /**
     * The default of {@code --max-connections}: the process's open-files limit less the tunnel listener's limit and a
     * {@link #RESERVE}, so that a public port held full still leaves descriptors for the tunnels, the database and files;
     * at least {@link #FLOOR}; {@link #FALLBACK} when the limit is unknown. The package's unit sets {@code LimitNOFILE=65536}:
     * 60,416.
     *
     * @param openFiles the process's open-files limit, when known
     * @param tunnelMax the tunnel listener's limit
     */
    public static int defaultPublicMax(OptionalLong openFiles, int tunnelMax) {
        if (openFiles.isEmpty() || openFiles.getAsLong() <= 0) {
            return FALLBACK;
        }
        long left = openFiles.getAsLong() - Math.max(0, tunnelMax) - RESERVE;
        return (int) Math.clamp(left, FLOOR, Integer.MAX_VALUE);
    }

    /** The JVM's open-files limit (the soft limit, which the JVM raises to the hard one at start on Linux), when it can tell. */
    static OptionalLong openFilesLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? OptionalLong.of(unix.getMaxFileDescriptorCount()) : OptionalLong.empty();
    }

    void problems(List<String> p) {
        if (publicMax < 1) {
            p.add("connectionLimits.publicMax: " + publicMax + " must be at least 1 (--max-connections)");
        }
        if (tunnelMax < 1) {
            p.add("connectionLimits.tunnelMax: " + tunnelMax + " must be at least 1 (--max-tunnel-connections)");
        }
    }
}
