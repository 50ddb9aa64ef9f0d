package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;

import java.time.Instant;

/** {@code /connectors}, {@code /connector-events} and {@code /registration-tokens}. */
public interface Connectors {
    /** Filters of {@link #list}: a group id, a status; null: any. */
    record Filter(String groupId, ConnectorStatus status) implements Query {
        public static final Filter NONE = new Filter(null, null);
    }

    /** Filters of {@link #events}: a connector id, an event type, a time range; null: any. */
    record EventFilter(String connectorId, ConnectorEventType type, Instant from, Instant to) implements Query {
        public static final EventFilter NONE = new EventFilter(null, null, null, null);
    }

    @Operation(method = "GET", path = "connectors")
    Page<ConnectorView> list(Paging paging, Filter filter) throws AdminClientException;

    @Operation(method = "GET", path = "connectors/{id}")
    ConnectorView get(String id) throws AdminClientException;

    /** Revokes the connector; its tunnels are cut at once. */
    @Operation(method = "POST", path = "connectors/{id}/revoke")
    ConnectorView revoke(String id) throws AdminClientException;

    /** Moves the connector to the group {@code target} names ({@code groupId} or {@code connectorGroup}). */
    @Operation(method = "POST", path = "connectors/{id}/move")
    ConnectorView move(String id, NameBody target) throws AdminClientException;

    /** Connector events, newest first. */
    @Operation(method = "GET", path = "connector-events")
    Page<ConnectorEvent> events(Paging paging, EventFilter filter) throws AdminClientException;

    /** A one-time registration token for a new connector, and its install command. */
    @Operation(method = "POST", path = "registration-tokens")
    RegistrationTokenView createRegistrationToken(RegistrationTokenRequest request) throws AdminClientException;
}
