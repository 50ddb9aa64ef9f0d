package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.tunnel.transport.PinnedInput;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each connector's fair share of the server's two memory budgets for data received from connectors and not yet read:
 * the growth of receive windows ({@code --tunnel-parked-max}, {@link WindowBudget}) and the input buffers pinned by
 * retained DATA slices ({@code --tunnel-pinned-max}, {@link PinnedInput}). The readers on the server are public clients,
 * and one that never reads parks what its streams' windows allow: without shares, the unread streams of one connector's
 * apps (or the four tunnels of one busy connector) could take the whole budget, and every other connector's streams
 * would run with fixed windows and copies. A connector's share is the budget divided by the connectors with a tunnel on
 * this node, asked afresh at every reservation: when a second connector joins, the first gets no more until it is under
 * half (what it holds beyond it goes back as its streams are read); what all shares hold together never passes the whole
 * budget. Shares are kept by connector id for the life of the server (a few objects per registered connector).
 */
final class ConnectorShares {
    private final FlowControl flowControl;
    private final PinnedInput pinned;
    private final Map<String, Share> shares = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();

    /** One connector's share: the flow control of its tunnels' multiplexers and the cap of their links. */
    record Share(FlowControl flowControl, PinnedInput pinned) {
        Share {
            Objects.requireNonNull(flowControl, "flowControl");
            Objects.requireNonNull(pinned, "pinned");
        }
    }

    ConnectorShares(FlowControl flowControl, PinnedInput pinned) {
        this.flowControl = Objects.requireNonNull(flowControl, "flowControl");
        this.pinned = Objects.requireNonNull(pinned, "pinned");
    }

    /** The share of {@code connectorId} (made on first use). */
    Share of(String connectorId) {
        return shares.computeIfAbsent(connectorId, id -> new Share(
                new FlowControl(flowControl.maxWindow(), flowControl.tunnelBudget(),
                        flowControl.processBudget().share(() -> flowControl.processBudget().limit() / parties())),
                pinned.share(() -> pinned.limit() / parties())));
    }

    /** A connector's first tunnel joined. */
    void connected() {
        connected.incrementAndGet();
    }

    /** A connector's last tunnel left. */
    void disconnected() {
        connected.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** The connectors sharing the budgets now (at least one). */
    int parties() {
        return Math.max(1, connected.get());
    }

    /** The whole budgets. */
    FlowControl flowControl() {
        return flowControl;
    }

    PinnedInput pinned() {
        return pinned;
    }
}
