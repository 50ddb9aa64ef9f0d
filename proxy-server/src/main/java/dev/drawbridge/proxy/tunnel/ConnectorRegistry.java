package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The live tunnels of this node, by connector group. Dispatch asks it for the least-loaded
 * available tunnel of a group; a heartbeat loop pings every tunnel, closes silent ones,
 * records when each connector was last seen and {@linkplain #recheck() re-checks} every connector's
 * standing in the database (so that a revocation or a move made on any node holds here). {@link #removeLongInactive()}
 * removes connectors inactive 10 days: the server runs it hourly as a background job, on one node of a cluster at a time.
 */
public final class ConnectorRegistry implements AutoCloseable {
    private volatile String ssoKeys;
    private volatile GroupConfigs groupConfigs = GroupConfigs.NONE;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);
    public static final Duration INACTIVE_RETENTION = Duration.ofDays(10);

    private final Set<TunnelConnection> tunnels = ConcurrentHashMap.newKeySet();
    private final ConnectorStore store;
    private final Clock clock;
    private final Duration heartbeat;
    private final ScheduledExecutorService scheduler;
    private volatile EventSink events = event -> { };
    private volatile int lastStreamId = Multiplexer.LAST_STREAM_ID;

    /** Where connector events go (the connector event log). */
    @FunctionalInterface
    public interface EventSink {
        void event(ConnectorEventRecord event);
    }

    public void onEvent(EventSink sink) {
        this.events = sink;
    }

    /** Told of every stream done on a tunnel of this node (metrics); on the thread that ended it: record and return. */
    @FunctionalInterface
    public interface StreamObserver {
        void closed(TunnelConnection tunnel, TunnelStream stream);
    }

    private volatile StreamObserver streamObserver = (tunnel, stream) -> { };

    public void onStreamClosed(StreamObserver observer) {
        this.streamObserver = observer;
    }

    void streamClosed(TunnelConnection tunnel, TunnelStream stream) {
        streamObserver.closed(tunnel, stream);
    }

    private volatile ConnectorShares shares = new ConnectorShares(FlowControl.DEFAULT, new PinnedInput(PinnedInput.SERVER_DEFAULT));

    public ConnectorRegistry(ConnectorStore store, Clock clock, Duration heartbeat) {
        this.store = store;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("tunnel-heartbeat").factory());
        long hb = heartbeat.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                heartbeatAll();
            } catch (RuntimeException e) {
                // A periodic task that throws is never run again: log and carry on.
                LOG.warn("connector heartbeat failed: {}", e.toString());
            }
        }, hb, hb, TimeUnit.MILLISECONDS);
    }

    /**
     * Tunnels that connect from now on open stream ids up to {@code lastStreamId} only, instead of the protocol's
     * {@link Multiplexer#LAST_STREAM_ID}: lets tests run a tunnel through its whole id space in a few requests.
     */
    public void limitStreamIds(int lastStreamId) {
        if (lastStreamId < 1) {
            throw new IllegalArgumentException("lastStreamId must be positive: " + lastStreamId);
        }
        this.lastStreamId = lastStreamId;
    }

    int lastStreamId() {
        return lastStreamId;
    }

    /**
     * A new tunnel for an already authenticated connector, with the serial (hex) and expiry of the certificate it
     * authenticated with.
     */
    public TunnelConnection newTunnel(String connectorId, String groupId, String certSerial, Instant certNotAfter) {
        return newTunnel(connectorId, groupId, certSerial, certNotAfter, false);
    }

    /**
     * A tunnel of a connector that announced (or not) that it reads signed identities: if it did and single sign-on keys
     * are set ({@link #ssoKeys}), the tunnel gets them first (CONFIG) and the identities of its requests' users.
     */
    public TunnelConnection newTunnel(String connectorId, String groupId, String certSerial, Instant certNotAfter, boolean readsIdentities) {
        String keys = ssoKeys;
        return new TunnelConnection(connectorId, groupId, certSerial, certNotAfter, this,
                readsIdentities && keys != null ? Optional.of(keys) : Optional.empty());
    }

    /**
     * How far the receive windows of every tunnel's streams may grow, and the cap on input buffers their retained DATA
     * slices pin (from the server's configuration: one budget of each for all tunnels, of which each connector gets a
     * fair share, {@link ConnectorShares}); {@link FlowControl#DEFAULT} and {@link PinnedInput#SERVER_DEFAULT} until set.
     * Call before the first tunnel joins.
     */
    public void budgets(FlowControl flowControl, PinnedInput pinned) {
        this.shares = new ConnectorShares(flowControl, pinned);
    }

    /** The flow control of a tunnel of {@code connectorId}: its share of the window budget. */
    FlowControl flowControl(String connectorId) {
        return shares.of(connectorId).flowControl();
    }

    /** The cap on pinned input buffers of a link of {@code connectorId}: its share of the server's. */
    public PinnedInput pinnedInput(String connectorId) {
        return shares.of(connectorId).pinned();
    }

    /** The whole cap on pinned input buffers, all connectors' shares together (for tests and metrics). */
    public PinnedInput pinnedInput() {
        return shares.pinned();
    }

    /**
     * The public key set (JWKS JSON) that verifies users' identities, sent to connectors that read them: to the tunnels
     * here now, before this returns (so a rotation's new key reaches them before it signs), and to every tunnel that joins.
     */
    public void ssoKeys(String publicJwks) {
        // The field before the pass over the tunnels, and a joining tunnel is added before it reads the field (added): every
        // tunnel gets the new set, from here or from its joining.
        this.ssoKeys = publicJwks;
        for (TunnelConnection t : List.copyOf(tunnels)) {
            t.pushSsoKeys(publicJwks);
        }
    }

    /** The key set sent to connectors now (JWKS JSON), null before it was set. */
    String currentSsoKeys() {
        return ssoKeys;
    }

    /** Where each group's configuration for its connectors comes from (e.g. its Kerberos settings). */
    public void groupConfigs(GroupConfigs source) {
        this.groupConfigs = source;
    }

    /**
     * Sends every tunnel that reads configuration its group's configuration where it changed since it was last sent:
     * right after an administrator's change on this node, and periodically (changes made on another node, a connector
     * moved to another group).
     */
    public void refreshConfigs() {
        refreshConfigs(List.copyOf(tunnels));
    }

    /** {@link #refreshConfigs()} for those of these tunnels already judged: a joining one gets its own after its judgement. */
    private void refreshConfigs(List<TunnelConnection> live) {
        sendConfigs(live.stream().filter(TunnelConnection::isJudged).toList());
    }

    private void sendConfigs(List<TunnelConnection> live) {
        Map<String, List<GroupConfigs.GroupConfig>> byGroup = new HashMap<>();
        for (TunnelConnection t : live) {
            if (!t.readsIdentities() || !t.mux().isOpen()) {
                continue;
            }
            List<GroupConfigs.GroupConfig> current;
            try {
                current = byGroup.computeIfAbsent(t.groupId(), groupConfigs::of);
            } catch (RuntimeException e) {
                LOG.warn("cannot read the configuration of connector group {}: {}", t.groupId(), e.toString());
                continue;
            }
            t.configure(current);
        }
    }

    /**
     * How long a {@code drawbridge-tunnel/2} link may stay silent before it is closed: six heartbeats, a backstop to the
     * heartbeat's own three missed pongs (the WebSocket container's idle timeout plays this part for WebSocket links).
     */
    public Duration linkIdleTimeout() {
        return heartbeat.multipliedBy(6);
    }

    /**
     * A tunnel joins: it is in the pool from here on, but offered to requests only once its standing has been judged
     * again. The handshake checked the connector, but a revocation, removal or move made between that check and now
     * only reached the tunnels already here ({@link #disconnect}, {@link #recheck()}): judged after joining, the tunnel
     * sees every change made before the join, and every later one sees the tunnel. Its group's configuration (a Kerberos
     * keytab) is sent only then, and only its current group's. A tunnel whose standing cannot be read now is closed, not
     * kept: the handshake read the database a moment ago, and the connector dials again.
     */
    void added(TunnelConnection t) {
        tunnels.add(t);
        // A rotation's keys set while this tunnel was sending the ones it read (ssoKeys): sent now, before it is offered.
        t.pushSsoKeys(ssoKeys);
        List<TunnelConnection> joining = List.of(t);
        boolean read;
        try {
            cutExpired(joining);
            read = recheckStanding(joining);
            if (read) {
                // After the judgement: nothing to a tunnel it cut, and a moved connector gets its new group's only.
                sendConfigs(joining);
            }
        } catch (RuntimeException e) {
            // Never left open and never offered (a tunnel no request may use, counted nowhere): closed instead.
            LOG.warn("cannot judge a joining tunnel of connector {}: {}", t.connectorId(), e.toString());
            read = false;
        }
        if (!read && t.mux().isOpen()) {
            LOG.warn("closing a joining tunnel of connector {}: its standing cannot be checked now", t.connectorId());
            t.close(TunnelLink.CloseReason.GOING_AWAY, "cannot check the connector's standing now; connect again");
            return;
        }
        boolean first;
        synchronized (this) {
            if (!t.mux().isOpen()) {
                // Cut by the judgement (or closed meanwhile): never counted, never offered; its removal follows.
                return;
            }
            t.judged();
            first = tunnelCount(t.connectorId()) == 1;
            if (first) {
                shares.connected();
            }
        }
        if (first) {
            events.event(new ConnectorEventRecord(t.connectorId(), ConnectorEventType.CONNECTED, "first tunnel up (group " + t.groupId() + ")"));
        }
        // A replacement for a retiring tunnel of this connector may have just come up.
        closeDrainedRetiring();
        LOG.info("connector {} opened a tunnel ({}, group {}, {} tunnels live)", t.connectorId(), t.protocol(), t.groupId(), tunnels.size());
        try {
            store.touchAll(List.of(t.connectorId()), clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("cannot record connector {} as seen: {}", t.connectorId(), e.toString());
        }
    }

    void removed(TunnelConnection t) {
        boolean removed, last;
        synchronized (this) {
            removed = tunnels.remove(t);
            last = removed && t.isJudged() && tunnelCount(t.connectorId()) == 0;
            if (last) {
                shares.disconnected();
            }
        }
        if (removed) {
            LOG.info("connector {} closed a tunnel ({} tunnels live)", t.connectorId(), tunnels.size());
            if (last) {
                events.event(new ConnectorEventRecord(t.connectorId(), ConnectorEventType.DISCONNECTED, "last tunnel closed"));
            }
        }
    }

    /**
     * The available tunnel of the group with the fewest streams in flight, skipping {@code exclude}. Retiring tunnels
     * (stream ids running out) only when no other is available, e.g. before the connector's replacement is up.
     */
    public Optional<TunnelConnection> pick(String groupId, Collection<TunnelConnection> exclude) {
        return tunnels.stream()
                .filter(t -> t.groupId().equals(groupId) && t.isAvailable() && !exclude.contains(t))
                .min(Comparator.comparing(TunnelConnection::isRetiring).thenComparingInt(t -> t.mux().activeStreams()));
    }

    /**
     * Closes the retiring tunnels that are idle, once their connector has a replacement up (or after three
     * heartbeats, for a connector that does not open one when told to by GOAWAY: it reconnects after the close).
     */
    void closeDrainedRetiring() {
        long grace = heartbeat.multipliedBy(3).toNanos();
        for (TunnelConnection t : tunnels) {
            if (t.isRetiring() && (t.nanosRetiring() > grace || hasReplacement(t)) && t.closeIfDrained()) {
                LOG.info("closed a retired tunnel of connector {} after {} streams", t.connectorId(), t.streamsOpened());
            }
        }
    }

    private boolean hasReplacement(TunnelConnection retiring) {
        return tunnels.stream().anyMatch(t -> t != retiring && t.connectorId().equals(retiring.connectorId())
                && t.isAvailable() && !t.isRetiring());
    }

    /** The tunnels of a connector that joined and were judged in good standing (offered to requests unless retiring). */
    public int tunnelCount(String connectorId) {
        return (int) tunnels.stream().filter(t -> t.connectorId().equals(connectorId) && t.isJudged()).count();
    }

    public List<TunnelConnection> tunnels() {
        return List.copyOf(tunnels);
    }

    /** Cuts every tunnel of a connector (revocation, move to another group). */
    public void disconnect(String connectorId, String reason) {
        for (TunnelConnection t : tunnels) {
            if (t.connectorId().equals(connectorId)) {
                t.close(TunnelLink.CloseReason.POLICY, reason);
            }
        }
    }

    private void heartbeatAll() {
        long deadline = heartbeat.multipliedBy(3).toNanos();
        for (TunnelConnection t : tunnels) {
            if (t.mux().nanosSinceLastPong() > deadline) {
                LOG.warn("connector {} missed heartbeats; closing its tunnel", t.connectorId());
                events.event(new ConnectorEventRecord(t.connectorId(), ConnectorEventType.HEARTBEAT_MISSED,
                        "no answer to pings for " + heartbeat.multipliedBy(3).toSeconds() + " s; tunnel closed"));
                t.close(TunnelLink.CloseReason.GOING_AWAY, "heartbeat timeout");
                continue;
            }
            Thread.startVirtualThread(() -> {
                try {
                    t.mux().ping();
                } catch (IOException e) {
                    t.close(TunnelLink.CloseReason.GOING_AWAY, "ping failed");
                }
            });
        }
        try {
            store.touchAll(tunnels.stream().map(TunnelConnection::connectorId).distinct().toList(), clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("cannot record connector heartbeats: {}", e.toString());
        }
        recheck();
        closeDrainedRetiring();
    }

    /**
     * Re-reads the standing of every connector with a tunnel on this node, in one query, and applies it: the tunnels
     * of a connector that was revoked, removed, or whose certificate is no longer the registered one are cut; those
     * of a connector moved to another group serve that group from now on. Runs on every heartbeat and on the
     * server's periodic reload, so a change made through any node (or straight in the shared database) holds on this
     * one within a heartbeat. If the database cannot be read, the tunnels stay as they are and the next run retries.
     * Before all that, and whether the database answers or not, tunnels whose client certificate has expired since
     * the TLS handshake checked it are cut (event {@code CERTIFICATE_EXPIRED}).
     */
    public void recheck() {
        judge(List.copyOf(tunnels));
    }

    /** {@link #recheck()} for these tunnels only. */
    private void judge(List<TunnelConnection> live) {
        cutExpired(live);
        try {
            recheckStanding(live);
        } finally {
            // After moves: a moved connector gets its new group's configuration, never the old one's.
            refreshConfigs(live);
        }
    }

    /** Applies the standing of these tunnels' connectors; false when it could not be read (the tunnels are left as they are). */
    private boolean recheckStanding(List<TunnelConnection> all) {
        List<TunnelConnection> live = all.stream().filter(t -> t.mux().isOpen()).toList();
        if (live.isEmpty()) {
            return true;
        }
        Map<String, ConnectorStore.Standing> standings;
        try {
            standings = store.standings(live.stream().map(TunnelConnection::connectorId).collect(Collectors.toSet()), clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("cannot re-check connector standing, keeping {} tunnel(s) as they are: {}", live.size(), e.toString());
            return false;
        }
        for (TunnelConnection t : live) {
            ConnectorStore.Standing s = standings.get(t.connectorId());
            String cut = s == null ? "connector removed"
                    : s.revoked() ? "revoked"
                    : !s.accepts(t.certSerial()) ? "certificate no longer registered"
                    : null;
            if (cut != null) {
                LOG.warn("cutting a tunnel of connector {}: {}", t.connectorId(), cut);
                try {
                    t.close(TunnelLink.CloseReason.POLICY, cut);
                } catch (RuntimeException e) {
                    // The tunnel is out of the pool (close removes it first); only its event could not be recorded.
                    LOG.warn("closing a tunnel of connector {}: {}", t.connectorId(), e.toString());
                }
            } else if (!s.certSerial().equals(t.certSerial())) {
                // Its previous certificate, still accepted after a renewal: a replacement with the new one, then closed.
                t.retireForRenewal();
            }
            if (cut == null && !s.groupId().equals(t.groupId())) {
                LOG.info("connector {} moved from group {} to {}; its tunnel now serves the new group", t.connectorId(), t.groupId(), s.groupId());
                t.regroup(s.groupId());
            }
        }
        return true;
    }

    /**
     * Cuts the tunnels whose client certificate has expired: the handshake checked it when the tunnel opened, and a
     * tunnel lives for days. One event per connector; the connector is refused when it dials again.
     */
    private void cutExpired(List<TunnelConnection> live) {
        Instant now = clock.instant();
        Set<String> reported = new HashSet<>();
        for (TunnelConnection t : live) {
            if (now.isBefore(t.certNotAfter())) {
                continue;
            }
            String reason = "client certificate expired at " + t.certNotAfter() + "; tunnels cut, the connector must register again";
            LOG.warn("cutting a tunnel of connector {}: its client certificate (serial {}) expired at {}; the connector must"
                    + " register again", t.connectorId(), t.certSerial(), t.certNotAfter());
            try {
                t.close(TunnelLink.CloseReason.POLICY, "client certificate expired");
            } catch (RuntimeException e) {
                LOG.warn("closing a tunnel of connector {}: {}", t.connectorId(), e.toString());
            }
            if (reported.add(t.connectorId())) {
                events.event(new ConnectorEventRecord(t.connectorId(), ConnectorEventType.CERTIFICATE_EXPIRED, reason));
            }
        }
    }

    /** Removes connectors inactive for {@link #INACTIVE_RETENTION}; returns how many. */
    public int removeLongInactive() {
        try {
            int n = store.deleteInactiveSince(clock.instant().minus(INACTIVE_RETENTION));
            if (n > 0) {
                LOG.info("removed {} connector(s) inactive for more than {} days", n, INACTIVE_RETENTION.toDays());
            }
            return n;
        } catch (RuntimeException e) {
            LOG.warn("cannot remove inactive connectors: {}", e.toString());
            return 0;
        }
    }

    /** Whether a connector counts as active: a live tunnel here, or seen within three heartbeats. */
    public boolean isActive(ConnectorStore.Connector c) {
        if (tunnelCount(c.id()) > 0) {
            return true;
        }
        return c.lastSeenAt().map(t -> t.isAfter(clock.instant().minus(heartbeat.multipliedBy(3)))).orElse(false);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        for (TunnelConnection t : tunnels) {
            t.close(TunnelLink.CloseReason.GOING_AWAY, "server stopping");
        }
    }
}
