package dev.drawbridge.model.api;

import java.time.Instant;

/** A published app as the admin API shows it. */
public record AppView(String id, String name, String externalUrl, String internalUrl,
                      String connectorGroupId, String connectorGroupName, BackendTimeout backendTimeout,
                      boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                      Instant createdAt, Instant updatedAt) {
}
