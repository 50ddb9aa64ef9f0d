package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.sso.SsoKeys;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.BoundedFrameSender;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.tunnel.transport.WebSocketLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The server's end of one tunnel connection: a {@link TunnelLink} opened by an authenticated connector (a WebSocket,
 * {@link WebSocketLink}, or another transport), carrying a {@link Multiplexer} on which the proxy opens one stream per
 * request. It receives the link's frames as its {@link TunnelLink.Receiver}.
 */
public final class TunnelConnection implements TunnelLink.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelConnection.class);
    /** The GOAWAY reason a tunnel retiring for its stream ids sends the connector. */
    static final String RETIRING = "stream ids running out: open a replacement tunnel; this one closes once its streams are done";
    /** The close reason of a tunnel retired for its stream ids, once drained. */
    static final String RETIRED = "retired: stream ids used up";
    /** The GOAWAY reason a tunnel retiring after its connector renewed its certificate sends the connector. */
    static final String RETIRING_RENEWED = "certificate renewed: open a replacement tunnel with the new certificate; this one closes once"
            + " its streams are done";
    /** The close reason of a tunnel retired after its connector renewed its certificate, once drained. */
    static final String RETIRED_RENEWED = "retired: authenticated with the certificate the connector has since renewed";

    private final String connectorId;
    private final String certSerial;
    private final Instant certNotAfter;
    /** Changes when the connector is moved to another group (seen by {@link ConnectorRegistry#recheck()}). */
    private volatile String groupId;
    private final ConnectorRegistry registry;
    private final Multiplexer mux;
    private volatile TunnelLink link;
    private volatile boolean readsNodes;
    /** Sending the keys and joining the registry, started when the link opened; done at once before that. */
    private volatile CompletableFuture<Void> registration = CompletableFuture.completedFuture(null);
    /** When retirement began ({@link System#nanoTime()}), or {@link Long#MIN_VALUE} before. */
    private volatile long retiringSince = Long.MIN_VALUE;
    /** The close reason once drained: set with {@link #retiringSince}, by the cause of the retirement. */
    private volatile String retiredReason = RETIRED;
    private final LongAdder streamsOpened = new LongAdder();
    /** Set once the registry has judged this tunnel's standing after it joined: offered to requests only then. */
    private volatile boolean judged;
    /** A random id of this connection, which identities sent on it are bound to. */
    private final String tunnelId = UUID.randomUUID().toString();
    /** Whether the connector announced {@link SsoWire#FEATURE}: it gets the keys that verify identities, and identities. */
    private final boolean readsIdentities;
    /** The key set last sent on this tunnel (JWKS JSON), null before the first; guarded by this. */
    private String sentSsoKeys;
    /** The version of each kind of group configuration last sent on this tunnel. */
    private final Map<String, String> sentConfigs = new HashMap<>();

    TunnelConnection(String connectorId, String groupId, String certSerial, Instant certNotAfter, ConnectorRegistry registry,
                     Optional<String> ssoKeys) {
        this.readsIdentities = ssoKeys.isPresent();
        this.connectorId = connectorId;
        this.groupId = groupId;
        this.certSerial = certSerial;
        this.certNotAfter = certNotAfter;
        this.registry = registry;
        this.mux = new Multiplexer(new BoundedFrameSender(this::write, BoundedFrameSender.DEFAULT_BUDGET,
                failure -> close(TunnelLink.CloseReason.SERVER_ERROR, "tunnel write failed")), null, Thread::startVirtualThread,
                registry.lastStreamId(), new Multiplexer.Lifecycle() {
                    @Override
                    public void retiring() {
                        retire();
                    }

                    @Override
                    public void streamClosed(TunnelStream stream) {
                        registry.streamClosed(TunnelConnection.this, stream);
                    }
                }, registry.flowControl(connectorId));
    }

    /**
     * Half the stream ids are used: tell the connector (GOAWAY) to open a replacement. The registry prefers other
     * tunnels from now on and closes this one once it is idle ({@link #closeIfDrained()}).
     */
    private void retire() {
        retiredReason = RETIRED;
        retiringSince = System.nanoTime();
        LOG.info("tunnel of connector {} used half its stream ids; retiring it", connectorId);
        Thread.startVirtualThread(() -> {
            try {
                mux.goAway(RETIRING);
            } catch (IOException e) {
                // Closing anyway; the connector reconnects.
            }
        });
    }

    /**
     * Retires this tunnel as {@link #retire()} does, for another reason: it authenticated with a certificate the connector
     * has since renewed, so the connector is to open a replacement (with the new one) and this one closes once drained.
     * Once only.
     */
    public void retireForRenewal() {
        // Before the multiplexer says it retires: a close that sees it retiring sees this cause.
        String before = retiredReason;
        retiredReason = RETIRED_RENEWED;
        if (!mux.retire()) {
            retiredReason = before;
            return;
        }
        retiringSince = System.nanoTime();
        LOG.info("tunnel of connector {} authenticated with its previous certificate; retiring it", connectorId);
        Thread.startVirtualThread(() -> {
            try {
                mux.goAway(RETIRING_RENEWED);
            } catch (IOException e) {
                // Closing anyway; the connector reconnects.
            }
        });
    }

    /** Records whether the connector announced it reads TRAILERS frames (on its upgrade). */
    void peerReadsTrailers(boolean reads) {
        mux.peerReadsTrailers(reads);
    }

    /** Whether the connector announced that it reads the node list (CONFIG {@code nodes}, docs/scale-out.md). */
    void peerReadsNodes(boolean reads) {
        this.readsNodes = reads;
    }

    /** Whether the connector reads the node list on this tunnel: the only tunnels that are sent it. */
    public boolean readsNodes() {
        return readsNodes;
    }

    /** True once this tunnel is being retired (stream ids running out). */
    public boolean isRetiring() {
        return mux.isRetiring();
    }

    /** How long ago this tunnel started retiring, in nanoseconds; 0 if it is not. */
    long nanosRetiring() {
        long since = retiringSince;
        return since == Long.MIN_VALUE ? 0L : System.nanoTime() - since;
    }

    /** Closes a retiring tunnel that has no stream in flight (atomically with opening one); returns whether it did. */
    boolean closeIfDrained() {
        String reason = retiredReason;
        if (!isRetiring() || !mux.closeIfIdle(reason)) {
            return false;
        }
        TunnelLink l = link;
        if (l != null) {
            l.close(TunnelLink.CloseReason.NORMAL, reason);
        }
        registry.removed(this);
        return true;
    }

    public String connectorId() {
        return connectorId;
    }

    public String groupId() {
        return groupId;
    }

    /** The serial (hex) of the certificate the connector authenticated this tunnel with. */
    public String certSerial() {
        return certSerial;
    }

    /** When the certificate the connector authenticated this tunnel with expires: the tunnel is cut then. */
    public Instant certNotAfter() {
        return certNotAfter;
    }

    /** The connector now belongs to another group: new streams come from that group's apps only. */
    void regroup(String newGroupId) {
        this.groupId = newGroupId;
    }

    public Multiplexer mux() {
        return mux;
    }

    /** Opens a stream for a request here, counting it (per-tunnel load shows in diagnostics and tests). */
    public TunnelStream open(RequestHead head) throws IOException {
        return open(head, null);
    }

    /**
     * Opens a stream for a request here; when the connector reads identities and {@code identity} is given, the OPEN
     * carries the user's identity signed for this tunnel and the stream's id. An older connector gets none (it would
     * close the tunnel on the unknown field).
     */
    public TunnelStream open(RequestHead head, StreamIdentity identity) throws IOException {
        TunnelStream s = identity != null && readsIdentities ? mux.open(head, id -> signed(identity, head, id)) : mux.open(head);
        streamsOpened.increment();
        return s;
    }

    /**
     * The identity for stream {@code streamId}, or null (the stream goes without one) when it cannot be signed or is
     * longer than an OPEN may carry (a user in very many groups): the request is then served as one without a user, and
     * the connector refuses it if its app needs single sign-on. Never fails the request for an app that does not.
     */
    private String signed(StreamIdentity identity, RequestHead head, int streamId) {
        try {
            String jws = identity.sign(tunnelId, streamId);
            if (jws.length() <= RequestHead.MAX_IDENTITY) {
                return jws;
            }
            LOG.warn("app {}: the user's identity is {} characters, over the {} an OPEN carries; sent without it", head.appId(),
                    jws.length(), RequestHead.MAX_IDENTITY);
        } catch (RuntimeException e) {
            LOG.warn("app {}: cannot sign the user's identity ({}); sent without it", head.appId(), e.toString());
        }
        return null;
    }

    /**
     * Sends the connector each kind of its group's configuration whose version differs from the one last sent here, and
     * a removal for each kind sent before that is gone. Only on tunnels that read configuration.
     */
    synchronized void configure(List<GroupConfigs.GroupConfig> current) {
        if (!readsIdentities) {
            return;
        }
        Set<String> kinds = new HashSet<>();
        try {
            for (GroupConfigs.GroupConfig c : current) {
                kinds.add(c.kind());
                if (!c.version().equals(sentConfigs.get(c.kind()))) {
                    mux.config(c.frame());
                    sentConfigs.put(c.kind(), c.version());
                }
            }
            for (String gone : Set.copyOf(sentConfigs.keySet())) {
                if (!kinds.contains(gone)) {
                    mux.config(new Frame.Config(gone, List.of()));
                    sentConfigs.remove(gone);
                }
            }
        } catch (IOException e) {
            LOG.warn("tunnel of connector {}: cannot send its group's configuration: {}", connectorId, e.getMessage());
        }
    }

    /** Whether the connector announced that it reads signed identities on this tunnel. */
    public boolean readsIdentities() {
        return readsIdentities;
    }

    /**
     * Sends the connector {@code jwks}, the keys that verify identities, unless this tunnel does not read identities or it
     * was the last set sent here. The tunnel's frames keep their order, so identities opened after this call are verified
     * with these keys: a rotation pushes its set before the new key signs.
     *
     * @throws IOException when the frame cannot be sent (the caller closes the tunnel)
     */
    synchronized void sendSsoKeys(String jwks) throws IOException {
        if (!readsIdentities || jwks == null || jwks.equals(sentSsoKeys)) {
            return;
        }
        mux.config(new SsoKeys(tunnelId, jwks).toFrame());
        sentSsoKeys = jwks;
    }

    /** {@link #sendSsoKeys}; a tunnel that cannot be told the keys is closed (the connector dials again and gets them). */
    void pushSsoKeys(String jwks) {
        try {
            sendSsoKeys(jwks);
        } catch (IOException e) {
            LOG.warn("tunnel of connector {}: cannot send the single sign-on keys ({}); closing it", connectorId, e.getMessage());
            close(TunnelLink.CloseReason.SERVER_ERROR, "cannot send configuration");
        }
    }

    /** The random id of this connection (identities are bound to it). */
    public String tunnelId() {
        return tunnelId;
    }

    /** Streams opened on this tunnel since it connected. */
    public long streamsOpened() {
        return streamsOpened.sum();
    }

    /** The registry judged this tunnel's standing after it joined ({@link ConnectorRegistry#added}). */
    void judged() {
        judged = true;
    }

    boolean isJudged() {
        return judged;
    }

    /** Usable for new streams: judged by the registry after it joined, open, and the connector is not draining. */
    public boolean isAvailable() {
        TunnelLink l = link;
        return judged && mux.isOpen() && !mux.peerDraining() && l != null && l.isOpen();
    }

    /** The link's wire protocol ({@link TunnelLink#protocol()}), for logs and metrics; empty before it opened. */
    public String protocol() {
        TunnelLink l = link;
        return l == null ? "" : l.protocol();
    }

    @Override
    public void opened(TunnelLink l) {
        this.link = l;
        // Joining the registry reads the database (standing, configuration) and records an event: off the link's thread,
        // which may be a selector's (drawbridge-tunnel/2). The keys still precede every request (the tunnel is offered
        // to requests only once registered), and registered comes before unregistered (both chain on this future).
        registration = CompletableFuture.runAsync(this::register, Thread::startVirtualThread);
    }

    private void register() {
        if (readsIdentities) {
            // Before the tunnel is offered to any request, so the keys precede every identity on it. Public keys: its
            // group's configuration (a keytab) waits for the registry's judgement of its standing ({@link ConnectorRegistry#added}).
            // The registry's keys of now: a rotation since this tunnel was made is sent again on joining, if it came meanwhile.
            try {
                sendSsoKeys(registry.currentSsoKeys());
            } catch (IOException e) {
                LOG.warn("tunnel of connector {}: cannot send the single sign-on keys ({}); closing it", connectorId, e.getMessage());
                close(TunnelLink.CloseReason.SERVER_ERROR, "cannot send configuration");
                return;
            }
        }
        if (mux.isOpen()) {
            registry.added(this);
        }
    }

    /**
     * Takes this tunnel out of the registry once its registration (if any) is done: on the calling thread when it is and
     * the caller may wait for the database (the registry's own recheck, heartbeat and shutdown expect the tunnel gone when
     * close returns), else chained after it on a thread of its own (a link reporting its close, maybe on a selector).
     */
    private void unregister(boolean callerMayBlock) {
        CompletableFuture<Void> r = registration;
        if (callerMayBlock && r.isDone()) {
            registry.removed(this);
            return;
        }
        r.whenCompleteAsync((done, failure) -> registry.removed(this), Thread::startVirtualThread);
    }

    @Override
    public void frame(ByteBuffer frame) throws MalformedFrameException {
        frame(frame, null);
    }

    @Override
    public void frame(ByteBuffer frame, TunnelLink.Retainer retainer) throws MalformedFrameException {
        try {
            // Large DATA is retained, not copied: the input buffers its slices pin count against this connector's share
            // of the server's own cap (--tunnel-pinned-max, PinnedInput.SERVER_DEFAULT), beyond which they are copied, so
            // a client that never reads parks at most its streams' windows plus that share (Http2DowngradeAttackTest).
            mux.receive(frame, retainer);
        } catch (MalformedFrameException e) {
            LOG.warn("connector {} sent a malformed frame ({}); closing its tunnel", connectorId, e.getMessage());
            throw e;
        }
    }

    @Override
    public void closed(String reason) {
        LOG.info("tunnel of connector {} closed ({}): {}", connectorId, protocol(), reason);
        mux.close("tunnel closed (" + reason + ")");
        // A drawbridge-tunnel/2 link reports its close on the selector thread; the registry may write an event to the
        // database, which must not stall the other tunnels of that selector (the tunnel is unavailable already: mux closed).
        unregister(false);
    }

    /** Closes the link (revocation, heartbeat loss, shutdown); the streams fail at once. */
    public void close(TunnelLink.CloseReason reason, String text) {
        mux.close(text);
        TunnelLink l = link;
        if (l != null) {
            l.close(reason, text);
        }
        unregister(true);
    }

    private void write(ByteBuffer buf, Runnable written, Consumer<Throwable> failed) throws IOException {
        TunnelLink l = link;
        if (l == null || !l.isOpen()) {
            throw new IOException("tunnel of connector " + connectorId + " is closed");
        }
        l.write(buf, written, failed);
    }

    @Override
    public String toString() {
        return "tunnel(" + connectorId + ", streams=" + mux.activeStreams() + ")";
    }
}
