package dev.drawbridge.proxy.admin.logs;

import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.tunnel.ConnectorEvents;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;

import static dev.drawbridge.proxy.admin.operation.Queries.filter;
import static dev.drawbridge.proxy.admin.operation.Queries.instant;

/**
 * {@code GET /connector-events?connectorId=&type=&from=&to=}: registrations, first tunnel up, last tunnel down, missed
 * heartbeats, revocations and moves, newest first, each with the connector's host name while it is registered.
 */
public final class ConnectorEventsApi {
    private final ConnectorEvents events;
    private final ConnectorStore connectors;

    public ConnectorEventsApi(ConnectorEvents events, ConnectorStore connectors) {
        this.events = events;
        this.connectors = connectors;
    }

    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Queries.Paging p = Queries.paging(request);
        ConnectorEvents.Query q = new ConnectorEvents.Query(filter(request, "connectorId"), filter(request, "type"),
                instant(request, "from"), instant(request, "to"), p.offset(), p.limit());
        return Answer.ok(new Page<ConnectorEvent>(events.query(q, id -> connectors.findConnector(id).map(ConnectorStore.Connector::hostName)),
                p.offset(), p.limit(), events.count(q)));
    }
}
