package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.tunnel.ConnectorEventRecord;
import dev.drawbridge.proxy.tunnel.ConnectorEvents;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.update.Rollouts;
import dev.drawbridge.proxy.web.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code /connectors}: registered connectors with status, tunnels, version and last contact; revoking one cuts its
 * tunnels at once, moving one reconnects its tunnels into the new group; either releases the update turn the connector
 * held in its group's rollout (the event says so). Both go to the audit log and the connector event log.
 */
public final class ConnectorsApi {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorsApi.class);
    private final ConnectorStore connectors;
    private final ConnectorRegistry registry;
    private final ConnectorViews views;
    private final ConnectorEvents events;
    private final Clock clock;
    private final AuditLog audit;

    public ConnectorsApi(ConnectorStore connectors, ConnectorRegistry registry, ConnectorEvents events, Clock clock, AuditLog audit,
                         Rollouts rollouts) {
        this.connectors = connectors;
        this.registry = registry;
        this.views = new ConnectorViews(connectors, registry, rollouts);
        this.events = events;
        this.clock = clock;
        this.audit = audit;
    }

    /** {@code ?groupId=&status=} (ACTIVE, INACTIVE or REVOKED in any case). */
    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Optional<String> group = request.query("groupId");
        Optional<String> status = request.query("status");
        return Answer.ok(Queries.page(connectors.connectors().stream().map(views::connector)
                .filter(v -> group.isEmpty() || v.groupId().equals(group.get()))
                .filter(v -> status.isEmpty() || v.status().name().equalsIgnoreCase(status.get())).toList(), request));
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(views.connector(find(request)));
    }

    public Answer revoke(Caller caller, AdminRequest request) throws ApiException {
        ConnectorStore.Connector c = find(request);
        ConnectorView before = views.connector(c);
        ConnectorStore.Change change = connectors.revokeConnector(c.id(), clock.instant());
        registry.disconnect(c.id(), "revoked");
        LOG.info("connector {} revoked; its tunnels were closed", c.id());
        ConnectorView after = views.connector(connectors.findConnector(c.id()).orElseThrow());
        audit.record(caller.subject(), "connector.revoke", "connector", c.id(), before, after);
        events.write(new ConnectorEventRecord(c.id(), ConnectorEventType.REVOKED, "revoked by " + caller.subject() + released(change)));
        return Answer.ok(after);
    }

    /** To the group the body names: {@code connectorGroup} (a name or id) or {@code groupId}. */
    public Answer move(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        ConnectorStore.Connector c = find(request);
        NameBody body = request.body(NameBody.class);
        String key = body.connectorGroup() != null ? body.connectorGroup() : body.groupId() != null ? body.groupId() : "";
        ConnectorStore.Group g = connectors.findGroup(key).orElseThrow(
                () -> new ValidationException(body.groupId() != null ? "groupId" : "connectorGroup",
                        "no connector group named or with id '" + key + "'"));
        ConnectorView before = views.connector(c);
        ConnectorStore.Change change = connectors.move(c.id(), g.id());
        // Its tunnels reconnect and join the new group.
        registry.disconnect(c.id(), "moved to group " + g.name());
        ConnectorView after = views.connector(connectors.findConnector(c.id()).orElseThrow());
        audit.record(caller.subject(), "connector.move", "connector", c.id(), before, after);
        events.write(new ConnectorEventRecord(c.id(), ConnectorEventType.MOVED,
                "moved from " + before.groupName() + " to " + g.name() + " by " + caller.subject() + released(change)));
        return Answer.ok(after);
    }

    /** The end of an event's detail when the connector held its group's update turn (released with the change). */
    private static String released(ConnectorStore.Change change) {
        return change.releasedTurnTo().map(v -> "; the update turn it held (to " + v + ") was released: the group's rollout goes on")
                .orElse("");
    }

    private ConnectorStore.Connector find(AdminRequest request) throws ApiException {
        return connectors.findConnector(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
