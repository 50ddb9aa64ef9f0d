package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * The issuer URL of an external OpenID Connect provider: absolute https (http only for a {@linkplain LoopbackHosts
 * loopback} host, a provider on the same machine), with a host, without query, fragment or user info, at most 2000
 * characters.
 */
public final class Issuers {
    static final String HINT = "issuer must be the provider's https URL, e.g. https://idp.corp.example/realms/corp";

    private Issuers() {
    }

    /** The issuer, stripped; or nothing, with one field error on {@code issuer} added to {@code errors}. */
    public static Optional<URI> parse(String value, List<FieldError> errors) {
        if (value == null || value.isBlank() || value.length() > 2000) {
            errors.add(new FieldError("issuer", HINT));
            return Optional.empty();
        }
        try {
            URI u = new URI(value.strip());
            boolean https = "https".equals(u.getScheme());
            boolean loopbackHttp = "http".equals(u.getScheme()) && u.getHost() != null && LoopbackHosts.isLoopback(u.getHost());
            if (!u.isAbsolute() || u.getHost() == null || !(https || loopbackHttp) || u.getRawQuery() != null
                    || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                errors.add(new FieldError("issuer", HINT + " (http only for a loopback address; no query, fragment or user info)"));
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (URISyntaxException e) {
            errors.add(new FieldError("issuer", HINT));
            return Optional.empty();
        }
    }
}
