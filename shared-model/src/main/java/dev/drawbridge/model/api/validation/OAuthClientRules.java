package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.Problem.FieldError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A native OAuth client's registration, as far as it can be checked without the server: a client id of RFC 3986
 * unreserved characters, a display name, 1 to {@value RedirectUris#MAX_PER_CLIENT} distinct {@linkplain RedirectUris
 * redirect URIs}, grants that include the authorization code, an app list that is given ({@code []} for any app: never
 * implied by its absence) of ids that are not blank. The server also checks that new apps exist and that no other client
 * has the id in any letter case.
 */
public final class OAuthClientRules {
    /** The longest client id. */
    public static final int MAX_CLIENT_ID = 100;
    /** How many apps one client may be limited to. */
    public static final int MAX_APPS = 100;
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_CLIENT_ID + "}");

    private OAuthClientRules() {
    }

    /** Whether {@code id} can be a client id: 1 to 100 of {@code A-Z a-z 0-9 . _ ~ -}. */
    public static boolean isClientId(String id) {
        return id != null && CLIENT_ID.matcher(id).matches();
    }

    /**
     * Every problem, each naming its field; empty when these rules hold.
     *
     * @param idRequired false on create, where an absent client id is made up by the server
     */
    public static List<FieldError> check(OAuthClientSpec in, boolean idRequired) {
        List<FieldError> errors = new ArrayList<>();
        if (in.clientId() != null || idRequired) {
            if (!isClientId(in.clientId())) {
                errors.add(new FieldError("clientId", "clientId must be 1 to " + MAX_CLIENT_ID
                        + " letters, digits, '.', '_', '~' or '-' (the client_id the app sends), e.g. com.example.cli"));
            }
        }
        Names.required("displayName", in.displayName(), Names.MAX).ifPresent(errors::add);
        if (in.redirectUris().isEmpty() || in.redirectUris().size() > RedirectUris.MAX_PER_CLIENT) {
            errors.add(new FieldError("redirectUris", "redirectUris needs 1 to " + RedirectUris.MAX_PER_CLIENT + " redirect URIs; "
                    + RedirectUris.FORMS));
        }
        Set<String> seen = new HashSet<>();
        for (String uri : in.redirectUris()) {
            RedirectUris.problem(uri).ifPresent(p -> errors.add(new FieldError("redirectUris", p)));
            if (uri != null && !seen.add(uri)) {
                errors.add(new FieldError("redirectUris", "redirect URI '" + uri + "' is listed twice"));
            }
        }
        if (in.grants().stream().anyMatch(Objects::isNull) || !in.grants().contains(OAuthGrant.AUTHORIZATION_CODE)) {
            errors.add(new FieldError("grants", "grants must include AUTHORIZATION_CODE (and REFRESH_TOKEN for refresh tokens)"));
        } else if (new HashSet<>(in.grants()).size() != in.grants().size()) {
            errors.add(new FieldError("grants", "each grant is listed once"));
        }
        if (in.appIds() == null) {
            errors.add(new FieldError("appIds", "appIds is required: list the apps, or [] for any app"));
            return errors;
        }
        if (in.appIds().size() > MAX_APPS) {
            errors.add(new FieldError("appIds", "appIds lists at most " + MAX_APPS + " apps ([]: any app)"));
        }
        if (in.appIds().stream().anyMatch(a -> a == null || a.isBlank())) {
            errors.add(new FieldError("appIds", "appIds must name apps by id ([]: any app)"));
        } else if (new HashSet<>(in.appIds()).size() != in.appIds().size()) {
            errors.add(new FieldError("appIds", "each app is listed once"));
        }
        return errors;
    }
}
