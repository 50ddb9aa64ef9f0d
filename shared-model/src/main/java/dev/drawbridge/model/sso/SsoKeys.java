package dev.drawbridge.model.sso;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a connector verifies identities with, sent by the proxy as the first frame of a tunnel that announced
 * {@link SsoWire#FEATURE} (a {@link Frame.Config} of kind {@value #KIND}): the public keys that sign identities
 * (a JWKS document, JSON) and the id the proxy gave this tunnel connection, which every identity on it is bound to.
 *
 * @param tunnelId a random id of this tunnel connection, new on every connection
 * @param jwks     the public JSON Web Key Set
 */
public record SsoKeys(String tunnelId, String jwks) {
    /** The CONFIG kind. */
    public static final String KIND = "sso-keys";
    private static final String TUNNEL_ID = "tunnel-id", JWKS = "jwks";

    public SsoKeys {
        Objects.requireNonNull(tunnelId, "tunnelId");
        Objects.requireNonNull(jwks, "jwks");
        if (tunnelId.isBlank() || tunnelId.contains("/")) {
            throw new IllegalArgumentException("tunnelId must be non-blank and without '/'");
        }
        if (jwks.isBlank()) {
            throw new IllegalArgumentException("jwks must not be blank");
        }
    }

    public Frame.Config toFrame() {
        return new Frame.Config(KIND, List.of(new HeaderField(TUNNEL_ID, tunnelId), new HeaderField(JWKS, jwks)));
    }

    /** The keys a CONFIG frame carries; empty when it is of another kind or lacks a field. */
    public static Optional<SsoKeys> from(Frame.Config config) {
        if (!KIND.equals(config.kind())) {
            return Optional.empty();
        }
        Optional<String> id = config.entry(TUNNEL_ID), keys = config.entry(JWKS);
        if (id.isEmpty() || keys.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SsoKeys(id.get(), keys.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
