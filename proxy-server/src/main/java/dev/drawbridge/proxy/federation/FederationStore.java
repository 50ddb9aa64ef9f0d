package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.IdentityProviderRecord;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.IntegrityConstraintViolationException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.FEDERATION_REQUEST;
import static dev.drawbridge.proxy.store.db.Tables.IDENTITY_PROVIDER;
import static dev.drawbridge.proxy.store.db.Tables.IDENTITY_PROVIDER_DOMAIN;

/**
 * The providers' settings (client secrets encrypted with the data key, email domains for home-realm discovery) and the
 * sign-ins in flight: each found by the hash of its {@code state}, bound to one browser by the hash of a cookie and to
 * the provider it was sent to, and claimed at most once.
 */
final class FederationStore {
    /** A sign-in sent to a provider, as stored at its start. */
    record Pending(String nonce, String codeVerifier, Optional<String> appId, String returnPath, String providerId) {
    }

    private final DSLContext dsl;
    private final DataKey dataKey;

    FederationStore(Database db, DataKey dataKey) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
    }

    /** Every provider, by display name. */
    List<OidcProvider> providers() {
        Map<String, List<String>> domains = new HashMap<>();
        dsl.selectFrom(IDENTITY_PROVIDER_DOMAIN).orderBy(IDENTITY_PROVIDER_DOMAIN.DOMAIN)
                .forEach(r -> domains.computeIfAbsent(r.getProviderId(), k -> new ArrayList<>()).add(r.getDomain()));
        return dsl.selectFrom(IDENTITY_PROVIDER).orderBy(IDENTITY_PROVIDER.DISPLAY_NAME, IDENTITY_PROVIDER.ID)
                .fetch(r -> toProvider(r, domains.getOrDefault(r.getId(), List.of())));
    }

    Optional<OidcProvider> provider(String id) {
        return dsl.selectFrom(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(id)).fetchOptional(r -> toProvider(r,
                dsl.select(IDENTITY_PROVIDER_DOMAIN.DOMAIN).from(IDENTITY_PROVIDER_DOMAIN).where(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID.eq(id))
                        .orderBy(IDENTITY_PROVIDER_DOMAIN.DOMAIN).fetch(IDENTITY_PROVIDER_DOMAIN.DOMAIN)));
    }

    /** The provider home-realm discovery sends addresses of {@code domain} (normalised) to. */
    Optional<String> providerOfDomain(String domain) {
        return dsl.select(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID).from(IDENTITY_PROVIDER_DOMAIN).where(IDENTITY_PROVIDER_DOMAIN.DOMAIN.eq(domain))
                .fetchOptional(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID);
    }

    private OidcProvider toProvider(IdentityProviderRecord r, List<String> domains) {
        return new OidcProvider(URI.create(r.getIssuer()), r.getClientId(), dataKey.decrypt(r.getClientSecret()), r.getDisplayName(),
                Arrays.asList(r.getScopes().split(" ")), r.getUsernameClaim(), r.getGroupsClaim() == null ? "" : r.getGroupsClaim(),
                r.getJitProvisioning(), r.getLinkByVerifiedEmail(), r.getId(), domains);
    }

    /**
     * Saves the settings of {@code p.id()}. The token endpoint the secret was pinned to is kept unless {@code secretEntered}
     * (a secret entered now is for whatever endpoint the issuer names next). A domain another provider lists is a
     * {@link ConflictException} naming {@code emailDomains}, and nothing is saved.
     */
    void save(OidcProvider p, boolean secretEntered, Instant now) throws ConflictException {
        try {
            dsl.transaction(tx -> {
                DSLContext t = tx.dsl();
                String pinned = secretEntered ? null : t.select(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT).from(IDENTITY_PROVIDER)
                        .where(IDENTITY_PROVIDER.ID.eq(p.id())).fetchOptional(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT).orElse(null);
                int updated = t.update(IDENTITY_PROVIDER).set(values(p, pinned, now)).where(IDENTITY_PROVIDER.ID.eq(p.id())).execute();
                if (updated == 0) {
                    t.insertInto(IDENTITY_PROVIDER).set(IDENTITY_PROVIDER.ID, p.id()).set(values(p, pinned, now)).execute();
                }
                t.deleteFrom(IDENTITY_PROVIDER_DOMAIN).where(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID.eq(p.id())).execute();
                for (String d : p.emailDomains()) {
                    String owner = t.select(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID).from(IDENTITY_PROVIDER_DOMAIN)
                            .where(IDENTITY_PROVIDER_DOMAIN.DOMAIN.eq(d)).fetchOne(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID);
                    if (owner != null) {
                        throw new DomainTaken(d, owner);
                    }
                    t.insertInto(IDENTITY_PROVIDER_DOMAIN).set(IDENTITY_PROVIDER_DOMAIN.DOMAIN, d).set(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID, p.id())
                            .execute();
                }
            });
        } catch (DomainTaken e) {
            throw new ConflictException("emailDomains", "the email domain " + e.domain + " is already listed by the identity provider '"
                    + e.owner + "'; a domain sends its users to one provider only");
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("emailDomains", "an email domain was just listed by another identity provider; try again");
        }
    }

    /** A domain listed by another provider: rolls the save back. */
    private static final class DomainTaken extends RuntimeException {
        private final String domain;
        private final String owner;

        DomainTaken(String domain, String owner) {
            super(null, null, false, false);
            this.domain = domain;
            this.owner = owner;
        }
    }

    private Map<Field<?>, Object> values(OidcProvider p, String pinned, Instant now) {
        Map<Field<?>, Object> v = new HashMap<>();
        v.put(IDENTITY_PROVIDER.ISSUER, p.issuer().toString());
        v.put(IDENTITY_PROVIDER.CLIENT_ID, p.clientId());
        v.put(IDENTITY_PROVIDER.CLIENT_SECRET, dataKey.encrypt(p.clientSecret()));
        v.put(IDENTITY_PROVIDER.DISPLAY_NAME, p.displayName());
        v.put(IDENTITY_PROVIDER.SCOPES, String.join(" ", p.scopes()));
        v.put(IDENTITY_PROVIDER.USERNAME_CLAIM, p.usernameClaim());
        v.put(IDENTITY_PROVIDER.GROUPS_CLAIM, p.groupsClaim().isEmpty() ? null : p.groupsClaim());
        v.put(IDENTITY_PROVIDER.JIT_PROVISIONING, p.jitProvisioning());
        v.put(IDENTITY_PROVIDER.LINK_BY_VERIFIED_EMAIL, p.linkByVerifiedEmail());
        v.put(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT, pinned);
        v.put(IDENTITY_PROVIDER.UPDATED_AT, now.atOffset(ZoneOffset.UTC));
        return v;
    }

    /** The token endpoint the provider's secret goes to, once learned ({@link #pinTokenEndpoint}). */
    Optional<String> secretTokenEndpoint(String id) {
        return dsl.select(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT).from(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(id))
                .fetchOptional(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT);
    }

    /** Records where the provider's secret goes, if nothing was recorded since it was entered. */
    void pinTokenEndpoint(String id, String endpoint) {
        dsl.update(IDENTITY_PROVIDER).set(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT, endpoint).where(IDENTITY_PROVIDER.ID.eq(id))
                .and(IDENTITY_PROVIDER.SECRET_TOKEN_ENDPOINT.isNull()).execute();
    }

    /** Removes the provider, its domains and its sign-ins in flight. */
    boolean delete(String id) {
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.deleteFrom(FEDERATION_REQUEST).where(FEDERATION_REQUEST.PROVIDER_ID.eq(id)).execute();
            t.deleteFrom(IDENTITY_PROVIDER_DOMAIN).where(IDENTITY_PROVIDER_DOMAIN.PROVIDER_ID.eq(id)).execute();
            return t.deleteFrom(IDENTITY_PROVIDER).where(IDENTITY_PROVIDER.ID.eq(id)).execute() > 0;
        });
    }

    void insertPending(String stateHash, String browserHash, Pending p, Instant expiresAt, Instant now) {
        // Keep the table small: requests long expired are of no use, not even for diagnosis.
        dsl.deleteFrom(FEDERATION_REQUEST).where(FEDERATION_REQUEST.EXPIRES_AT.lt(now.minusSeconds(3600).atOffset(ZoneOffset.UTC))).execute();
        dsl.insertInto(FEDERATION_REQUEST).set(FEDERATION_REQUEST.STATE_HASH, stateHash).set(FEDERATION_REQUEST.BROWSER_HASH, browserHash)
                .set(FEDERATION_REQUEST.NONCE, p.nonce()).set(FEDERATION_REQUEST.CODE_VERIFIER, p.codeVerifier())
                .set(FEDERATION_REQUEST.APP_ID, p.appId().orElse(null)).set(FEDERATION_REQUEST.RETURN_PATH, p.returnPath())
                .set(FEDERATION_REQUEST.PROVIDER_ID, p.providerId())
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
        return new Claim.Ok(new Pending(r.getNonce(), r.getCodeVerifier(), Optional.ofNullable(r.getAppId()), r.getReturnPath(),
                r.getProviderId()));
    }
}
