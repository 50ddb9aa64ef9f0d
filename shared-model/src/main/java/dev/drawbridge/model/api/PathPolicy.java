package dev.drawbridge.model.api;

import java.util.List;

/**
 * A rule for the requests under one path of an app ({@code /admin} covers {@code /admin} and {@code /admin/x}, never
 * {@code /administrator}); the most specific rule a path is under applies, the app's own settings where none does. A
 * rule replaces the app's pre-authentication and narrows who may use the path, or adds conditional access policies; on
 * a pre-authenticated app it may also open a path to everyone ({@code PASSTHROUGH}).
 *
 * @param path              the path relative to the app's external URL, starting with '/', in its plain spelling (no
 *                          percent-encoding, parameters or dot segments), e.g. {@code /admin}
 * @param preAuthentication PASSTHROUGH (anyone, no sign-in) or DIRECTORY; null: the app's
 * @param users             who may use the path besides the app's assignment: user ids or UPNs, group ids or names (stored
 *                          as ids); empty or null: whoever may use the app
 * @param policies          ids of conditional access policies that apply to the path whatever apps they name, besides the
 *                          app's own; empty or null: the app's alone
 */
public record PathPolicy(String path, PreAuthentication preAuthentication, List<String> users, List<String> policies) {
    public PathPolicy {
        users = users == null ? List.of() : List.copyOf(users);
        policies = policies == null ? List.of() : List.copyOf(policies);
    }
}
