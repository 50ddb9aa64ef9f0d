package dev.drawbridge.proxy.oauth;

import dev.drawbridge.proxy.store.Database;

import java.time.Instant;
import java.util.List;

/** Codes and refresh tokens written straight to the store, under the client's current generation, each a new family. */
final class Minted {
    private Minted() {
    }

    static OAuthStore.Grant grant(Database db, String userId, String appId, String clientId, Instant authTime) {
        String generation = new OAuthClientStore(db).registration(clientId).map(OAuthClientStore.Registration::generation).orElse("none");
        return new OAuthStore.Grant(userId, appId, clientId, List.of("pwd"), authTime, generation, OAuthStore.newFamily());
    }

    static String refresh(Database db, String userId, String appId, String clientId, Instant authTime, Instant expiresAt) {
        return new OAuthStore(db).newRefresh(grant(db, userId, appId, clientId, authTime), expiresAt).orElseThrow();
    }

    static String code(Database db, String userId, String appId, String clientId, String redirectUri, Instant authTime, Instant expiresAt) {
        return new OAuthStore(db).newCode(grant(db, userId, appId, clientId, authTime), redirectUri, "x".repeat(43), expiresAt);
    }
}
