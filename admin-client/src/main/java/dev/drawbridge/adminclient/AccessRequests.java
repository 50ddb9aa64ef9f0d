package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;

import java.util.List;

/** {@code /access-requests}: users asking for an app, decided by its owners or an admin. */
public interface AccessRequests {
    /** Filter of {@link #list}: one status; null: all. */
    record Filter(AccessRequestStatus status) implements Query {
        public static final Filter ALL = new Filter(null);
    }

    @Operation(method = "GET", path = "access-requests")
    List<AccessRequestView> list(Filter filter) throws AdminClientException;

    /** Approves the request: the user is assigned. */
    @Operation(method = "POST", path = "access-requests/{id}/approve")
    AccessRequestView approve(String id) throws AdminClientException;

    @Operation(method = "POST", path = "access-requests/{id}/deny")
    AccessRequestView deny(String id) throws AdminClientException;
}
