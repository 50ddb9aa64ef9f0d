package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * Answer of {@code POST /connector/v1/renew}: the connector's new client certificate (same connector id, new key and
 * serial). The previous certificate stays accepted until {@code previousValidUntil}, while the connector moves its
 * tunnels to the new one.
 */
public record RenewalResponse(String certificatePem, Instant notAfter, Instant previousValidUntil) {
}
