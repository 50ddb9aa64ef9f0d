package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.AccessPolicy;

import java.util.List;

/** {@code /policies}: conditional access policies. */
public interface Policies {
    @Operation(method = "GET", path = "policies")
    List<AccessPolicy> list() throws AdminClientException;

    @Operation(method = "POST", path = "policies")
    AccessPolicy create(AccessPolicy policy) throws AdminClientException;

    @Operation(method = "GET", path = "policies/{id}")
    AccessPolicy get(String id) throws AdminClientException;

    @Operation(method = "PUT", path = "policies/{id}")
    AccessPolicy replace(String id, AccessPolicy policy) throws AdminClientException;

    @Operation(method = "DELETE", path = "policies/{id}")
    void delete(String id) throws AdminClientException;
}
