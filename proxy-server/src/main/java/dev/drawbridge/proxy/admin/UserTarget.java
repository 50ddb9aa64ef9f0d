package dev.drawbridge.proxy.admin;

import java.util.function.Function;

/**
 * Where an admin API operation finds the directory user it changes, if any. Declared per operation in
 * {@link AdminRoutes}; {@link UserGuard} resolves it and authorizes the caller against it before the operation runs.
 */
public sealed interface UserTarget {
    /** The operation changes no existing user. */
    UserTarget NONE = new None();

    /** Not a user-changing operation. */
    record None() implements UserTarget {
    }

    /**
     * The user whose id is path segment {@code segment} (0-based, under {@code /api/v1/}).
     */
    record InPath(UserOperation operation, int segment) implements UserTarget {
        public InPath {
            if (operation == null || segment < 0) {
                throw new IllegalArgumentException("a user target needs an operation and a segment");
            }
        }
    }

    /**
     * The user named (by id or user principal name) in the JSON body, which is of the route's request type.
     *
     * @param key reads the user's id or UPN from the parsed body
     */
    record InBody(UserOperation operation, Function<Object, String> key) implements UserTarget {
        public InBody {
            if (operation == null || key == null) {
                throw new IllegalArgumentException("a user target needs an operation and a body key");
            }
        }
    }
}
