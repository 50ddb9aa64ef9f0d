package dev.drawbridge.model.api.validation;

import java.util.regex.Pattern;

/** Names an OpenID Connect provider's settings carry: claim names and scopes. */
public final class OidcNames {
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    /** RFC 6749 scope-token: printable ASCII but space, {@code "} and {@code \}. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    private OidcNames() {
    }

    /** A claim name such as {@code email}, {@code preferred_username} or {@code groups}. */
    public static boolean isClaim(String name) {
        return name != null && CLAIM.matcher(name).matches();
    }

    /** An RFC 6749 scope token, such as {@code openid} or {@code api://hr/read}. */
    public static boolean isScope(String scope) {
        return scope != null && SCOPE.matcher(scope).matches();
    }
}
