package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.store.ConflictException;
import org.jooq.DSLContext;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.GROUP_MEMBER;

/**
 * The groups a provider owns, and the memberships its groups claim gives. A group is the provider's when it was
 * created from the claim or by an administrator for it: source {@code OIDC}, external id {@code "<issuer> <claim
 * value>"}. A claimed name joins only such a group, never a static, LDAP or dynamic group that happens to have the
 * same name (which could carry app assignments the provider was never meant to grant): when the name is taken,
 * the provider's group is created as {@code "<name> (<provider>)"}.
 */
final class ProviderGroups {
    private final DSLContext dsl;
    private final DirectoryStore store;

    ProviderGroups(DSLContext dsl, DirectoryStore store) {
        this.dsl = dsl;
        this.store = store;
    }

    static String key(OidcProvider provider, String claimValue) {
        return provider.issuer() + " " + claimValue;
    }

    /**
     * Memberships from the provider: joins the provider's group of each claimed name (created if missing), leaves
     * the provider's groups it no longer lists. Memberships made by an administrator are never touched.
     */
    void sync(String userId, Set<String> names, OidcProvider provider, Instant now, List<String> joined, List<String> left) {
        Set<String> keep = new HashSet<>();
        for (String name : names) {
            Optional<String> groupId = owned(provider, name).or(() -> create(provider, name, now));
            if (groupId.isEmpty()) {
                continue;
            }
            keep.add(groupId.get());
            int n = dsl.insertInto(GROUP_MEMBER).set(GROUP_MEMBER.GROUP_ID, groupId.get()).set(GROUP_MEMBER.USER_ID, userId)
                    .set(GROUP_MEMBER.SOURCE, FederatedUsers.SOURCE).onConflictDoNothing().execute();
            if (n > 0) {
                joined.add(name);
            }
        }
        var stale = dsl.select(GROUP_MEMBER.GROUP_ID, DIRECTORY_GROUP.NAME).from(GROUP_MEMBER).join(DIRECTORY_GROUP)
                .on(DIRECTORY_GROUP.ID.eq(GROUP_MEMBER.GROUP_ID)).where(GROUP_MEMBER.USER_ID.eq(userId))
                .and(GROUP_MEMBER.SOURCE.eq(FederatedUsers.SOURCE)).fetch().stream().filter(r -> !keep.contains(r.value1())).toList();
        for (var r : stale) {
            dsl.deleteFrom(GROUP_MEMBER).where(GROUP_MEMBER.GROUP_ID.eq(r.value1())).and(GROUP_MEMBER.USER_ID.eq(userId))
                    .and(GROUP_MEMBER.SOURCE.eq(FederatedUsers.SOURCE)).execute();
            left.add(r.value2());
        }
    }

    /** The provider's group for a claimed name, if it has one (a group created before issuers were recorded is adopted). */
    Optional<String> owned(OidcProvider provider, String claimValue) {
        var own = dsl.select(DIRECTORY_GROUP.ID, DIRECTORY_GROUP.MEMBERSHIP_RULE).from(DIRECTORY_GROUP)
                .where(DIRECTORY_GROUP.SOURCE.eq(FederatedUsers.SOURCE)).and(DIRECTORY_GROUP.EXTERNAL_ID.eq(key(provider, claimValue))).fetchOne();
        if (own != null) {
            // A membership rule owns its group's members, even on the provider's group.
            return own.value2() == null ? Optional.of(own.value1()) : Optional.empty();
        }
        int adopted = dsl.update(DIRECTORY_GROUP).set(DIRECTORY_GROUP.EXTERNAL_ID, key(provider, claimValue))
                .where(DIRECTORY_GROUP.SOURCE.eq(FederatedUsers.SOURCE)).and(DIRECTORY_GROUP.EXTERNAL_ID.eq(claimValue))
                .and(DIRECTORY_GROUP.MEMBERSHIP_RULE.isNull()).execute();
        return adopted > 0 ? owned(provider, claimValue) : Optional.empty();
    }

    /**
     * Creates the provider's group for a claimed name: named like the claim, or {@code "<claim> (<provider>)"} when
     * that name belongs to another group; empty if both are taken by others.
     */
    Optional<String> create(OidcProvider provider, String claimValue, Instant now) {
        return create(provider, claimValue, List.of(claimValue, claimValue + " (" + provider.displayName() + ")"), now);
    }

    /** Creates the provider's group for {@code claimValue} with the first free name of {@code names}. */
    Optional<String> create(OidcProvider provider, String claimValue, List<String> names, Instant now) {
        for (String name : names) {
            try {
                String id = store.createGroup(name, Optional.of("from " + provider.displayName()
                        + (name.equals(claimValue) ? "" : " (groups claim '" + claimValue + "')")), now).id();
                dsl.update(DIRECTORY_GROUP).set(DIRECTORY_GROUP.SOURCE, FederatedUsers.SOURCE).set(DIRECTORY_GROUP.EXTERNAL_ID, key(provider, claimValue))
                        .where(DIRECTORY_GROUP.ID.eq(id)).execute();
                return Optional.of(id);
            } catch (ConflictException e) {
                // Taken (perhaps by a concurrent sign-in creating the same group): the provider's own, or the next name.
                Optional<String> own = owned(provider, claimValue);
                if (own.isPresent()) {
                    return own;
                }
            }
        }
        return Optional.empty();
    }
}
