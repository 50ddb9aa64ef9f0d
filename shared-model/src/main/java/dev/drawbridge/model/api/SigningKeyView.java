package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One key of a signing key set, as {@code GET /keys} and {@code POST /keys/rotate} show it (never its private part):
 * docs/security.md, "Signing keys and their rotation".
 *
 * @param set         {@code signing} (sessions, admin and OAuth tokens, assertions) or {@code sso} (users' identities for
 *                    connectors)
 * @param keyId       the JWK {@code kid} tokens name
 * @param state       {@code pending} (verifies, signs from {@code signsFrom}), {@code signing}, {@code retiring} (verifies
 *                    until {@code retiresAt}) or {@code retired} (verifies nothing; dropped at the next rotation)
 * @param publishedAt when the key was made (it verifies from then)
 * @param signsFrom   when it signs from
 * @param retiresAt   when it stops verifying; null while it is the newest key
 */
public record SigningKeyView(String set, String keyId, String state, Instant publishedAt, Instant signsFrom, Instant retiresAt) {
    public SigningKeyView {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(state, "state");
    }
}
