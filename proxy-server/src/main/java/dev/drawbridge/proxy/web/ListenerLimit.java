package dev.drawbridge.proxy.web;

import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The limit on the connections one listener holds open (docs/operations.md, "Connection limits"): Jetty's
 * {@link NetworkConnectionLimit}, which at the limit stops accepting, so that further connections wait in the kernel's
 * backlog rather than being refused, and accepts again as open ones close. It leaves the idle timeouts alone: shortening
 * them at the limit walks every open connection at each crossing, which a client at the limit can make as frequent as it
 * likes. Jetty reports reaching the limit at INFO, below the level its loggers run at; this says so at WARN, at most once
 * a minute per listener, since a client holding it full could otherwise fill the log.
 */
public final class ListenerLimit extends NetworkConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerLimit.class);
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final String listener;
    private final String setting;
    private final Clock clock;
    private Instant lastWarned;
    private long reachedSinceWarned;

    private ListenerLimit(int max, ServerConnector connector, String listener, String setting, Clock clock) {
        super(max, connector);
        this.listener = listener;
        this.setting = setting;
        this.clock = clock;
    }

    /**
     * Limits {@code connector}, a connector of {@code server}, to {@code max} open connections, from when the server starts.
     *
     * @param listener the listener's name in the warning ("public")
     * @param setting  what sets the limit, named in the warning ("--max-connections")
     */
    public static ListenerLimit apply(Server server, ServerConnector connector, int max, String listener, String setting, Clock clock) {
        ListenerLimit limit = new ListenerLimit(max, connector, listener, setting, clock);
        server.addBean(limit);
        return limit;
    }

    @Override
    protected void limit() {
        super.limit();
        reachedSinceWarned++;
        Instant now = clock.instant();
        if (lastWarned == null || !now.isBefore(lastWarned.plus(WARN_EVERY))) {
            LOG.warn("the {} listener holds its limit of {} open connections ({}; reached {} time(s) since the last warning): new "
                    + "connections wait in the backlog until one closes", listener, getMaxNetworkConnectionCount(), setting,
                    reachedSinceWarned);
            lastWarned = now;
            reachedSinceWarned = 0;
        }
    }
}
