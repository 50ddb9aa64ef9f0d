package dev.drawbridge.proxy.identity;

import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.DirectoryUserRecord;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.APP_ASSIGNMENT;
import static dev.drawbridge.proxy.store.db.Tables.AUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static dev.drawbridge.proxy.store.db.Tables.GROUP_MEMBER;
import static dev.drawbridge.proxy.store.db.Tables.MFA_CHALLENGE;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;

/** Users, groups, memberships, app assignments and one-time sign-in codes in the database. */
public final class DirectoryStore {
    /** A directory group. */
    public record Group(String id, String name, Optional<String> description, Instant createdAt) {
    }

    /** Who an app is assigned to. */
    public enum PrincipalType { USER, GROUP }

    /** One assignment of an app. */
    public record Assignment(String appId, PrincipalType type, String principalId, Instant createdAt) {
    }

    /**
     * What a redeemed one-time code stands for.
     *
     * @param binding the SHA-256 of the nonce of the browser that started the sign-in (empty for codes from before bindings)
     */
    public record CodeGrant(String userId, String appId, List<String> amr, Instant authTime, String binding) {
    }

    private final DSLContext dsl;

    public DirectoryStore(Database db) {
        this.dsl = db.dsl();
    }

    DSLContext dsl() {
        return dsl;
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    // ---- users ----

    public DirectoryUser createUser(String upn, String displayName, Optional<String> email, Optional<String> department,
                                    Optional<String> passwordHash, Instant now) throws ConflictException {
        try {
            DirectoryUserRecord r = dsl.newRecord(DIRECTORY_USER);
            r.setId(UUID.randomUUID().toString());
            r.setUpn(upn.toLowerCase(Locale.ROOT));
            r.setDisplayName(displayName);
            r.setEmail(email.orElse(null));
            r.setDepartment(department.orElse(null));
            r.setPasswordHash(passwordHash.orElse(null));
            r.setEnabled(true);
            r.setFailedAttempts(0);
            r.setSessionsValidAfter(utc(now.minusSeconds(1)));
            r.setCreatedAt(utc(now));
            r.setUpdatedAt(utc(now));
            r.insert();
            return toUser(r);
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("upn", "a user with the user principal name '" + upn + "' already exists");
        }
    }

    public List<DirectoryUser> users() {
        return dsl.selectFrom(DIRECTORY_USER).orderBy(DIRECTORY_USER.UPN).fetch(DirectoryStore::toUser);
    }

    public Optional<DirectoryUser> user(String id) {
        return dsl.selectFrom(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(id)).fetchOptional(DirectoryStore::toUser);
    }

    public Optional<DirectoryUser> userByUpn(String upn) {
        return dsl.selectFrom(DIRECTORY_USER).where(DIRECTORY_USER.UPN.eq(upn.toLowerCase(Locale.ROOT)))
                .fetchOptional(DirectoryStore::toUser);
    }

    /** Whether anyone could sign in with a password: a user with one, or a user synced from LDAP (checked by a bind). */
    public boolean anyPasswordUser() {
        return dsl.fetchExists(DIRECTORY_USER, DIRECTORY_USER.PASSWORD_HASH.isNotNull().or(DIRECTORY_USER.SOURCE.eq("LDAP")));
    }

    public Optional<String> passwordHash(String userId) {
        return dsl.select(DIRECTORY_USER.PASSWORD_HASH).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId))
                .fetchOptional(DIRECTORY_USER.PASSWORD_HASH);
    }

    public boolean setPassword(String userId, String hash, Instant now) {
        return dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.PASSWORD_HASH, hash).set(DIRECTORY_USER.FAILED_ATTEMPTS, 0)
                .setNull(DIRECTORY_USER.LOCKED_UNTIL).set(DIRECTORY_USER.UPDATED_AT, utc(now))
                .where(DIRECTORY_USER.ID.eq(userId)).execute() > 0;
    }

    /**
     * Every credential of the user issued before {@code instant} stops working at once (sign-out everywhere, admin
     * revocation, disabling): sign-in, app and admin sessions and OAuth access tokens by their auth time (checked on
     * every use against {@code sessions_valid_after}); refresh tokens, one-time codes not redeemed yet and pending
     * second-factor states are deleted outright.
     */
    public boolean revokeSessions(String userId, Instant instant) {
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            int n = t.update(DIRECTORY_USER).set(DIRECTORY_USER.SESSIONS_VALID_AFTER, utc(instant))
                    .where(DIRECTORY_USER.ID.eq(userId)).execute();
            t.deleteFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.USER_ID.eq(userId)).execute();
            t.deleteFrom(OAUTH_CODE).where(OAUTH_CODE.USER_ID.eq(userId)).execute();
            t.deleteFrom(AUTH_CODE).where(AUTH_CODE.USER_ID.eq(userId)).and(AUTH_CODE.USED_AT.isNull()).execute();
            t.deleteFrom(MFA_CHALLENGE).where(MFA_CHALLENGE.USER_ID.eq(userId)).execute();
            return n > 0;
        });
    }

    /**
     * An administrator enables or disables the user. Disabling wins over directory sync (which never re-enables
     * a user an administrator disabled) and revokes every credential at once ({@link #revokeSessions}), so that
     * enabling later does not bring old sessions back. Enabling clears the administrator's decision only: a user
     * disabled in their directory stays disabled until the directory has them again.
     */
    public boolean setEnabled(String userId, boolean enabled, Instant now) {
        if (!enabled) {
            boolean found = dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.DISABLED_BY_ADMIN, true).set(DIRECTORY_USER.ENABLED, false)
                    .set(DIRECTORY_USER.UPDATED_AT, utc(now)).where(DIRECTORY_USER.ID.eq(userId)).execute() > 0;
            return found && revokeSessions(userId, now);
        }
        return dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.DISABLED_BY_ADMIN, false)
                .set(DIRECTORY_USER.ENABLED, DSL.field(DIRECTORY_USER.DISABLED_IN_DIRECTORY.isFalse()))
                .set(DIRECTORY_USER.UPDATED_AT, utc(now)).where(DIRECTORY_USER.ID.eq(userId)).execute() > 0;
    }

    /** Whether an administrator disabled the user (as opposed to their directory). */
    public boolean disabledByAdmin(String userId) {
        return dsl.fetchExists(DIRECTORY_USER, DIRECTORY_USER.ID.eq(userId).and(DIRECTORY_USER.DISABLED_BY_ADMIN.isTrue()));
    }

    public boolean deleteUser(String id) {
        dsl.deleteFrom(APP_ASSIGNMENT).where(APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(PrincipalType.USER.name()))
                .and(APP_ASSIGNMENT.PRINCIPAL_ID.eq(id)).execute();
        return dsl.deleteFrom(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(id)).execute() > 0;
    }

    // ---- synced (LDAP) users and groups ----

    /** The LDAP DN of a synced user, or empty for a local one. */
    public Optional<String> externalId(String userId) {
        return dsl.select(DIRECTORY_USER.EXTERNAL_ID).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId))
                .and(DIRECTORY_USER.SOURCE.eq("LDAP")).fetchOptional(DIRECTORY_USER.EXTERNAL_ID);
    }

    /**
     * Creates or updates the user synced from {@code dn}, without an on-premises identity; returns true if created. A
     * local user with the same UPN is left alone (throws ConflictException).
     */
    public boolean upsertSyncedUser(String dn, String upn, String displayName, Optional<String> email, Optional<String> department,
                                    Instant now) throws ConflictException {
        return upsertSyncedUser(new SyncedUser(dn, upn, displayName, email, department, Optional.empty(), Optional.empty()), now);
    }

    /**
     * Creates or updates the user synced from {@code u.dn()}, with exactly the attributes read (an on-premises name the
     * directory no longer has is cleared); returns true if created. A local user with the same UPN is left alone
     * (throws ConflictException).
     */
    public boolean upsertSyncedUser(SyncedUser u, Instant now) throws ConflictException {
        var existing = dsl.selectFrom(DIRECTORY_USER).where(DIRECTORY_USER.SOURCE.eq("LDAP")).and(DIRECTORY_USER.EXTERNAL_ID.eq(u.dn())).fetchOne();
        if (existing == null) {
            DirectoryUser created = createUser(u.upn(), u.displayName(), u.email(), u.department(), Optional.empty(), now);
            dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.SOURCE, "LDAP").set(DIRECTORY_USER.EXTERNAL_ID, u.dn())
                    .set(DIRECTORY_USER.ONPREM_UPN, u.onPremUpn().orElse(null))
                    .set(DIRECTORY_USER.SAM_ACCOUNT_NAME, u.samAccountName().orElse(null))
                    .where(DIRECTORY_USER.ID.eq(created.id())).execute();
            return true;
        }
        try {
            dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.UPN, u.upn().toLowerCase(Locale.ROOT)).set(DIRECTORY_USER.DISPLAY_NAME, u.displayName())
                    .set(DIRECTORY_USER.EMAIL, u.email().orElse(null)).set(DIRECTORY_USER.DEPARTMENT, u.department().orElse(null))
                    .set(DIRECTORY_USER.ONPREM_UPN, u.onPremUpn().orElse(null))
                    .set(DIRECTORY_USER.SAM_ACCOUNT_NAME, u.samAccountName().orElse(null))
                    // Present in the directory again; an administrator's "disabled" still wins.
                    .set(DIRECTORY_USER.DISABLED_IN_DIRECTORY, false)
                    .set(DIRECTORY_USER.ENABLED, DSL.field(DIRECTORY_USER.DISABLED_BY_ADMIN.isFalse()))
                    .set(DIRECTORY_USER.UPDATED_AT, utc(now)).where(DIRECTORY_USER.ID.eq(existing.getId())).execute();
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("upn", "'" + u.upn() + "' already belongs to another user");
        }
        return false;
    }

    /**
     * Disables synced users whose DN was not seen in the last sync, revoking their credentials; returns how many.
     * Users an administrator disabled are marked too, so that enabling them does not revive someone gone from LDAP.
     * Their on-premises names are cleared: the directory no longer vouches for them, and may give them to someone
     * else (a sync that sees the user again sets them again).
     */
    public int disableSyncedUsersNotIn(Set<String> seenDns, Instant now) {
        var stale = dsl.select(DIRECTORY_USER.ID, DIRECTORY_USER.EXTERNAL_ID).from(DIRECTORY_USER).where(DIRECTORY_USER.SOURCE.eq("LDAP"))
                .and(DIRECTORY_USER.DISABLED_IN_DIRECTORY.isFalse()).fetch().stream().filter(r -> !seenDns.contains(r.value2()))
                .map(r -> r.value1()).toList();
        for (String id : stale) {
            dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.DISABLED_IN_DIRECTORY, true).set(DIRECTORY_USER.ENABLED, false)
                    .setNull(DIRECTORY_USER.ONPREM_UPN).setNull(DIRECTORY_USER.SAM_ACCOUNT_NAME).set(DIRECTORY_USER.UPDATED_AT, utc(now))
                    .where(DIRECTORY_USER.ID.eq(id)).execute();
            revokeSessions(id, now);
        }
        return stale.size();
    }

    /** User ids of synced users by DN. */
    public Map<String, String> syncedUserIdsByDn() {
        return dsl.select(DIRECTORY_USER.EXTERNAL_ID, DIRECTORY_USER.ID).from(DIRECTORY_USER).where(DIRECTORY_USER.SOURCE.eq("LDAP"))
                .fetchMap(DIRECTORY_USER.EXTERNAL_ID, DIRECTORY_USER.ID);
    }

    /** Creates or renames the group synced from {@code dn} and sets its members exactly; returns true if created. */
    public boolean upsertSyncedGroup(String dn, String name, Set<String> memberIds, Instant now) throws ConflictException {
        var existing = dsl.selectFrom(DIRECTORY_GROUP).where(DIRECTORY_GROUP.SOURCE.eq("LDAP")).and(DIRECTORY_GROUP.EXTERNAL_ID.eq(dn)).fetchOne();
        String id;
        boolean created = existing == null;
        if (created) {
            id = createGroup(name, Optional.of("synced from LDAP"), now).id();
            dsl.update(DIRECTORY_GROUP).set(DIRECTORY_GROUP.SOURCE, "LDAP").set(DIRECTORY_GROUP.EXTERNAL_ID, dn)
                    .where(DIRECTORY_GROUP.ID.eq(id)).execute();
        } else {
            id = existing.getId();
            try {
                dsl.update(DIRECTORY_GROUP).set(DIRECTORY_GROUP.NAME, name).where(DIRECTORY_GROUP.ID.eq(id)).execute();
            } catch (IntegrityConstraintViolationException e) {
                throw new ConflictException("name", "a group named '" + name + "' already exists");
            }
        }
        dsl.deleteFrom(GROUP_MEMBER).where(GROUP_MEMBER.GROUP_ID.eq(id)).execute();
        for (String userId : memberIds) {
            addMember(id, userId);
        }
        return created;
    }

    // ---- dynamic groups ----

    /** Sets or clears a group's membership rule (then {@link #refreshDynamicGroups}). */
    public void setRule(String groupId, Optional<String> rule) {
        dsl.update(DIRECTORY_GROUP).set(DIRECTORY_GROUP.MEMBERSHIP_RULE, rule.orElse(null)).where(DIRECTORY_GROUP.ID.eq(groupId)).execute();
    }

    public Optional<String> rule(String groupId) {
        return dsl.select(DIRECTORY_GROUP.MEMBERSHIP_RULE).from(DIRECTORY_GROUP).where(DIRECTORY_GROUP.ID.eq(groupId))
                .fetchOptional(DIRECTORY_GROUP.MEMBERSHIP_RULE);
    }

    /** Recomputes the members of every dynamic group from the users' current attributes. */
    public void refreshDynamicGroups() {
        var rules = dsl.select(DIRECTORY_GROUP.ID, DIRECTORY_GROUP.MEMBERSHIP_RULE).from(DIRECTORY_GROUP)
                .where(DIRECTORY_GROUP.MEMBERSHIP_RULE.isNotNull()).fetch();
        if (rules.isEmpty()) {
            return;
        }
        List<DirectoryUser> all = users();
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            for (var r : rules) {
                MembershipRule rule = MembershipRule.parse(r.value2());
                t.deleteFrom(GROUP_MEMBER).where(GROUP_MEMBER.GROUP_ID.eq(r.value1())).execute();
                for (DirectoryUser u : all) {
                    if (u.enabled() && rule.matches(u)) {
                        t.insertInto(GROUP_MEMBER).set(GROUP_MEMBER.GROUP_ID, r.value1()).set(GROUP_MEMBER.USER_ID, u.id()).execute();
                    }
                }
            }
        });
    }

    // ---- groups ----

    public Group createGroup(String name, Optional<String> description, Instant now) throws ConflictException {
        try {
            var r = dsl.newRecord(DIRECTORY_GROUP);
            r.setId(UUID.randomUUID().toString());
            r.setName(name);
            r.setDescription(description.orElse(null));
            r.setCreatedAt(utc(now));
            r.insert();
            return new Group(r.getId(), r.getName(), description, now);
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("name", "a group named '" + name + "' already exists");
        }
    }

    public List<Group> groups() {
        return dsl.selectFrom(DIRECTORY_GROUP).orderBy(DIRECTORY_GROUP.NAME).fetch(r -> new Group(r.getId(), r.getName(),
                Optional.ofNullable(r.getDescription()), r.getCreatedAt().toInstant()));
    }

    /** By id or exact name. */
    public Optional<Group> group(String idOrName) {
        return groups().stream().filter(g -> g.id().equals(idOrName)).findFirst()
                .or(() -> groups().stream().filter(g -> g.name().equals(idOrName)).findFirst());
    }

    public boolean deleteGroup(String id) {
        dsl.deleteFrom(APP_ASSIGNMENT).where(APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(PrincipalType.GROUP.name()))
                .and(APP_ASSIGNMENT.PRINCIPAL_ID.eq(id)).execute();
        return dsl.deleteFrom(DIRECTORY_GROUP).where(DIRECTORY_GROUP.ID.eq(id)).execute() > 0;
    }

    public void addMember(String groupId, String userId) {
        dsl.insertInto(GROUP_MEMBER).set(GROUP_MEMBER.GROUP_ID, groupId).set(GROUP_MEMBER.USER_ID, userId)
                .onConflictDoNothing().execute();
    }

    public boolean removeMember(String groupId, String userId) {
        return dsl.deleteFrom(GROUP_MEMBER).where(GROUP_MEMBER.GROUP_ID.eq(groupId)).and(GROUP_MEMBER.USER_ID.eq(userId)).execute() > 0;
    }

    public List<DirectoryUser> members(String groupId) {
        return dsl.select(DIRECTORY_USER.fields()).from(DIRECTORY_USER).join(GROUP_MEMBER).on(GROUP_MEMBER.USER_ID.eq(DIRECTORY_USER.ID))
                .where(GROUP_MEMBER.GROUP_ID.eq(groupId)).orderBy(DIRECTORY_USER.UPN)
                .fetch(r -> toUser(r.into(DIRECTORY_USER)));
    }

    public List<Group> groupsOf(String userId) {
        return dsl.select(DIRECTORY_GROUP.fields()).from(DIRECTORY_GROUP).join(GROUP_MEMBER).on(GROUP_MEMBER.GROUP_ID.eq(DIRECTORY_GROUP.ID))
                .where(GROUP_MEMBER.USER_ID.eq(userId)).orderBy(DIRECTORY_GROUP.NAME)
                .fetch(r -> new Group(r.get(DIRECTORY_GROUP.ID), r.get(DIRECTORY_GROUP.NAME),
                        Optional.ofNullable(r.get(DIRECTORY_GROUP.DESCRIPTION)), r.get(DIRECTORY_GROUP.CREATED_AT).toInstant()));
    }

    // ---- assignments ----

    public void assign(String appId, PrincipalType type, String principalId, Instant now) {
        dsl.insertInto(APP_ASSIGNMENT).set(APP_ASSIGNMENT.APP_ID, appId).set(APP_ASSIGNMENT.PRINCIPAL_TYPE, type.name())
                .set(APP_ASSIGNMENT.PRINCIPAL_ID, principalId).set(APP_ASSIGNMENT.CREATED_AT, utc(now))
                .onConflictDoNothing().execute();
    }

    public boolean unassign(String appId, PrincipalType type, String principalId) {
        return dsl.deleteFrom(APP_ASSIGNMENT).where(APP_ASSIGNMENT.APP_ID.eq(appId))
                .and(APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(type.name())).and(APP_ASSIGNMENT.PRINCIPAL_ID.eq(principalId)).execute() > 0;
    }

    public List<Assignment> assignments(String appId) {
        return dsl.selectFrom(APP_ASSIGNMENT).where(APP_ASSIGNMENT.APP_ID.eq(appId)).orderBy(APP_ASSIGNMENT.CREATED_AT)
                .fetch(r -> new Assignment(r.getAppId(), PrincipalType.valueOf(r.getPrincipalType()), r.getPrincipalId(),
                        r.getCreatedAt().toInstant()));
    }

    /** Assigned directly, or through any group the user belongs to. */
    public boolean isAssigned(String appId, String userId) {
        return dsl.fetchExists(dsl.selectOne().from(APP_ASSIGNMENT).where(APP_ASSIGNMENT.APP_ID.eq(appId)).and(
                APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(PrincipalType.USER.name()).and(APP_ASSIGNMENT.PRINCIPAL_ID.eq(userId))
                        .or(APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(PrincipalType.GROUP.name()).and(APP_ASSIGNMENT.PRINCIPAL_ID.in(
                                DSL.select(GROUP_MEMBER.GROUP_ID).from(GROUP_MEMBER).where(GROUP_MEMBER.USER_ID.eq(userId)))))));
    }

    // ---- one-time codes ----

    /** Stores a one-time code (by its hash) bound to the browser that started the sign-in ({@code binding}). */
    public void insertCode(String codeHash, String userId, String appId, List<String> amr, Instant authTime, Instant expiresAt,
                           String binding) {
        dsl.insertInto(AUTH_CODE).set(AUTH_CODE.CODE_HASH, codeHash).set(AUTH_CODE.USER_ID, userId).set(AUTH_CODE.APP_ID, appId)
                .set(AUTH_CODE.AMR, String.join(" ", amr)).set(AUTH_CODE.AUTH_TIME, utc(authTime))
                .set(AUTH_CODE.EXPIRES_AT, utc(expiresAt)).set(AUTH_CODE.BROWSER_BINDING, binding).execute();
    }

    /** Redeems a code once: unknown, used or expired codes give nothing. Old codes are purged as a side effect. */
    public Optional<CodeGrant> redeemCode(String codeHash, Instant now) {
        dsl.deleteFrom(AUTH_CODE).where(AUTH_CODE.EXPIRES_AT.lt(utc(now.minusSeconds(3600)))).execute();
        var r = dsl.selectFrom(AUTH_CODE).where(AUTH_CODE.CODE_HASH.eq(codeHash)).fetchOne();
        if (r == null || r.getUsedAt() != null || !r.getExpiresAt().toInstant().isAfter(now)) {
            return Optional.empty();
        }
        int n = dsl.update(AUTH_CODE).set(AUTH_CODE.USED_AT, utc(now)).where(AUTH_CODE.CODE_HASH.eq(codeHash))
                .and(AUTH_CODE.USED_AT.isNull()).execute();
        return n == 1 ? Optional.of(new CodeGrant(r.getUserId(), r.getAppId(), List.of(r.getAmr().split(" ")),
                r.getAuthTime().toInstant(), r.getBrowserBinding())) : Optional.empty();
    }

    static DirectoryUser toUser(DirectoryUserRecord r) {
        return new DirectoryUser(r.getId(), r.getUpn(), r.getDisplayName(), Optional.ofNullable(r.getEmail()),
                Optional.ofNullable(r.getDepartment()), r.getEnabled(), r.getPasswordHash() != null, r.getFailedAttempts(),
                Optional.ofNullable(r.getLockedUntil()).map(OffsetDateTime::toInstant), r.getSessionsValidAfter().toInstant(),
                r.getCreatedAt().toInstant(), Optional.ofNullable(r.getOnpremUpn()), Optional.ofNullable(r.getSamAccountName()));
    }
}
