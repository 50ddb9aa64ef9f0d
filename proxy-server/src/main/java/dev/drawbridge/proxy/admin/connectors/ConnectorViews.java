package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;

import java.util.List;

/** Connectors and their groups as the admin API shows them: stored state plus the tunnels this node sees now. */
final class ConnectorViews {
    private final ConnectorStore connectors;
    private final ConnectorRegistry registry;

    ConnectorViews(ConnectorStore connectors, ConnectorRegistry registry) {
        this.connectors = connectors;
        this.registry = registry;
    }

    ConnectorGroupView group(ConnectorStore.Group g) {
        List<ConnectorStore.Connector> members = connectors.connectors().stream().filter(c -> c.groupId().equals(g.id())).toList();
        int active = (int) members.stream().filter(c -> c.revokedAt().isEmpty() && registry.isActive(c)).count();
        return new ConnectorGroupView(g.id(), g.name(), g.createdAt(), members.size(), active, g.maintenance().orElse(null));
    }

    ConnectorView connector(ConnectorStore.Connector c) {
        ConnectorStatus status = c.revokedAt().isPresent() ? ConnectorStatus.REVOKED
                : registry.isActive(c) ? ConnectorStatus.ACTIVE : ConnectorStatus.INACTIVE;
        String groupName = connectors.findGroup(c.groupId()).map(ConnectorStore.Group::name).orElse("?");
        return new ConnectorView(c.id(), c.groupId(), groupName, c.hostName(), c.version(), status,
                registry.tunnelCount(c.id()), c.registeredAt(), c.lastSeenAt().orElse(null), c.certNotAfter(),
                UpdateState.IDLE, "");
    }
}
