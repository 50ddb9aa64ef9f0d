package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.GroupMaintenance;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.tunnel.GroupMaintenances;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@code /connector-groups}: the groups apps are published through, with their connector counts; only an empty one is deleted. */
public final class ConnectorGroupsApi {
    private final ConnectorStore connectors;
    private final ConnectorViews views;
    private final Clock clock;
    private final AuditLog audit;
    private final GroupMaintenances maintenances;

    public ConnectorGroupsApi(ConnectorStore connectors, ConnectorRegistry registry, Clock clock, AuditLog audit,
                              GroupMaintenances maintenances) {
        this.connectors = connectors;
        this.maintenances = maintenances;
        this.views = new ConnectorViews(connectors, registry);
        this.clock = clock;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        return Answer.ok(Queries.page(connectors.groups().stream().map(views::group).toList(), request));
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        NameBody body = request.body(NameBody.class);
        var badName = Names.required("name", body.name(), Names.MAX);
        if (badName.isPresent()) {
            throw new ValidationException(List.of(badName.get()));
        }
        ConnectorGroupView created = views.group(connectors.createGroup(body.name().strip(), clock.instant()));
        audit.record(caller.subject(), "connector-group.create", "connector-group", created.id(), null, created);
        return Answer.created(created);
    }

    /** By id or name. */
    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(views.group(connectors.findGroup(request.path("id")).orElseThrow(ApiException::notFound)));
    }

    /** Maintenance mode on (or its message changed), by id or name. */
    public Answer startMaintenance(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        MaintenanceBody body = request.body(MaintenanceBody.class);
        var bad = Names.maintenanceMessage("message", body.message());
        if (bad.isPresent()) {
            throw new ValidationException(List.of(bad.get()));
        }
        ConnectorStore.Group g = connectors.findGroup(request.path("id")).orElseThrow(ApiException::notFound);
        String message = body.message() == null || body.message().isBlank() ? null : body.message().strip();
        ConnectorGroupView before = views.group(g);
        connectors.setMaintenance(g.id(), Optional.of(new GroupMaintenance(clock.instant(), message)));
        maintenances.reload();
        ConnectorGroupView after = views.group(connectors.findGroup(g.id()).orElseThrow(ApiException::notFound));
        audit.record(caller.subject(), "connector-group.maintenance.start", "connector-group", g.id(), before, after);
        return Answer.ok(after);
    }

    /** Maintenance mode off, by id or name (a group not in it: nothing changes). */
    public Answer endMaintenance(Caller caller, AdminRequest request) throws ApiException {
        ConnectorStore.Group g = connectors.findGroup(request.path("id")).orElseThrow(ApiException::notFound);
        ConnectorGroupView before = views.group(g);
        connectors.setMaintenance(g.id(), Optional.empty());
        maintenances.reload();
        ConnectorGroupView after = views.group(connectors.findGroup(g.id()).orElseThrow(ApiException::notFound));
        if (before.maintenance() != null) {
            audit.record(caller.subject(), "connector-group.maintenance.end", "connector-group", g.id(), before, after);
        }
        return Answer.ok(after);
    }

    /** By id; a group that still has connectors or apps is a 409. */
    public Answer delete(Caller caller, AdminRequest request) throws ApiException, ConflictException {
        String id = request.path("id");
        ConnectorGroupView before = connectors.findGroup(id).map(views::group).orElseThrow(ApiException::notFound);
        if (!connectors.deleteGroup(id)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "connector-group.delete", "connector-group", id, before, null);
        return Answer.noContent();
    }
}
