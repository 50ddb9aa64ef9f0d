package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

import static dev.drawbridge.proxy.store.db.Tables.ADMIN_ROLE_ASSIGNMENT;

/** Which directory users hold which admin roles. */
public final class AdminRoleStore {
    private final DSLContext dsl;

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

    /** Replaces the user's roles. */
    public void setRoles(String userId, Collection<AdminRole> roles, Instant now) {
        dsl.transaction(tx -> {
            tx.dsl().deleteFrom(ADMIN_ROLE_ASSIGNMENT).where(ADMIN_ROLE_ASSIGNMENT.USER_ID.eq(userId)).execute();
            for (AdminRole r : EnumSet.copyOf(roles.isEmpty() ? EnumSet.noneOf(AdminRole.class) : EnumSet.copyOf(roles))) {
                tx.dsl().insertInto(ADMIN_ROLE_ASSIGNMENT).set(ADMIN_ROLE_ASSIGNMENT.USER_ID, userId)
                        .set(ADMIN_ROLE_ASSIGNMENT.ROLE, r.name()).set(ADMIN_ROLE_ASSIGNMENT.ASSIGNED_AT, now.atOffset(ZoneOffset.UTC)).execute();
            }
        });
    }
}
