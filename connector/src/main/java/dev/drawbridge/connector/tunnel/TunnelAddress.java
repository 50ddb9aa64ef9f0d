package dev.drawbridge.connector.tunnel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the tunnels dial. Starts at the stored tunnel URL; when a tunnel cannot connect, the server is asked again
 * where its tunnel listener is (at most once per {@code minInterval}, whichever tunnel asks first), and a changed
 * URL is used by every tunnel's next attempt and stored. So a connector follows a server whose tunnel port moved,
 * without a restart or a new registration.
 */
public final class TunnelAddress {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelAddress.class);

    /** Asks the server for its current tunnel URL. */
    @FunctionalInterface
    public interface Lookup {
        String tunnelUrl() throws Exception;
    }

    /** Stores a changed tunnel URL so that the next start dials it at once. */
    @FunctionalInterface
    public interface Store {
        void save(String tunnelUrl) throws IOException;
    }

    private final Lookup lookup;
    private final Store store;
    private final Clock clock;
    private final Duration minInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile URI current;
    private Instant lastAsked;

    public TunnelAddress(URI stored, Lookup lookup, Store store, Clock clock, Duration minInterval) {
        this.current = stored;
        this.lookup = lookup;
        this.store = store;
        this.clock = clock;
        this.minInterval = minInterval;
        this.lastAsked = clock.instant().minus(minInterval);
    }

    public URI current() {
        return current;
    }

    /**
     * Asks the server now; returns the URL to dial. Throws what the lookup threw (the caller decides whether
     * dialling the stored URL is still worth it).
     */
    public URI refresh() throws Exception {
        lock.lock();
        try {
            lastAsked = clock.instant();
            follow(URI.create(lookup.tunnelUrl()));
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A tunnel could not connect to {@code tried}: unless another tunnel already moved on or the server was asked
     * less than {@code minInterval} ago, ask it where the tunnel is now. Never throws: a failed lookup leaves the
     * URL as it is (the server may just be restarting).
     */
    public void unreachable(URI tried) {
        if (!lock.tryLock()) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (!tried.equals(current) || now.isBefore(lastAsked.plus(minInterval))) {
                return;
            }
            lastAsked = now;
            follow(URI.create(lookup.tunnelUrl()));
        } catch (Exception e) {
            LOG.debug("cannot ask the server for its tunnel URL: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void follow(URI latest) {
        if (latest.equals(current)) {
            return;
        }
        LOG.info("the server's tunnel endpoint moved from {} to {}: dialling the new one", current, latest);
        // Stored first: whoever sees the new URL in use (a tunnel, a restart right after) also finds it stored. Since the
        // node list dials a moved node as soon as the lookup answers, the URL was in use before it was stored.
        // The lookup may have retired the asking tunnel itself (the node list no longer names the old URL), which interrupts
        // its thread: a file written on an interrupted thread fails (ClosedByInterruptException), so the URL would never be
        // stored. The interrupt is set aside for the write and kept for the tunnel's loop.
        boolean interrupted = Thread.interrupted();
        try {
            store.save(latest.toString());
        } catch (IOException e) {
            LOG.warn("cannot store the new tunnel URL ({}); this run uses it, the next start asks the server again", e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        current = latest;
    }
}
