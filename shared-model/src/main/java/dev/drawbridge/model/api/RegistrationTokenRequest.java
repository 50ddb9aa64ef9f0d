package dev.drawbridge.model.api;

/**
 * Ask for a one-time connector registration token.
 *
 * @param connectorGroup group name or id the connector will join (default "Default")
 * @param ttlMinutes     lifetime, 1..1440 minutes (default 60)
 */
public record RegistrationTokenRequest(String connectorGroup, Integer ttlMinutes) {
}
