package dev.drawbridge.proxy.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.Json;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.VAULT_SHARED_CREDENTIAL;
import static dev.drawbridge.proxy.store.db.Tables.VAULT_USER_CREDENTIAL;

/**
 * The vault's rows (V33): a user's own credential per app, and an app's shared one. Each is sealed with the data key
 * (AES-256-GCM, {@link DataKey}) as JSON that also names the row's app and user, and the app's internal origin and
 * connector group when it was stored: a sealed value copied into another row (another user's, another app's) does not
 * open there, and a value stored for one backend (address, and the group whose connectors reach it) is not sent to
 * another ({@link Opened#origin}, {@link Opened#group}, checked by {@link Vault}).
 */
public final class VaultStore {
    private static final Logger LOG = LoggerFactory.getLogger(VaultStore.class);
    /** The user id sealed into an app's shared credential (no directory user has it). */
    static final String SHARED = "*shared*";

    private final DSLContext dsl;
    private final DataKey key;

    /** What is sealed: the row it belongs to, where it may be sent (origin, through group), and the credential. */
    record Sealed(String app, String user, String origin, String group, String username, String password) {
        @Override
        public String toString() {
            return "Sealed[" + app + ", " + user + ", " + origin + ", " + group + ", password hidden]";
        }
    }

    /**
     * A stored credential, opened.
     *
     * @param origin    the app's internal origin when it was stored: it is sent to that origin only
     * @param group     the app's connector group when it was stored: it is sent through that group's connectors only
     *                  (empty for a value sealed before the group was: sent nowhere until stored again)
     * @param version   changes on every store; a refusal names the version the backend refused
     * @param refusedAt when the backend refused this version (it is not sent again); a shared credential is never marked
     */
    public record Opened(Credential credential, String origin, String group, String version, Optional<Instant> refusedAt,
                         Instant updatedAt) {
    }

    public VaultStore(Database db, DataKey key) {
        this.dsl = db.dsl();
        this.key = key;
    }

    /**
     * Stores (or replaces) {@code userId}'s credential for {@code appId}, to be sent to {@code origin} through the connector
     * group {@code group}; its new version.
     */
    public String putUser(String appId, String userId, String origin, String group, Credential credential, Instant at) {
        String version = UUID.randomUUID().toString();
        String sealed = seal(new Sealed(appId, userId, origin, group, credential.username(), credential.password()));
        OffsetDateTime now = at.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
        dsl.transaction(t -> {
            t.dsl().deleteFrom(VAULT_USER_CREDENTIAL).where(VAULT_USER_CREDENTIAL.APP_ID.eq(appId), VAULT_USER_CREDENTIAL.USER_ID.eq(userId))
                    .execute();
            t.dsl().insertInto(VAULT_USER_CREDENTIAL).set(VAULT_USER_CREDENTIAL.APP_ID, appId).set(VAULT_USER_CREDENTIAL.USER_ID, userId)
                    .set(VAULT_USER_CREDENTIAL.SEALED, sealed).set(VAULT_USER_CREDENTIAL.VERSION, version)
                    .set(VAULT_USER_CREDENTIAL.UPDATED_AT, now).execute();
        });
        return version;
    }

    /** {@code userId}'s credential for {@code appId}; empty when there is none, or when the row's sealed value is not its own. */
    public Optional<Opened> user(String appId, String userId) {
        return dsl.selectFrom(VAULT_USER_CREDENTIAL).where(VAULT_USER_CREDENTIAL.APP_ID.eq(appId), VAULT_USER_CREDENTIAL.USER_ID.eq(userId))
                .fetchOptional().flatMap(r -> open(r.getSealed(), appId, userId, r.getVersion(), r.getRefusedAt(), r.getUpdatedAt()));
    }

    /** Every credential {@code userId} stored, by app id. */
    public Map<String, Opened> userCredentials(String userId) {
        Map<String, Opened> out = new LinkedHashMap<>();
        dsl.selectFrom(VAULT_USER_CREDENTIAL).where(VAULT_USER_CREDENTIAL.USER_ID.eq(userId)).orderBy(VAULT_USER_CREDENTIAL.APP_ID)
                .forEach(r -> open(r.getSealed(), r.getAppId(), userId, r.getVersion(), r.getRefusedAt(), r.getUpdatedAt())
                        .ifPresent(o -> out.put(r.getAppId(), o)));
        return out;
    }

    public boolean deleteUser(String appId, String userId) {
        return dsl.deleteFrom(VAULT_USER_CREDENTIAL).where(VAULT_USER_CREDENTIAL.APP_ID.eq(appId), VAULT_USER_CREDENTIAL.USER_ID.eq(userId))
                .execute() > 0;
    }

    /** Marks {@code version} of {@code userId}'s credential for {@code appId} refused (nothing if it was replaced meanwhile). */
    public boolean refusedUser(String appId, String userId, String version, Instant at) {
        return dsl.update(VAULT_USER_CREDENTIAL).set(VAULT_USER_CREDENTIAL.REFUSED_AT, at.atOffset(ZoneOffset.UTC))
                .where(VAULT_USER_CREDENTIAL.APP_ID.eq(appId), VAULT_USER_CREDENTIAL.USER_ID.eq(userId),
                        VAULT_USER_CREDENTIAL.VERSION.eq(version), VAULT_USER_CREDENTIAL.REFUSED_AT.isNull()).execute() > 0;
    }

    /** Stores (or replaces) the shared credential of {@code appId}, to be sent to {@code origin} through {@code group}; its new version. */
    public String putShared(String appId, String origin, String group, Credential credential, Instant at) {
        String version = UUID.randomUUID().toString();
        String sealed = seal(new Sealed(appId, SHARED, origin, group, credential.username(), credential.password()));
        OffsetDateTime now = at.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
        dsl.transaction(t -> {
            t.dsl().deleteFrom(VAULT_SHARED_CREDENTIAL).where(VAULT_SHARED_CREDENTIAL.APP_ID.eq(appId)).execute();
            t.dsl().insertInto(VAULT_SHARED_CREDENTIAL).set(VAULT_SHARED_CREDENTIAL.APP_ID, appId)
                    .set(VAULT_SHARED_CREDENTIAL.SEALED, sealed).set(VAULT_SHARED_CREDENTIAL.VERSION, version)
                    .set(VAULT_SHARED_CREDENTIAL.UPDATED_AT, now).execute();
        });
        return version;
    }

    public Optional<Opened> shared(String appId) {
        return dsl.selectFrom(VAULT_SHARED_CREDENTIAL).where(VAULT_SHARED_CREDENTIAL.APP_ID.eq(appId)).fetchOptional()
                .flatMap(r -> open(r.getSealed(), appId, SHARED, r.getVersion(), null, r.getUpdatedAt()));
    }

    public boolean deleteShared(String appId) {
        return dsl.deleteFrom(VAULT_SHARED_CREDENTIAL).where(VAULT_SHARED_CREDENTIAL.APP_ID.eq(appId)).execute() > 0;
    }

    private String seal(Sealed s) {
        try {
            return key.encrypt(Json.MAPPER.writeValueAsString(s));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Opened> open(String sealed, String appId, String userId, String version, OffsetDateTime refusedAt,
                                  OffsetDateTime updatedAt) {
        Sealed s;
        try {
            s = Json.MAPPER.readValue(key.decrypt(sealed), Sealed.class);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("a stored credential of app {} cannot be opened ({}); it is not used", appId, e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (!appId.equals(s.app()) || !userId.equals(s.user())) {
            // Sealed for another row: copied in the database. Never sent.
            LOG.warn("a stored credential of app {} was sealed for another app or user; it is not used", appId);
            return Optional.empty();
        }
        return Optional.of(new Opened(new Credential(s.username(), s.password()), s.origin(), s.group() == null ? "" : s.group(), version,
                Optional.ofNullable(refusedAt).map(OffsetDateTime::toInstant), updatedAt.toInstant()));
    }
}
