package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.model.update.UpdateVersions;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.update.Rollouts;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code /connector-groups/{id}/rollout}: a group's update rollout (state, target, the turn, each connector's version and
 * update state) and what an administrator sets (pause, pin a version: lower is a roll back). Any PUT clears a halt;
 * changes are audited.
 */
public final class RolloutApi {
    private final ConnectorStore connectors;
    private final ConnectorViews views;
    private final Rollouts rollouts;
    private final AuditLog audit;

    public RolloutApi(ConnectorStore connectors, ConnectorRegistry registry, Rollouts rollouts, AuditLog audit) {
        this.connectors = connectors;
        this.views = new ConnectorViews(connectors, registry, rollouts);
        this.rollouts = rollouts;
        this.audit = audit;
    }

    /** By group id or name. */
    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        ConnectorStore.Group g = connectors.findGroup(request.path("id")).orElseThrow(ApiException::notFound);
        return Answer.ok(view(g, rollouts.rollout(g.id())));
    }

    public Answer put(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        RolloutSettings body = request.body(RolloutSettings.class);
        ConnectorStore.Group g = connectors.findGroup(request.path("id")).orElseThrow(ApiException::notFound);
        if (!body.pinnedVersion().isEmpty() && !UpdateVersions.valid(body.pinnedVersion())) {
            throw new ValidationException("pinnedVersion", "'" + cut(body.pinnedVersion()) + "' is not a version such as 1.4.0");
        }
        RolloutView before = view(g, rollouts.rollout(g.id()));
        RolloutView after = view(g, rollouts.set(g.id(), body));
        audit.record(caller.subject(), "connector-group.rollout.update", "connector-group", g.id(), settings(before), settings(after));
        return Answer.ok(after);
    }

    /** What the audit log keeps of a rollout: what an administrator sets, and the halt a PUT clears. */
    private static Map<String, Object> settings(RolloutView v) {
        return Map.of("paused", v.paused(), "pinnedVersion", v.pinnedVersion(), "haltedReason", v.haltedReason());
    }

    private RolloutView view(ConnectorStore.Group g, Rollouts.Rollout r) {
        List<RolloutConnector> members = connectors.connectors().stream().filter(c -> c.groupId().equals(g.id()))
                .map(views::rolloutConnector).toList();
        return new RolloutView(g.id(), g.name(), state(r, members), r.targetVersion(), r.pinnedVersion(), r.paused(), r.haltedReason(),
                r.haltedAt().orElse(null), r.updatingConnectorId().orElse(""), r.updatingSince().orElse(null), members);
    }

    private static RolloutState state(Rollouts.Rollout r, List<RolloutConnector> members) {
        if (r.targetVersion().isEmpty()) {
            return RolloutState.NO_UPDATES;
        }
        if (r.halted()) {
            return RolloutState.HALTED;
        }
        if (r.paused()) {
            return RolloutState.PAUSED;
        }
        boolean pinned = !r.pinnedVersion().isEmpty();
        // Connectors that can update: connected, auto-update on, a version to compare.
        boolean due = members.stream().filter(c -> c.status() == ConnectorStatus.ACTIVE && c.updateState() != UpdateState.DISABLED
                        && UpdateVersions.valid(c.version()))
                .anyMatch(c -> Rollouts.due(c.version(), r.targetVersion(), pinned));
        return r.updatingConnectorId().isPresent() || due ? RolloutState.ROLLING : RolloutState.UP_TO_DATE;
    }

    private static String cut(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
