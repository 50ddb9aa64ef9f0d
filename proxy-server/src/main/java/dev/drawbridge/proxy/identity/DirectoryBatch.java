package dev.drawbridge.proxy.identity;

import org.jooq.DSLContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static dev.drawbridge.proxy.store.db.Tables.APP_ASSIGNMENT;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static dev.drawbridge.proxy.store.db.Tables.GROUP_MEMBER;

/**
 * The directory read for many users at once (the live-connection recheck): users, their groups and their assignments in
 * one query each per {@link #BATCH} users, whatever the number of users; group memberships are read from the member
 * table, where direct, dynamic and synced memberships all are.
 */
public final class DirectoryBatch {
    /** The most ids one query names. */
    public static final int BATCH = 500;
    private final DSLContext dsl;

    public DirectoryBatch(DirectoryStore store) {
        this.dsl = store.dsl();
    }

    /** The users of {@code ids} that exist, by id. */
    public Map<String, DirectoryUser> users(Collection<String> ids) {
        Map<String, DirectoryUser> users = new HashMap<>();
        chunks(ids, chunk -> dsl.selectFrom(DIRECTORY_USER).where(DIRECTORY_USER.ID.in(chunk))
                .forEach(r -> users.put(r.getId(), DirectoryStore.toUser(r))));
        return users;
    }

    /** The groups of each of {@code userIds} that belongs to any, by user id, ordered by name. */
    public Map<String, List<DirectoryStore.Group>> groupsOf(Collection<String> userIds) {
        Map<String, List<DirectoryStore.Group>> groups = new HashMap<>();
        chunks(userIds, chunk -> dsl.select(GROUP_MEMBER.USER_ID).select(DIRECTORY_GROUP.fields()).from(DIRECTORY_GROUP)
                .join(GROUP_MEMBER).on(GROUP_MEMBER.GROUP_ID.eq(DIRECTORY_GROUP.ID)).where(GROUP_MEMBER.USER_ID.in(chunk))
                .orderBy(DIRECTORY_GROUP.NAME)
                .forEach(r -> groups.computeIfAbsent(r.get(GROUP_MEMBER.USER_ID), k -> new ArrayList<>())
                        .add(new DirectoryStore.Group(r.get(DIRECTORY_GROUP.ID), r.get(DIRECTORY_GROUP.NAME),
                                Optional.ofNullable(r.get(DIRECTORY_GROUP.DESCRIPTION)), r.get(DIRECTORY_GROUP.CREATED_AT).toInstant()))));
        return groups;
    }

    /**
     * Which of {@code userIds} are assigned to which of {@code appIds}, directly or through a group, as
     * "appId userId" pairs.
     */
    public Set<String> assignedPairs(Collection<String> appIds, Collection<String> userIds) {
        Set<String> pairs = new HashSet<>();
        if (appIds.isEmpty()) {
            return pairs;
        }
        List<String> apps = List.copyOf(appIds);
        chunks(userIds, chunk -> {
            dsl.select(APP_ASSIGNMENT.APP_ID, APP_ASSIGNMENT.PRINCIPAL_ID).from(APP_ASSIGNMENT).where(APP_ASSIGNMENT.APP_ID.in(apps))
                    .and(APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(DirectoryStore.PrincipalType.USER.name())).and(APP_ASSIGNMENT.PRINCIPAL_ID.in(chunk))
                    .forEach(r -> pairs.add(r.value1() + " " + r.value2()));
            dsl.select(APP_ASSIGNMENT.APP_ID, GROUP_MEMBER.USER_ID).from(APP_ASSIGNMENT).join(GROUP_MEMBER)
                    .on(GROUP_MEMBER.GROUP_ID.eq(APP_ASSIGNMENT.PRINCIPAL_ID))
                    .where(APP_ASSIGNMENT.APP_ID.in(apps)).and(APP_ASSIGNMENT.PRINCIPAL_TYPE.eq(DirectoryStore.PrincipalType.GROUP.name()))
                    .and(GROUP_MEMBER.USER_ID.in(chunk))
                    .forEach(r -> pairs.add(r.value1() + " " + r.value2()));
        });
        return pairs;
    }

    private static void chunks(Collection<String> ids, Consumer<List<String>> query) {
        List<String> all = List.copyOf(new HashSet<>(ids));
        for (int i = 0; i < all.size(); i += BATCH) {
            query.accept(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
    }
}
