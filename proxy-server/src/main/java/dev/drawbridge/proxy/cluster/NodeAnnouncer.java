package dev.drawbridge.proxy.cluster;

import dev.drawbridge.model.cluster.ClusterNodes;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Tells connectors the live nodes: each tunnel whose connector reads them ({@link TunnelConnection#readsNodes()}) gets a
 * CONFIG {@code nodes} whenever the list differs from the one last sent on it, a new tunnel at the next round. Runs on the
 * server's refresh thread (every second) and once more when the node leaves; in-memory, no database.
 */
public final class NodeAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAnnouncer.class);

    private final Supplier<List<TunnelConnection>> tunnels;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();

    public NodeAnnouncer(Supplier<List<TunnelConnection>> tunnels) {
        this.tunnels = tunnels;
    }

    /** Sends {@code nodes} to every tunnel that reads it and has not had this version yet. */
    public synchronized void announce(ClusterNodes nodes) {
        List<TunnelConnection> now = tunnels.get();
        Set<String> ids = now.stream().map(TunnelConnection::tunnelId).collect(Collectors.toSet());
        sent.keySet().retainAll(ids);
        for (TunnelConnection t : now) {
            if (!t.readsNodes() || Long.valueOf(nodes.version()).equals(sent.get(t.tunnelId()))) {
                continue;
            }
            try {
                t.mux().config(nodes.toFrame());
                sent.put(t.tunnelId(), nodes.version());
            } catch (IOException e) {
                LOG.debug("cannot send the node list to a tunnel of connector {}: {}", t.connectorId(), e.getMessage());
            }
        }
    }
}
