package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.Mfa;
import dev.drawbridge.proxy.web.ValidationException;

import java.time.Clock;
import java.util.Optional;

/**
 * The directory as the admin API shows it (users, groups, app assignments) and finds it (a user named by id or user
 * principal name), for every resource that answers or names directory objects.
 */
public final class DirectoryViews {
    private final DirectoryStore store;
    private final Mfa mfa;
    private final Clock clock;

    public DirectoryViews(DirectoryStore store, Mfa mfa, Clock clock) {
        this.store = store;
        this.mfa = mfa;
        this.clock = clock;
    }

    public DirectoryStore store() {
        return store;
    }

    /** A user by id or user principal name, as every admin API operation that names a user resolves it. */
    public static Optional<DirectoryUser> lookup(DirectoryStore store, String idOrUpn) {
        String key = idOrUpn == null ? "" : idOrUpn.strip();
        return store.user(key).or(() -> store.userByUpn(key));
    }

    /** The user a body field names (id or UPN); a 400 on {@code field} when there is none. */
    public DirectoryUser named(String idOrUpn, String field) throws ValidationException {
        return lookup(store, idOrUpn).orElseThrow(() -> new ValidationException(field, "no user with id or UPN '"
                + (idOrUpn == null ? "" : idOrUpn.strip()) + "'"));
    }

    public UserView user(DirectoryUser u) {
        return new UserView(u.id(), u.upn(), u.displayName(), u.email().orElse(null), u.department().orElse(null), u.enabled(),
                u.hasPassword(), mfa.isEnrolled(u.id()), u.lockedUntil().filter(t -> t.isAfter(clock.instant())).orElse(null),
                store.groupsOf(u.id()).stream().map(DirectoryStore.Group::name).toList(), u.createdAt(), u.onPremUpn().orElse(null),
                u.samAccountName().orElse(null));
    }

    public GroupView group(DirectoryStore.Group g) {
        return new GroupView(g.id(), g.name(), g.description().orElse(null), store.rule(g.id()).orElse(null), store.members(g.id()).size(),
                g.createdAt());
    }

    public AssignmentView assignment(DirectoryStore.Assignment a) {
        String name = a.type() == DirectoryStore.PrincipalType.USER
                ? store.user(a.principalId()).map(DirectoryUser::upn).orElse("?")
                : store.group(a.principalId()).map(DirectoryStore.Group::name).orElse("?");
        return new AssignmentView(a.appId(), a.type().name(), a.principalId(), name, a.createdAt());
    }
}
