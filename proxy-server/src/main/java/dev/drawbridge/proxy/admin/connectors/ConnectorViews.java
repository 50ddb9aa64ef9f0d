package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.update.Rollouts;

import java.util.List;
import java.util.Optional;

/**
 * Connectors and their groups as the admin API shows them: stored state (with what each connector last reported about
 * updating itself) plus the tunnels this node sees now.
 */
final class ConnectorViews {
    private final ConnectorStore connectors;
    private final ConnectorRegistry registry;
    private final Optional<Rollouts> rollouts;

    /** For groups only (their counts). */
    ConnectorViews(ConnectorStore connectors, ConnectorRegistry registry) {
        this(connectors, registry, Optional.empty());
    }

    ConnectorViews(ConnectorStore connectors, ConnectorRegistry registry, Rollouts rollouts) {
        this(connectors, registry, Optional.of(rollouts));
    }

    private ConnectorViews(ConnectorStore connectors, ConnectorRegistry registry, Optional<Rollouts> rollouts) {
        this.connectors = connectors;
        this.registry = registry;
        this.rollouts = rollouts;
    }

    ConnectorGroupView group(ConnectorStore.Group g) {
        List<ConnectorStore.Connector> members = connectors.connectors().stream().filter(c -> c.groupId().equals(g.id())).toList();
        int active = (int) members.stream().filter(c -> c.revokedAt().isEmpty() && registry.isActive(c)).count();
        return new ConnectorGroupView(g.id(), g.name(), g.createdAt(), members.size(), active, g.maintenance().orElse(null));
    }

    ConnectorView connector(ConnectorStore.Connector c) {
        String groupName = connectors.findGroup(c.groupId()).map(ConnectorStore.Group::name).orElse("?");
        Rollouts.ConnectorUpdate u = update(c);
        return new ConnectorView(c.id(), c.groupId(), groupName, c.hostName(), c.version(), status(c),
                registry.tunnelCount(c.id()), c.registeredAt(), c.lastSeenAt().orElse(null), c.certNotAfter(), u.state(), u.error());
    }

    RolloutConnector rolloutConnector(ConnectorStore.Connector c) {
        Rollouts.ConnectorUpdate u = update(c);
        return new RolloutConnector(c.id(), c.hostName(), c.version(), status(c), u.state(), u.attemptedVersion(), u.error(),
                u.reportedAt().orElse(null));
    }

    private Rollouts.ConnectorUpdate update(ConnectorStore.Connector c) {
        return rollouts.map(r -> r.connector(c.id())).orElse(Rollouts.ConnectorUpdate.never(c.id()));
    }

    private ConnectorStatus status(ConnectorStore.Connector c) {
        return c.revokedAt().isPresent() ? ConnectorStatus.REVOKED : registry.isActive(c) ? ConnectorStatus.ACTIVE : ConnectorStatus.INACTIVE;
    }
}
