package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;

import java.util.List;

/** What authorization reads from the directory: app assignments and group memberships. */
public interface Assignments {
    /** Assigned directly, or through any group the user belongs to. */
    boolean isAssigned(String appId, String userId);

    List<DirectoryStore.Group> groupsOf(String userId);

    /**
     * Whether {@code userId} may use {@code app}: assigned to it (directly or through a group) when it requires
     * assignment. The one check of the edge ({@link AuthorizationHandler}), the SAML identity provider and the single
     * sign-on preview.
     */
    default boolean lets(PublishedApp app, String userId) {
        return !app.access().assignmentRequired() || isAssigned(app.id(), userId);
    }

    static Assignments of(DirectoryStore store) {
        return new Assignments() {
            @Override
            public boolean isAssigned(String appId, String userId) {
                return store.isAssigned(appId, userId);
            }

            @Override
            public List<DirectoryStore.Group> groupsOf(String userId) {
                return store.groupsOf(userId);
            }
        };
    }
}
