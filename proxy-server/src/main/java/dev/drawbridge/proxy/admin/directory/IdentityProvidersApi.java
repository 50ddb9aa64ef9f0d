package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;
import dev.drawbridge.model.api.validation.Issuers;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.model.api.validation.OidcNames;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.federation.Federation;
import dev.drawbridge.proxy.federation.OidcProvider;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /identity-providers/oidc} of the admin API: the external OpenID Connect provider users may
 * sign in with. GET shows it (the client secret as {@code ********}, plus the redirect URI to
 * register at the provider), PUT sets it, DELETE removes it. Every change is audit-logged without the secret.
 * The secret is write-only and follows its destination: a PUT that changes the issuer or the client id must
 * carry it again (400 naming {@code clientSecret}), so that nobody with write access can point the provider at
 * a server of theirs and have the stored secret sent there. {@code POST /identity-providers/oidc/groups} creates
 * a group the provider owns (the only kind its groups claim joins).
 */
public final class IdentityProvidersApi {
    static final String MASK = "********";

    private final Federation federation;
    private final AuditLog audit;

    public IdentityProvidersApi(Federation federation, AuditLog audit) {
        this.federation = federation;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(federation.provider().map(this::view).orElseThrow(ApiException::notFound));
    }

    public Answer put(Caller caller, AdminRequest request) throws ValidationException, IOException {
        Optional<OidcProvider> before = federation.provider();
        OidcProviderSettings in = request.body(OidcProviderSettings.class);
        OidcProvider saved = validate(in, before);
        federation.save(saved, secretEntered(in));
        audit.record(caller.subject(), before.isEmpty() ? "identity-provider.create" : "identity-provider.update",
                "identity-provider", "oidc", before.map(this::view).orElse(null), view(saved));
        return Answer.ok(view(saved));
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        OidcProvider before = federation.provider().orElseThrow(ApiException::notFound);
        federation.delete();
        audit.record(caller.subject(), "identity-provider.delete", "identity-provider", "oidc", view(before), null);
        return Answer.noContent();
    }

    /** {@code POST /identity-providers/oidc/groups}: a group owned by the provider, for one value of its groups claim. */
    public Answer createGroup(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        ProviderGroupBody body = request.body(ProviderGroupBody.class);
        String name = body.name() == null ? "" : body.name().strip();
        String claim = body.claim() == null || body.claim().isBlank() ? name : body.claim().strip();
        if (name.isEmpty() || name.length() > Names.MAX || claim.length() > Names.MAX) {
            throw new ValidationException("name", "name is required (1 to 200 characters); claim, the groups-claim value, defaults to it");
        }
        String id = federation.createGroup(name, claim).orElseThrow(() -> new ApiException(409, "Not configured",
                "configure the identity provider first (PUT /api/v1/identity-providers/oidc)"));
        ProviderGroupView created = new ProviderGroupView(id, name, claim);
        audit.record(caller.subject(), "group.create", "group", id, null, created);
        return Answer.created(created);
    }

    private OidcProviderSettings view(OidcProvider p) {
        return new OidcProviderSettings(p.issuer().toString(), p.clientId(), MASK, p.displayName(), p.scopes(), p.usernameClaim(),
                p.groupsClaim().isEmpty() ? null : p.groupsClaim(), p.jitProvisioning(), federation.redirectUri().toString(),
                p.linkByVerifiedEmail());
    }

    /** Every problem at once, each naming its field. */
    static OidcProvider validate(OidcProviderSettings in, Optional<OidcProvider> stored) throws ValidationException {
        List<Problem.FieldError> errors = new ArrayList<>();
        URI issuer = Issuers.parse(in.issuer(), errors).orElse(null);
        Names.required("clientId", in.clientId(), 500, ": the client registered at the provider").ifPresent(errors::add);
        // The stored secret only ever goes where it was entered for: a new issuer or client id needs it again.
        boolean destinationChanged = stored.isPresent() && (issuer != null && !issuer.equals(stored.get().issuer())
                || in.clientId() != null && !in.clientId().strip().equals(stored.get().clientId()));
        String secret = secretEntered(in) ? in.clientSecret() : destinationChanged ? null : stored.map(OidcProvider::clientSecret).orElse(null);
        if (!secretEntered(in) && destinationChanged) {
            errors.add(new Problem.FieldError("clientSecret", "clientSecret must be entered again when the issuer or clientId changes: "
                    + "the stored secret is only sent to the provider it was entered for"));
        } else if (secret == null || secret.isEmpty() || secret.length() > 1000) {
            errors.add(new Problem.FieldError("clientSecret", "clientSecret is required (1 to 1000 characters)"));
        }
        Names.required("displayName", in.displayName(), 100, ", e.g. Contoso ID").ifPresent(errors::add);
        Set<String> scopes = new LinkedHashSet<>(List.of("openid"));
        scopes.addAll(in.scopes().isEmpty() ? List.of("profile", "email") : in.scopes());
        for (String s : scopes) {
            if (!OidcNames.isScope(s)) {
                errors.add(new Problem.FieldError("scopes", "'" + s + "' is not a scope (no spaces, quotes or backslashes)"));
            }
        }
        String username = in.usernameClaim() == null || in.usernameClaim().isBlank() ? "email" : in.usernameClaim().strip();
        if (!OidcNames.isClaim(username)) {
            errors.add(new Problem.FieldError("usernameClaim", "usernameClaim must be a claim name such as email or preferred_username"));
        }
        String groups = in.groupsClaim() == null ? "" : in.groupsClaim().strip();
        if (!groups.isEmpty() && !OidcNames.isClaim(groups)) {
            errors.add(new Problem.FieldError("groupsClaim", "groupsClaim must be a claim name such as groups, or empty"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new OidcProvider(issuer, in.clientId().strip(), secret, in.displayName().strip(), List.copyOf(scopes), username, groups,
                in.jitProvisioning() == null || in.jitProvisioning(), Boolean.TRUE.equals(in.linkByVerifiedEmail()));
    }

    /** Whether the request carries a secret (not absent, not the mask that stands for the stored one). */
    private static boolean secretEntered(OidcProviderSettings in) {
        return in.clientSecret() != null && !in.clientSecret().equals(MASK);
    }
}
