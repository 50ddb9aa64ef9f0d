package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

import static dev.drawbridge.proxy.store.db.Tables.ADMIN_CHANGE_LOCK;
import static dev.drawbridge.proxy.store.db.Tables.ADMIN_ROLE_ASSIGNMENT;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;

/** Which directory users hold which admin roles. */
public final class AdminRoleStore {
    private final DSLContext dsl;

    /** A role change that would leave no enabled global administrator; nothing was changed. */
    public static final class LastGlobalAdministratorException extends Exception {
        LastGlobalAdministratorException() {
            super("this would leave no enabled global administrator");
        }
    }

    public AdminRoleStore(Database db) {
        this.dsl = db.dsl();
    }

    /** The user's roles, in declaration order; unknown stored names (from a newer version) are ignored. */
    public List<AdminRole> roles(String userId) {
        EnumSet<AdminRole> roles = EnumSet.noneOf(AdminRole.class);
        dsl.select(ADMIN_ROLE_ASSIGNMENT.ROLE).from(ADMIN_ROLE_ASSIGNMENT).where(ADMIN_ROLE_ASSIGNMENT.USER_ID.eq(userId))
                .fetch(ADMIN_ROLE_ASSIGNMENT.ROLE).forEach(name -> {
                    try {
                        roles.add(AdminRole.valueOf(name));
                    } catch (IllegalArgumentException ignored) {
                        // a role this version does not know grants nothing
                    }
                });
        return List.copyOf(roles);
    }

    /** The ids of the enabled directory users holding {@code role}. */
    public List<String> enabledHolders(AdminRole role) {
        return enabledHolders(dsl, role);
    }

    private static List<String> enabledHolders(DSLContext dsl, AdminRole role) {
        return dsl.select(ADMIN_ROLE_ASSIGNMENT.USER_ID).from(ADMIN_ROLE_ASSIGNMENT)
                .join(DIRECTORY_USER).on(DIRECTORY_USER.ID.eq(ADMIN_ROLE_ASSIGNMENT.USER_ID))
                .where(ADMIN_ROLE_ASSIGNMENT.ROLE.eq(role.name()).and(DIRECTORY_USER.ENABLED.isTrue()))
                .fetch(ADMIN_ROLE_ASSIGNMENT.USER_ID);
    }

    /** Work done while holding the cluster's lock of global-administrator changes ({@link #exclusively}). */
    @FunctionalInterface
    public interface Exclusive {
        void run() throws Exception;
    }

    /** Carries what the exclusive work threw through jOOQ's transaction, which wraps checked exceptions. */
    private static final class Thrown extends RuntimeException {
        Thrown(Exception cause) {
            super(cause);
        }
    }

    /**
     * Runs {@code work} while holding the one lock, for the whole cluster, of changes that may take a global
     * administrator away: the row of {@code admin_change_lock}, locked for update in a transaction of its own from
     * before {@code work} checks until after it changed. {@code work} uses its own connections (its changes commit
     * as it makes them), so whichever change on another node waits for the lock sees them when it checks.
     */
    public void exclusively(Exclusive work) throws Exception {
        try {
            dsl.transaction(tx -> {
                tx.dsl().select(ADMIN_CHANGE_LOCK.ID).from(ADMIN_CHANGE_LOCK).forUpdate().fetch();
                try {
                    work.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Thrown(e);
                }
            });
        } catch (Thrown t) {
            throw (Exception) t.getCause();
        }
    }

    /** Replaces the user's roles. */
    public void setRoles(String userId, Collection<AdminRole> roles, Instant now) {
        dsl.transaction(tx -> replace(tx.dsl(), userId, roles, now));
    }

    /**
     * Replaces the user's roles unless that would leave no enabled global administrator. The global administrators'
     * assignments are locked first, so two nodes demoting the last two at once cannot both succeed.
     */
    public void setRolesKeepingAGlobalAdministrator(String userId, Collection<AdminRole> roles, Instant now)
            throws LastGlobalAdministratorException {
        try {
            dsl.transaction(tx -> {
                DSLContext t = tx.dsl();
                t.select(ADMIN_ROLE_ASSIGNMENT.USER_ID).from(ADMIN_ROLE_ASSIGNMENT)
                        .where(ADMIN_ROLE_ASSIGNMENT.ROLE.eq(AdminRole.GLOBAL_ADMINISTRATOR.name())).forUpdate().fetch();
                boolean hadOne = !enabledHolders(t, AdminRole.GLOBAL_ADMINISTRATOR).isEmpty();
                replace(t, userId, roles, now);
                if (hadOne && enabledHolders(t, AdminRole.GLOBAL_ADMINISTRATOR).isEmpty()) {
                    throw new LastGlobalAdministratorException();
                }
            });
        } catch (DataAccessException e) {
            if (e.getCause() instanceof LastGlobalAdministratorException last) {
                throw last;
            }
            throw e;
        }
    }

    private static void replace(DSLContext tx, String userId, Collection<AdminRole> roles, Instant now) {
        tx.deleteFrom(ADMIN_ROLE_ASSIGNMENT).where(ADMIN_ROLE_ASSIGNMENT.USER_ID.eq(userId)).execute();
        EnumSet<AdminRole> set = roles.isEmpty() ? EnumSet.noneOf(AdminRole.class) : EnumSet.copyOf(roles);
        for (AdminRole r : set) {
            tx.insertInto(ADMIN_ROLE_ASSIGNMENT).set(ADMIN_ROLE_ASSIGNMENT.USER_ID, userId)
                    .set(ADMIN_ROLE_ASSIGNMENT.ROLE, r.name()).set(ADMIN_ROLE_ASSIGNMENT.ASSIGNED_AT, now.atOffset(ZoneOffset.UTC)).execute();
        }
    }
}
