package dev.drawbridge.model.api;

import java.time.Instant;

/** A freshly created registration token: shown once, only its hash is stored. */
public record RegistrationTokenView(String id, String token, String connectorGroupId, Instant expiresAt,
                                    String serverCaSha256, String installCommand) {
}
