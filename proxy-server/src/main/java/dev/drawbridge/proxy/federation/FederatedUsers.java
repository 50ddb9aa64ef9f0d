package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static dev.drawbridge.proxy.store.db.Tables.GROUP_MEMBER;

/**
 * Turns the verified claims of a federated sign-in into a directory user: matched by the configured
 * username claim (as user principal name), or created just in time; group memberships follow the
 * groups claim. Users created here have source {@code OIDC} and remember the provider's subject,
 * so a later sign-in of another subject with the same name is refused rather than taking the account over.
 */
final class FederatedUsers {
    static final String SOURCE = "OIDC";
    private static final int MAX_GROUPS = 200;

    /** The outcome of matching claims to a user. */
    sealed interface Match {
        record Ok(DirectoryUser user, boolean created, List<String> groupsJoined, List<String> groupsLeft) implements Match {
        }

        record Refused(String reason, String upnTried) implements Match {
        }
    }

    private final DSLContext dsl;
    private final DirectoryStore store;
    private final Clock clock;

    FederatedUsers(Database db, DirectoryStore store, Clock clock) {
        this.dsl = db.dsl();
        this.store = store;
        this.clock = clock;
    }

    Match signIn(OidcProvider provider, String subject, Map<String, Object> claims) {
        Object raw = claims.get(provider.usernameClaim());
        if (!(raw instanceof String s) || s.isBlank()) {
            return new Match.Refused("the ID token has no '" + provider.usernameClaim() + "' claim to use as the user name", "");
        }
        String upn = s.strip().toLowerCase(Locale.ROOT);
        if (upn.length() > 320 || upn.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return new Match.Refused("'" + provider.usernameClaim() + "' is not usable as a user name", "");
        }
        if (provider.usernameClaim().equals("email") && Boolean.FALSE.equals(claims.get("email_verified"))) {
            // An unverified address proves nothing: it must not open the account that owns it.
            return new Match.Refused("the provider has not verified the email address " + upn, upn);
        }
        String externalId = provider.issuer() + " " + subject;
        String displayName = displayName(claims, upn);
        Optional<String> email = claims.get("email") instanceof String e && !e.isBlank() ? Optional.of(e.strip()) : Optional.empty();
        Instant now = clock.instant();

        Optional<DirectoryUser> user = linked(externalId);
        boolean created = false;
        if (user.isPresent()) {
            if (!user.get().upn().equals(upn) || !user.get().displayName().equals(displayName)) {
                try {
                    dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.UPN, upn).set(DIRECTORY_USER.DISPLAY_NAME, displayName)
                            .set(DIRECTORY_USER.EMAIL, email.orElse(null)).set(DIRECTORY_USER.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                            .where(DIRECTORY_USER.ID.eq(user.get().id())).execute();
                } catch (IntegrityConstraintViolationException e) {
                    return new Match.Refused("the user name " + upn + " already belongs to another account", upn);
                }
                user = store.user(user.get().id());
            }
        } else {
            user = store.userByUpn(upn);
            if (user.isPresent() && SOURCE.equals(source(user.get().id()))) {
                return new Match.Refused("the account " + upn + " is linked to another identity at the provider", upn);
            }
            if (user.isEmpty()) {
                if (!provider.jitProvisioning()) {
                    return new Match.Refused("there is no account " + upn + " and just-in-time provisioning is off", upn);
                }
                try {
                    DirectoryUser u = store.createUser(upn, displayName, email, Optional.empty(), Optional.empty(), now);
                    dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.SOURCE, SOURCE).set(DIRECTORY_USER.EXTERNAL_ID, externalId)
                            .where(DIRECTORY_USER.ID.eq(u.id())).execute();
                    user = Optional.of(u);
                    created = true;
                } catch (ConflictException e) {
                    return new Match.Refused("the account " + upn + " was created concurrently; sign in again", upn);
                }
            }
        }
        DirectoryUser u = user.orElseThrow();
        if (!u.enabled()) {
            return new Match.Refused("the account " + upn + " is disabled", upn);
        }
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (!provider.groupsClaim().isEmpty()) {
            syncGroups(u.id(), groupNames(claims.get(provider.groupsClaim())), provider.displayName(), now, joined, left);
        }
        store.refreshDynamicGroups();
        return new Match.Ok(u, created, joined, left);
    }

    private Optional<DirectoryUser> linked(String externalId) {
        return dsl.select(DIRECTORY_USER.ID).from(DIRECTORY_USER).where(DIRECTORY_USER.SOURCE.eq(SOURCE))
                .and(DIRECTORY_USER.EXTERNAL_ID.eq(externalId)).fetchOptional(DIRECTORY_USER.ID).flatMap(store::user);
    }

    private String source(String userId) {
        return dsl.select(DIRECTORY_USER.SOURCE).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId)).fetchOne(DIRECTORY_USER.SOURCE);
    }

    private static String displayName(Map<String, Object> claims, String fallback) {
        for (String c : List.of("name", "preferred_username")) {
            if (claims.get(c) instanceof String n && !n.isBlank()) {
                return n.strip().length() > 200 ? n.strip().substring(0, 200) : n.strip();
            }
        }
        return fallback;
    }

    /** A claim holding one group name or an array of them; anything else counts as none. */
    static Set<String> groupNames(Object claim) {
        Collection<?> values = claim instanceof Collection<?> c ? c : claim instanceof String s ? List.of(s) : List.of();
        Set<String> names = new LinkedHashSet<>();
        for (Object v : values) {
            if (v instanceof String s && !s.isBlank() && s.strip().length() <= 200 && names.size() < MAX_GROUPS) {
                names.add(s.strip());
            }
        }
        return names;
    }

    /**
     * Memberships from the provider: joins each named group (created, marked OIDC, if missing), leaves
     * groups the provider no longer lists. Memberships made by an administrator, LDAP groups and dynamic
     * groups are never touched.
     */
    private void syncGroups(String userId, Set<String> names, String providerName, Instant now, List<String> joined, List<String> left) {
        Set<String> keep = new HashSet<>();
        for (String name : names) {
            Optional<String> groupId = groupForClaim(name, providerName, now);
            if (groupId.isEmpty()) {
                continue;
            }
            keep.add(groupId.get());
            int n = dsl.insertInto(GROUP_MEMBER).set(GROUP_MEMBER.GROUP_ID, groupId.get()).set(GROUP_MEMBER.USER_ID, userId)
                    .set(GROUP_MEMBER.SOURCE, SOURCE).onConflictDoNothing().execute();
            if (n > 0) {
                joined.add(name);
            }
        }
        var stale = dsl.select(GROUP_MEMBER.GROUP_ID, DIRECTORY_GROUP.NAME).from(GROUP_MEMBER).join(DIRECTORY_GROUP)
                .on(DIRECTORY_GROUP.ID.eq(GROUP_MEMBER.GROUP_ID)).where(GROUP_MEMBER.USER_ID.eq(userId))
                .and(GROUP_MEMBER.SOURCE.eq(SOURCE)).fetch().stream().filter(r -> !keep.contains(r.value1())).toList();
        for (var r : stale) {
            dsl.deleteFrom(GROUP_MEMBER).where(GROUP_MEMBER.GROUP_ID.eq(r.value1())).and(GROUP_MEMBER.USER_ID.eq(userId))
                    .and(GROUP_MEMBER.SOURCE.eq(SOURCE)).execute();
            left.add(r.value2());
        }
    }

    /** The group a claimed name stands for: an existing static, non-LDAP group of that name, or a new OIDC group. */
    private Optional<String> groupForClaim(String name, String providerName, Instant now) {
        for (int attempt = 0; attempt < 2; attempt++) {
            var g = dsl.select(DIRECTORY_GROUP.ID, DIRECTORY_GROUP.SOURCE, DIRECTORY_GROUP.MEMBERSHIP_RULE).from(DIRECTORY_GROUP)
                    .where(DIRECTORY_GROUP.NAME.eq(name)).fetchOne();
            if (g != null) {
                // LDAP sync and membership rules own their groups' members.
                return g.value2().equals("LDAP") || g.value3() != null ? Optional.empty() : Optional.of(g.value1());
            }
            try {
                String id = store.createGroup(name, Optional.of("from " + providerName), now).id();
                dsl.update(DIRECTORY_GROUP).set(DIRECTORY_GROUP.SOURCE, SOURCE).set(DIRECTORY_GROUP.EXTERNAL_ID, name)
                        .where(DIRECTORY_GROUP.ID.eq(id)).execute();
                return Optional.of(id);
            } catch (ConflictException e) {
                // Created by a concurrent sign-in: read it again.
            }
        }
        return Optional.empty();
    }
}
