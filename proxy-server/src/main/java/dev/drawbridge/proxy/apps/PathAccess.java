package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.edge.RequestAttribute;
import org.eclipse.jetty.server.Request;

import java.util.Objects;
import java.util.Set;

/**
 * What applies to a request under a path of its app ({@link PathRules}): the pre-authentication, who may use the path
 * besides the app's assignment ({@code users}: user and group ids; empty: whoever may use the app) and the conditional
 * access policies that apply besides the app's ({@code policies}: ids). {@code rule} is the rule's path, empty for the
 * app's own settings. A passthrough path names no one and no policy: nobody is signed in to check.
 */
public record PathAccess(String rule, PreAuthentication preAuthentication, Set<String> users, Set<String> policies) {
    public static final RequestAttribute<PathAccess> ATTRIBUTE = RequestAttribute.of(PathAccess.class);

    public PathAccess {
        Objects.requireNonNull(rule);
        Objects.requireNonNull(preAuthentication);
        users = preAuthentication == PreAuthentication.PASSTHROUGH ? Set.of() : Set.copyOf(users);
        policies = preAuthentication == PreAuthentication.PASSTHROUGH ? Set.of() : Set.copyOf(policies);
    }

    /** The app's own settings: its pre-authentication, its assignment, its policies. */
    public static PathAccess of(PublishedApp app) {
        return new PathAccess("", app.preAuthentication(), Set.of(), Set.of());
    }

    /** What applies to {@code request}: what path policy decided, or the app's own settings where nothing did. */
    public static PathAccess of(Request request, PublishedApp app) {
        return ATTRIBUTE.find(request).orElseGet(() -> of(app));
    }

    /**
     * Whether everyone this lets in is let in by {@code other} too: {@code other} lets anyone in, or this needs sign-in as
     * well, names a subset of {@code other}'s users (or {@code other} names none), and applies every policy of {@code other}.
     */
    public boolean atLeastAsStrictAs(PathAccess other) {
        if (other.preAuthentication == PreAuthentication.PASSTHROUGH) {
            return true;
        }
        if (preAuthentication == PreAuthentication.PASSTHROUGH) {
            return false;
        }
        boolean narrower = other.users.isEmpty() || (!users.isEmpty() && other.users.containsAll(users));
        return narrower && policies.containsAll(other.policies);
    }

    /** Whether the path lets a signed-in user with these groups in (the app's assignment is checked besides). */
    public boolean lets(String userId, Set<String> groupIds) {
        return users.isEmpty() || users.contains(userId) || groupIds.stream().anyMatch(users::contains);
    }
}
