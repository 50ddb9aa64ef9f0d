package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.FEDERATION_REQUEST;
import static dev.drawbridge.proxy.store.db.Tables.IDENTITY_PROVIDER;

/**
 * The provider's settings (client secret encrypted with the data key) and the sign-ins in flight:
 * each found by the hash of its {@code state}, bound to one browser by the hash of a cookie, and
 * claimed at most once.
 */
final class FederationStore {
    private static final String ROW = "oidc";

    /** A sign-in sent to the provider, as stored at its start. */
    record Pending(String nonce, String codeVerifier, Optional<String> appId, String returnPath) {
    }

    private final DSLContext dsl;
    private final DataKey dataKey;

    FederationStore(Database db, DataKey dataKey) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
    }

    Optional<OidcProvider> provider() {
        return dsl.selectFrom(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(ROW)).fetchOptional(r -> new OidcProvider(
                URI.create(r.getIssuer()), r.getClientId(), dataKey.decrypt(r.getClientSecret()), r.getDisplayName(),
                Arrays.asList(r.getScopes().split(" ")), r.getUsernameClaim(), r.getGroupsClaim() == null ? "" : r.getGroupsClaim(),
                r.getJitProvisioning(), r.getLinkByVerifiedEmail()));
    }

    /**
     * Saves the settings. The token endpoint the secret was pinned to is kept unless {@code secretEntered} (a secret
     * entered now is for whatever endpoint the issuer names next).
     */
    void save(OidcProvider p, boolean secretEntered, Instant now) {
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            String pinned = secretEntered ? null : t.select(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT).from(IDENTITY_PROVIDER)
                    .where(IDENTITY_PROVIDER.ID.eq(ROW)).fetchOptional(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT).orElse(null);
            t.deleteFrom(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(ROW)).execute();
            t.insertInto(IDENTITY_PROVIDER).set(IDENTITY_PROVIDER.ID, ROW).set(IDENTITY_PROVIDER.ISSUER, p.issuer().toString())
                    .set(IDENTITY_PROVIDER.CLIENT_ID, p.clientId()).set(IDENTITY_PROVIDER.CLIENT_SECRET, dataKey.encrypt(p.clientSecret()))
                    .set(IDENTITY_PROVIDER.DISPLAY_NAME, p.displayName()).set(IDENTITY_PROVIDER.SCOPES, String.join(" ", p.scopes()))
                    .set(IDENTITY_PROVIDER.USERNAME_CLAIM, p.usernameClaim())
                    .set(IDENTITY_PROVIDER.GROUPS_CLAIM, p.groupsClaim().isEmpty() ? null : p.groupsClaim())
                    .set(IDENTITY_PROVIDER.JIT_PROVISIONING, p.jitProvisioning())
                    .set(IDENTITY_PROVIDER.LINK_BY_VERIFIED_EMAIL, p.linkByVerifiedEmail()).set(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT,
                            pinned).set(IDENTITY_PROVIDER.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                    .execute();
        });
    }

    /** The token endpoint the secret goes to, once learned ({@link #pinTokenEndpoint}). */
    Optional<String> secretTokenEndpoint() {
        return dsl.select(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT).from(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(ROW))
                .fetchOptional(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT);
    }

    /** Records where the secret goes, if nothing was recorded since it was entered. */
    void pinTokenEndpoint(String endpoint) {
        dsl.update(IDENTITY_PROVIDER).set(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT, endpoint).where(IDENTITY_PROVIDER.ID.eq(ROW))
                .and(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT.isNull()).execute();
    }

    boolean delete() {
        dsl.deleteFrom(FEDERATION_REQUEST).execute();
        return dsl.deleteFrom(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(ROW)).execute() > 0;
    }

    void insertPending(String stateHash, String browserHash, Pending p, Instant expiresAt, Instant now) {
        // Keep the table small: requests long expired are of no use, not even for diagnosis.
        dsl.deleteFrom(FEDERATION_REQUEST).where(FEDERATION_REQUEST.EXPIRES_AT.lt(now.minusSeconds(3600).atOffset(ZoneOffset.UTC))).execute();
        dsl.insertInto(FEDERATION_REQUEST).set(FEDERATION_REQUEST.STATE_HASH, stateHash).set(FEDERATION_REQUEST.BROWSER_HASH, browserHash)
                .set(FEDERATION_REQUEST.NONCE, p.nonce()).set(FEDERATION_REQUEST.CODE_VERIFIER, p.codeVerifier())
                .set(FEDERATION_REQUEST.APP_ID, p.appId().orElse(null)).set(FEDERATION_REQUEST.RETURN_PATH, p.returnPath())
                .set(FEDERATION_REQUEST.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC)).execute();
    }

    /** What a sign-in claim found. */
    sealed interface Claim {
        record Ok(Pending pending) implements Claim {
        }

        record Refused(String reason) implements Claim {
        }
    }

    /**
     * Claims the pending sign-in of {@code stateHash} for the browser of {@code browserHash}: at most once,
     * before it expires, only from the browser that started it.
     */
    Claim claim(String stateHash, String browserHash, Instant now) {
        var r = dsl.selectFrom(FEDERATION_REQUEST).where(FEDERATION_REQUEST.STATE_HASH.eq(stateHash)).fetchOne();
        if (r == null) {
            return new Claim.Refused("no sign-in was started with this state");
        }
        if (!MessageDigest.isEqual(r.getBrowserHash().getBytes(StandardCharsets.US_ASCII), browserHash.getBytes(StandardCharsets.US_ASCII))) {
            return new Claim.Refused("the sign-in was started in another browser");
        }
        if (r.getUsedAt() != null) {
            return new Claim.Refused("this sign-in response was already used");
        }
        if (!r.getExpiresAt().toInstant().isAfter(now)) {
            return new Claim.Refused("the sign-in took too long and expired");
        }
        int n = dsl.update(FEDERATION_REQUEST).set(FEDERATION_REQUEST.USED_AT, now.atOffset(ZoneOffset.UTC))
                .where(FEDERATION_REQUEST.STATE_HASH.eq(stateHash)).and(FEDERATION_REQUEST.USED_AT.isNull()).execute();
        if (n != 1) {
            return new Claim.Refused("this sign-in response was already used");
        }
        return new Claim.Ok(new Pending(r.getNonce(), r.getCodeVerifier(), Optional.ofNullable(r.getAppId()), r.getReturnPath()));
    }
}
