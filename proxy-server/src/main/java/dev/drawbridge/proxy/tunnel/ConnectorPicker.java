package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.GroupMaintenance;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place that decides which connector carries a stream ({@code proxyToConnector}) and when
 * another may try: the least-loaded live tunnel of the app's connector group, skipping tunnels this
 * request already tried. A tunnel that fails to open the stream at once is skipped for the next
 * one; a stream the connector refused unstarted ({@link ResetCode#REFUSED_STREAM}, it is draining)
 * may go to another tunnel. At most {@value #MAX_ATTEMPTS} tunnels per request. Used by dispatch,
 * the admin app test ({@code AppTester}) and TCP streams ({@link TunnelSockets}). No new stream goes to a group in
 * maintenance mode ({@link GroupMaintenances}); streams already open are left to finish.
 */
public final class ConnectorPicker {
    public static final int MAX_ATTEMPTS = 3;

    private final ConnectorRegistry registry;
    private final Function<String, String> groupNames;
    private final GroupMaintenances maintenances;

    /** @param groupNames a group's name by id, for messages */
    public ConnectorPicker(ConnectorRegistry registry, Function<String, String> groupNames) {
        this(registry, groupNames, GroupMaintenances.none());
    }

    /**
     * @param groupNames   a group's name by id, for messages
     * @param maintenances the groups in maintenance mode, to which no new stream goes
     */
    public ConnectorPicker(ConnectorRegistry registry, Function<String, String> groupNames, GroupMaintenances maintenances) {
        this.registry = registry;
        this.groupNames = groupNames;
        this.maintenances = maintenances;
    }

    /**
     * The tunnels one request has tried so far, and the identity of its user, signed for whichever stream it is opened
     * on (absent for passthrough apps and the server's own streams); one per request, not shared between threads at once.
     */
    public static final class Attempt {
        private final List<TunnelConnection> tried = new ArrayList<>();
        private final StreamIdentity identity;

        /** A request without a user. */
        public Attempt() {
            this(null);
        }

        /** A request of a signed-in user: {@code identity} signs who they are for the stream it is sent on. */
        public Attempt(StreamIdentity identity) {
            this.identity = identity;
        }

        /** How many tunnels were tried. */
        public int count() {
            return tried.size();
        }
    }

    /** A stream opened on a tunnel. */
    public record Opened(TunnelConnection tunnel, TunnelStream stream) {
    }

    /** Whether a connector of the group has a usable tunnel to this server right now and the group is not in maintenance. */
    public boolean available(String groupId) {
        return maintenances.of(groupId).isEmpty() && registry.pick(groupId, List.of()).isPresent();
    }

    /** The group's name, for messages. */
    public String groupName(String groupId) {
        return groupNames.apply(groupId);
    }

    /**
     * Opens a stream for {@code head} on the least-loaded live tunnel of the group that {@code attempt} has not tried,
     * moving on to another tunnel when one fails to open it.
     *
     * @throws ConnectorOfflineException when no untried tunnel is left or {@value #MAX_ATTEMPTS} were tried, or the group is
     *                                    in maintenance mode (then no tunnel is tried)
     */
    public Opened open(String groupId, RequestHead head, Attempt attempt) throws ConnectorOfflineException {
        Optional<GroupMaintenance> maintenance = maintenances.of(groupId);
        if (maintenance.isPresent()) {
            throw ConnectorOfflineException.inMaintenance(groupName(groupId), maintenance.get());
        }
        // A request with single sign-on goes only to connectors that read identities (carries).
        List<TunnelConnection> skip = new ArrayList<>(attempt.tried);
        boolean skippedOld = false;
        while (attempt.tried.size() < MAX_ATTEMPTS) {
            Optional<TunnelConnection> tunnel = registry.pick(groupId, skip);
            if (tunnel.isEmpty()) {
                break;
            }
            skip.add(tunnel.get());
            if (!carries(tunnel.get(), head.sso().isPresent())) {
                skippedOld = true;
                continue;
            }
            attempt.tried.add(tunnel.get());
            try {
                return new Opened(tunnel.get(), tunnel.get().open(head, attempt.identity));
            } catch (IOException e) {
                // This tunnel is going away; the next one may do.
            }
        }
        throw new ConnectorOfflineException(groupName(groupId), skippedOld && attempt.tried.isEmpty());
    }

    /** What a request of a group would find now ({@link #reach}). */
    public enum Reach {
        /** A connected tunnel can carry it. */
        READY,
        /** The group is in maintenance mode: no new request goes to its connectors. */
        IN_MAINTENANCE,
        /** No connector of the group is connected to this server. */
        NONE_CONNECTED,
        /** Connectors of the group are connected, but none reads identities: a request with single sign-on cannot go. */
        TOO_OLD_FOR_SSO
    }

    /**
     * Whether {@link #open} would find a tunnel of the group for a request ({@code sso}: one carrying single sign-on)
     * right now, among the same tunnels it picks from, opening nothing.
     */
    public Reach reach(String groupId, boolean sso) {
        if (maintenances.of(groupId).isPresent()) {
            return Reach.IN_MAINTENANCE;
        }
        List<TunnelConnection> seen = new ArrayList<>();
        Optional<TunnelConnection> tunnel;
        while ((tunnel = registry.pick(groupId, seen)).isPresent()) {
            if (carries(tunnel.get(), sso)) {
                return Reach.READY;
            }
            seen.add(tunnel.get());
        }
        return seen.isEmpty() ? Reach.NONE_CONNECTED : Reach.TOO_OLD_FOR_SSO;
    }

    /**
     * Whether {@code tunnel} may carry a request: one with single sign-on goes only to connectors that read identities
     * (an older one would close its tunnel on the OPEN's new fields, and could not sign the user in anyway).
     */
    private static boolean carries(TunnelConnection tunnel, boolean sso) {
        return !sso || tunnel.readsIdentities();
    }

    /**
     * Whether a request whose stream failed with {@code failure} before any response may be sent again on another
     * tunnel: only when the connector refused the stream without starting it (it is draining), so the request cannot
     * have reached the internal app, and tunnels are left to try.
     */
    public static boolean mayRetry(Throwable failure, Attempt attempt) {
        return failure instanceof StreamResetException e && e.code() == ResetCode.REFUSED_STREAM && attempt.count() < MAX_ATTEMPTS;
    }
}
