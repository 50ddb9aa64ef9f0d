package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CLIENT;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CLIENT_APP;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CLIENT_GRANT;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CLIENT_REDIRECT_URI;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;

/**
 * The registered native OAuth clients: id, display name, redirect URIs (in order), grants, apps. Read on every request
 * of the token issuer, so a change reaches every node at once. Taking something away from a client (the refresh grant,
 * an app, the client itself) also ends the codes and refresh tokens it no longer covers, so that giving it back does
 * not bring them back.
 *
 * <p>Each client has a generation, a random value that is new when the client is registered and on every change to it.
 * Codes and refresh tokens carry the generation their request read, and are redeemed only while it is the client's:
 * one written by a request that was in flight while the client was deleted, or changed to cover it no longer, is dead
 * whatever comes later (the same id registered again, the grant or app given back). A change moves the codes and refresh
 * tokens it still covers to the new generation in its transaction, so that their users stay signed in.
 */
public final class OAuthClientStore {
    /**
     * A client and its generation, read in that order (the generation first, in the statement that finds the client):
     * a change committed after the generation was read makes whatever the request writes dead.
     */
    public record Registration(OAuthClientView client, String generation) {
    }

    private final DSLContext dsl;

    public OAuthClientStore(Database db) {
        this.dsl = db.dsl();
    }

    public List<OAuthClientView> list() {
        return dsl.select(OAUTH_CLIENT.CLIENT_ID).from(OAUTH_CLIENT).orderBy(OAUTH_CLIENT.DISPLAY_NAME, OAUTH_CLIENT.CLIENT_ID)
                .fetch(OAUTH_CLIENT.CLIENT_ID).stream().map(id -> find(id).orElseThrow()).toList();
    }

    /** The client whose id is exactly {@code clientId} (letter case included). */
    public Optional<OAuthClientView> find(String clientId) {
        return registration(clientId).map(Registration::client);
    }

    /** The client whose id is exactly {@code clientId}, with its current generation. */
    public Optional<Registration> registration(String clientId) {
        var c = dsl.selectFrom(OAUTH_CLIENT).where(OAUTH_CLIENT.CLIENT_ID.eq(clientId)).fetchOne();
        if (c == null) {
            return Optional.empty();
        }
        List<String> uris = dsl.select(OAUTH_CLIENT_REDIRECT_URI.REDIRECT_URI).from(OAUTH_CLIENT_REDIRECT_URI)
                .where(OAUTH_CLIENT_REDIRECT_URI.CLIENT_ID.eq(clientId)).orderBy(OAUTH_CLIENT_REDIRECT_URI.ORDINAL)
                .fetch(OAUTH_CLIENT_REDIRECT_URI.REDIRECT_URI);
        List<OAuthGrant> grants = dsl.select(OAUTH_CLIENT_GRANT.GRANT_TYPE).from(OAUTH_CLIENT_GRANT)
                .where(OAUTH_CLIENT_GRANT.CLIENT_ID.eq(clientId)).fetch(OAUTH_CLIENT_GRANT.GRANT_TYPE).stream()
                .map(OAuthGrant::valueOf).sorted().toList();
        List<String> apps = dsl.select(OAUTH_CLIENT_APP.APP_ID).from(OAUTH_CLIENT_APP).where(OAUTH_CLIENT_APP.CLIENT_ID.eq(clientId))
                .orderBy(OAUTH_CLIENT_APP.APP_ID).fetch(OAUTH_CLIENT_APP.APP_ID);
        return Optional.of(new Registration(new OAuthClientView(c.getClientId(), c.getDisplayName(), uris, grants, apps,
                c.getCreatedAt().toInstant(), c.getUpdatedAt().toInstant()), c.getGeneration()));
    }

    /** Registers a client; a 409 when its id is taken in any letter case. */
    public void create(OAuthClientView c) throws ConflictException {
        try {
            dsl.transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                tx.insertInto(OAUTH_CLIENT).set(OAUTH_CLIENT.CLIENT_ID, c.clientId()).set(OAUTH_CLIENT.CLIENT_KEY, key(c.clientId()))
                        .set(OAUTH_CLIENT.DISPLAY_NAME, c.displayName()).set(OAUTH_CLIENT.GENERATION, newGeneration())
                        .set(OAUTH_CLIENT.CREATED_AT, c.createdAt().atOffset(ZoneOffset.UTC))
                        .set(OAUTH_CLIENT.UPDATED_AT, c.updatedAt().atOffset(ZoneOffset.UTC)).execute();
                children(tx, c);
            });
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("clientId", "a client with id '" + c.clientId() + "' (in some letter case) is already registered");
        }
    }

    /**
     * Replaces a client's name, redirect URIs, grants and apps (its id and creation time stay). Without the refresh
     * grant its refresh tokens end; limited to apps, its codes and refresh tokens for other apps end. The client gets a
     * new generation, and the codes and refresh tokens of the old one that it still covers move to it: any other (one
     * written by a request in flight under the old generation after this) is dead.
     */
    public boolean replace(OAuthClientView c) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            String old = tx.select(OAUTH_CLIENT.GENERATION).from(OAUTH_CLIENT).where(OAUTH_CLIENT.CLIENT_ID.eq(c.clientId())).forUpdate()
                    .fetchOne(OAUTH_CLIENT.GENERATION);
            if (old == null) {
                return false;
            }
            String generation = newGeneration();
            tx.update(OAUTH_CLIENT).set(OAUTH_CLIENT.DISPLAY_NAME, c.displayName()).set(OAUTH_CLIENT.GENERATION, generation)
                    .set(OAUTH_CLIENT.UPDATED_AT, c.updatedAt().atOffset(ZoneOffset.UTC)).where(OAUTH_CLIENT.CLIENT_ID.eq(c.clientId())).execute();
            tx.deleteFrom(OAUTH_CLIENT_REDIRECT_URI).where(OAUTH_CLIENT_REDIRECT_URI.CLIENT_ID.eq(c.clientId())).execute();
            tx.deleteFrom(OAUTH_CLIENT_GRANT).where(OAUTH_CLIENT_GRANT.CLIENT_ID.eq(c.clientId())).execute();
            tx.deleteFrom(OAUTH_CLIENT_APP).where(OAUTH_CLIENT_APP.CLIENT_ID.eq(c.clientId())).execute();
            children(tx, c);
            if (!c.allows(OAuthGrant.REFRESH_TOKEN)) {
                tx.deleteFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.CLIENT_ID.eq(c.clientId())).execute();
            }
            if (!c.appIds().isEmpty()) {
                tx.deleteFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.CLIENT_ID.eq(c.clientId())).and(REFRESH_TOKEN.APP_ID.notIn(c.appIds())).execute();
                tx.deleteFrom(OAUTH_CODE).where(OAUTH_CODE.CLIENT_ID.eq(c.clientId())).and(OAUTH_CODE.APP_ID.notIn(c.appIds())).execute();
            }
            // Only what the new registration covers (a row written meanwhile for an app taken away is not deleted above).
            tx.update(OAUTH_CODE).set(OAUTH_CODE.CLIENT_GENERATION, generation).where(OAUTH_CODE.CLIENT_ID.eq(c.clientId()))
                    .and(OAUTH_CODE.CLIENT_GENERATION.eq(old)).and(c.appIds().isEmpty() ? DSL.trueCondition() : OAUTH_CODE.APP_ID.in(c.appIds()))
                    .execute();
            if (c.allows(OAuthGrant.REFRESH_TOKEN)) {
                tx.update(REFRESH_TOKEN).set(REFRESH_TOKEN.CLIENT_GENERATION, generation).where(REFRESH_TOKEN.CLIENT_ID.eq(c.clientId()))
                        .and(REFRESH_TOKEN.CLIENT_GENERATION.eq(old))
                        .and(c.appIds().isEmpty() ? DSL.trueCondition() : REFRESH_TOKEN.APP_ID.in(c.appIds())).execute();
            }
            return true;
        });
    }

    /** Removes a client, its outstanding codes and its refresh tokens (access tokens it holds expire within minutes). */
    public boolean delete(String clientId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            tx.deleteFrom(OAUTH_CODE).where(OAUTH_CODE.CLIENT_ID.eq(clientId)).execute();
            tx.deleteFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.CLIENT_ID.eq(clientId)).execute();
            return tx.deleteFrom(OAUTH_CLIENT).where(OAUTH_CLIENT.CLIENT_ID.eq(clientId)).execute() > 0;
        });
    }

    private static void children(DSLContext tx, OAuthClientView c) {
        for (int i = 0; i < c.redirectUris().size(); i++) {
            tx.insertInto(OAUTH_CLIENT_REDIRECT_URI).set(OAUTH_CLIENT_REDIRECT_URI.CLIENT_ID, c.clientId())
                    .set(OAUTH_CLIENT_REDIRECT_URI.ORDINAL, i).set(OAUTH_CLIENT_REDIRECT_URI.REDIRECT_URI, c.redirectUris().get(i)).execute();
        }
        for (OAuthGrant g : c.grants()) {
            tx.insertInto(OAUTH_CLIENT_GRANT).set(OAUTH_CLIENT_GRANT.CLIENT_ID, c.clientId()).set(OAUTH_CLIENT_GRANT.GRANT_TYPE, g.name()).execute();
        }
        for (String app : c.appIds()) {
            tx.insertInto(OAUTH_CLIENT_APP).set(OAUTH_CLIENT_APP.CLIENT_ID, c.clientId()).set(OAUTH_CLIENT_APP.APP_ID, app).execute();
        }
    }

    private static String newGeneration() {
        return ServerKeys.randomToken(16);
    }

    private static String key(String clientId) {
        return clientId.toLowerCase(Locale.ROOT);
    }
}
