package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.identity.DirectoryBatch;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link LiveSessions} recheck reads from the directory, for all open leases at once: a handful of batched
 * queries whatever the number of leases (chunked by {@link DirectoryBatch#BATCH}), never one per lease.
 */
@FunctionalInterface
public interface LiveDirectory {
    /** The users {@code userIds} (the missing ones are gone), their groups, and which of them are assigned to {@code appIds}. */
    Snapshot read(Set<String> userIds, Set<String> appIds);

    /**
     * The directory as it stood at one recheck; it answers {@link AccessCheck} like the live directory would.
     *
     * @param users    the users that still exist, by id
     * @param groups   each user's groups (direct, dynamic and synced memberships alike), by user id
     * @param assigned "appId userId" for each user assigned to each app, directly or through a group
     */
    record Snapshot(Map<String, DirectoryUser> users, Map<String, List<DirectoryStore.Group>> groups, Set<String> assigned)
            implements Assignments {
        public Snapshot {
            users = Map.copyOf(users);
            groups = Map.copyOf(groups);
            assigned = Set.copyOf(assigned);
        }

        /** The key of {@code assigned}. */
        public static String pair(String appId, String userId) {
            return Objects.requireNonNull(appId) + " " + Objects.requireNonNull(userId);
        }

        public Optional<DirectoryUser> user(String id) {
            return Optional.ofNullable(users.get(id));
        }

        @Override
        public boolean isAssigned(String appId, String userId) {
            return assigned.contains(pair(appId, userId));
        }

        @Override
        public List<DirectoryStore.Group> groupsOf(String userId) {
            return groups.getOrDefault(userId, List.of());
        }
    }

    /** The directory in the database. */
    static LiveDirectory of(DirectoryStore store) {
        DirectoryBatch batch = new DirectoryBatch(store);
        return (userIds, appIds) -> new Snapshot(batch.users(userIds), batch.groupsOf(userIds), batch.assignedPairs(appIds, userIds));
    }
}
