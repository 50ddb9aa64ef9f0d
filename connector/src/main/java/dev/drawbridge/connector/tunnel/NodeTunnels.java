package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.cluster.ClusterNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connector's tunnels to every live proxy-server node (docs/scale-out.md): {@code --tunnels} {@link TunnelClient}s per
 * node, so that whichever node a user's request reaches can dispatch it.
 *
 * <p>It starts with one node, the tunnel URL the server gave ({@link TunnelAddress}: followed when the server moves, as a
 * single server always was). When a server speaks of nodes, the list ({@link ClusterNodes}, CONFIG {@code nodes} on any
 * tunnel, or the endpoints answer) decides: a node that joins is dialled at once, a node that leaves has its tunnels
 * no redial (the node, draining, closes them once its requests finished), and lists older than the newest one received are
 * ignored (nodes read the database a moment apart; a version more than {@link #MAX_AHEAD} ahead of this connector's clock
 * counts as that much ahead). A list with no node this connector may dial ({@link NodeUrls}) changes nothing: a single node that stops
 * names no other, and its tunnels keep redialling until it is back. A server that never speaks of nodes (an older one) is
 * dialled as before.
 *
 * <p>When a node's tunnels cannot connect, the server is asked again for the list (through the admin URL, at most every
 * {@code minInterval}), so a connector whose only nodes were killed finds the survivors.
 */
public final class NodeTunnels {
    private static final Logger LOG = LoggerFactory.getLogger(NodeTunnels.class);
    /**
     * How far ahead of this connector's clock a list's version counts: a version beyond (a hostile or damaged node's
     * {@link Long#MAX_VALUE}) is taken as this much ahead, so that it holds off the real nodes' lists for minutes, not until
     * the connector restarts. A database clock further ahead than this only makes lists count in the order they arrive.
     */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** Makes (not starts) tunnel {@code index} dialling {@code address}. */
    @FunctionalInterface
    public interface Factory {
        TunnelClient create(int index, TunnelAddress address);
    }

    /** Asks the server for the live nodes (through the admin URL); throws when it cannot. */
    @FunctionalInterface
    public interface Lookup {
        Optional<ClusterNodes> nodes() throws Exception;
    }

    private final int perNode;
    private final Factory factory;
    private final TunnelAddress primary;
    private final NodeUrls rules;
    private final Lookup lookup;
    private final Clock clock;
    private final Duration minInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock asking = new ReentrantLock();
    /** Each node's tunnels, by the URL they dial. Guarded by {@code lock}. */
    private final Map<URI, List<TunnelClient>> nodes = new LinkedHashMap<>();
    /** Tunnels of nodes that left, which may still finish requests (drained when the connector stops). Guarded by {@code lock}. */
    private final List<TunnelClient> departed = new ArrayList<>();
    private long version = Long.MIN_VALUE;
    private int nextIndex;
    private boolean stopped;
    private volatile Instant lastAsked;

    public NodeTunnels(int perNode, Factory factory, TunnelAddress primary, NodeUrls rules, Lookup lookup, Clock clock, Duration minInterval) {
        this.perNode = perNode;
        this.factory = factory;
        this.primary = primary;
        this.rules = rules;
        this.lookup = lookup;
        this.clock = clock;
        this.minInterval = minInterval;
        this.lastAsked = clock.instant().minus(minInterval);
    }

    /** Starts the tunnels to the server's tunnel URL, unless a list received before named the nodes. */
    public void start() {
        lock.lock();
        try {
            if (nodes.isEmpty()) {
                nodes.put(primary.current(), startTunnels(primary));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A list from the server: ignored when older than the newest one or when it names no node that may be dialled; otherwise
     * the nodes it names get tunnels and the others are drained and stopped. Never blocks on the network.
     */
    public void update(ClusterNodes list) {
        List<URI> accepted = rules.accepted(list.tunnelUrls());
        List<List<TunnelClient>> leaving = new ArrayList<>();
        lock.lock();
        try {
            long v = Math.min(list.version(), clock.millis() + MAX_AHEAD.toMillis());
            if (stopped || v <= version) {
                return;
            }
            version = v;
            if (accepted.isEmpty()) {
                LOG.info("the server names no node to dial (its last node is stopping?); keeping the tunnels to {}", nodes.keySet());
                return;
            }
            for (var it = nodes.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!accepted.contains(e.getKey())) {
                    LOG.info("node {} left: its {} tunnel(s) end when it closes them", e.getKey(), e.getValue().size());
                    leaving.add(e.getValue());
                    departed.removeIf(t -> !t.isOpen());
                    departed.addAll(e.getValue());
                    it.remove();
                }
            }
            for (URI u : accepted) {
                if (!nodes.containsKey(u)) {
                    boolean first = nodes.isEmpty() && leaving.isEmpty();
                    LOG.info("{} node {}: opening {} tunnel(s)", first ? "dialling" : "new", u, perNode);
                    nodes.put(u, startTunnels(u.equals(primary.current()) ? primary : fixed(u)));
                }
            }
        } finally {
            lock.unlock();
        }
        // No redial; the connections go on until the node, draining, closes them once its requests finished.
        for (List<TunnelClient> group : leaving) {
            group.forEach(TunnelClient::stopReconnecting);
        }
    }

    /** Asks the server for the list now (at most every {@code minInterval}); never throws. */
    public void refresh() {
        if (!asking.tryLock()) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (now.isBefore(lastAsked.plus(minInterval))) {
                return;
            }
            lastAsked = now;
            lookup.nodes().ifPresent(this::update);
        } catch (Exception e) {
            LOG.debug("cannot ask the server for its nodes: {}", e.getMessage());
        } finally {
            asking.unlock();
        }
    }

    /**
     * Where the first node's tunnels ({@link TunnelAddress}, made from the stored tunnel URL) dial after the server was asked
     * ({@code answered}: the tunnel URL of the node that answered; {@code nodes}: the live nodes it named, when it speaks of
     * nodes). A single server that moved its tunnel port is followed, as always. In a cluster the answer names whichever node
     * the load balancer picked, not where this connector's first node went: while the list still names {@code current},
     * its tunnels keep dialling it (the node was killed and may return, or is restarting), and the list alone brings tunnels
     * to the other nodes. Following the answer there put a second group of tunnels on another node, which were never
     * retired (NodeTunnels kept them under the first node's URL).
     */
    public static String primaryUrl(URI current, String answered, Optional<ClusterNodes> nodes) {
        if (current != null && nodes.isPresent() && nodes.get().tunnelUrls().stream().anyMatch(u -> URI.create(u).equals(current))) {
            return current.toString();
        }
        return answered;
    }

    /** A node's own address: fixed; a failure to connect asks the server for the list (a node may have gone). */
    private TunnelAddress fixed(URI u) {
        return new TunnelAddress(u, () -> {
            refresh();
            return u.toString();
        }, url -> {
        }, clock, minInterval);
    }

    private List<TunnelClient> startTunnels(TunnelAddress address) {
        List<TunnelClient> group = new ArrayList<>();
        for (int i = 0; i < perNode; i++) {
            TunnelClient t = factory.create(nextIndex++, address);
            group.add(t);
            t.start();
        }
        return group;
    }

    /** Every tunnel of the nodes dialled now. */
    public List<TunnelClient> tunnels() {
        lock.lock();
        try {
            return nodes.values().stream().flatMap(List::stream).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Each node dialled now and its tunnels connected at this moment. */
    public Map<URI, Integer> connectedByNode() {
        lock.lock();
        try {
            Map<URI, Integer> out = new LinkedHashMap<>();
            nodes.forEach((u, g) -> out.put(u, (int) g.stream().filter(TunnelClient::isConnected).count()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The nodes dialled now. */
    public List<URI> nodes() {
        lock.lock();
        try {
            return List.copyOf(nodes.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Tunnels wanted: {@code --tunnels} per node dialled. */
    public int expected() {
        lock.lock();
        try {
            return perNode * nodes.size();
        } finally {
            lock.unlock();
        }
    }

    /** Completes when every tunnel dialled now connected once (or one was refused for good). */
    public CompletableFuture<Void> connected() {
        return CompletableFuture.allOf(tunnels().stream().map(TunnelClient::connected).toArray(CompletableFuture[]::new));
    }

    /** No node is added from now on (the connector stops); answers the tunnels to drain or abort. */
    public List<TunnelClient> stop() {
        lock.lock();
        try {
            stopped = true;
            List<TunnelClient> all = new ArrayList<>(departed);
            nodes.values().forEach(all::addAll);
            return all;
        } finally {
            lock.unlock();
        }
    }
}
