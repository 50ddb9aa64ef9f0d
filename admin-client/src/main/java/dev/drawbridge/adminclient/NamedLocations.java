package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.NamedLocation;

import java.util.List;

/** {@code /named-locations}: IP ranges that conditional access policies name. */
public interface NamedLocations {
    @Operation(method = "GET", path = "named-locations")
    List<NamedLocation> list() throws AdminClientException;

    @Operation(method = "POST", path = "named-locations")
    NamedLocation create(NamedLocation location) throws AdminClientException;

    @Operation(method = "GET", path = "named-locations/{id}")
    NamedLocation get(String id) throws AdminClientException;

    @Operation(method = "PUT", path = "named-locations/{id}")
    NamedLocation replace(String id, NamedLocation location) throws AdminClientException;

    @Operation(method = "DELETE", path = "named-locations/{id}")
    void delete(String id) throws AdminClientException;
}
