package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;
import dev.drawbridge.model.api.validation.IdentityProviderRules;
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
import java.util.TreeSet;

/**
 * {@code /identity-providers} of the admin API: the external OpenID Connect providers users may sign in with, any
 * number of them, each under its id ({@code /identity-providers/{id}}; {@code /identity-providers/oidc}, the single
 * provider of earlier versions, is the one with id {@code oidc}). GET shows one or all (client secrets as
 * {@code ********}, plus the redirect URI to register at the provider), POST creates one, PUT sets one (creating it
 * if missing), DELETE removes it. Every change is audit-logged without the secret.
 * The secret is write-only and follows its destination: a PUT that changes the issuer or the client id must
 * carry it again (400 naming {@code clientSecret}), so that nobody with write access can point the provider at
 * a server of theirs and have the stored secret sent there. An email domain (home-realm discovery) belongs to one
 * provider only (400 naming {@code emailDomains}). {@code POST /identity-providers/{id}/groups} creates a group the
 * provider owns (the only kind its groups claim joins).
 */
public final class IdentityProvidersApi {
    static final String MASK = "********";

    private final Federation federation;
    private final AuditLog audit;

    public IdentityProvidersApi(Federation federation, AuditLog audit) {
        this.federation = federation;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(federation.providers().stream().map(this::view).toList());
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return get(request.path("id"));
    }

    /** {@code GET /identity-providers/oidc} of earlier versions. */
    public Answer getOidc(Caller caller, AdminRequest request) throws ApiException {
        return get(IdentityProviderRules.DEFAULT_ID);
    }

    private Answer get(String id) throws ApiException {
        return Answer.ok(federation.provider(id).map(this::view).orElseThrow(ApiException::notFound));
    }

    /** {@code POST /identity-providers}: a new provider, its id in the body; 409 when the id is taken. */
    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        OidcProviderSettings in = request.body(OidcProviderSettings.class);
        String id = in.id() == null ? "" : in.id().strip();
        if (!IdentityProviderRules.isId(id)) {
            throw new ValidationException("id", "id is required: 1 to 40 lower-case letters, digits and hyphens, e.g. partner-sso");
        }
        if (federation.provider(id).isPresent()) {
            throw new ConflictException("id", "an identity provider with id '" + id + "' already exists");
        }
        return Answer.created(save(caller, id, in, Optional.empty()));
    }

    /** {@code PUT /identity-providers/{id}}: replaces the provider's settings, or creates it. */
    public Answer put(Caller caller, AdminRequest request) throws ValidationException, IOException {
        return put(caller, request, request.path("id"));
    }

    /** {@code PUT /identity-providers/oidc} of earlier versions. */
    public Answer putOidc(Caller caller, AdminRequest request) throws ValidationException, IOException {
        return put(caller, request, IdentityProviderRules.DEFAULT_ID);
    }

    private Answer put(Caller caller, AdminRequest request, String id) throws ValidationException, IOException {
        if (!IdentityProviderRules.isId(id)) {
            throw new ValidationException("id", "id must be 1 to 40 lower-case letters, digits and hyphens, e.g. partner-sso");
        }
        Optional<OidcProvider> before = federation.provider(id);
        OidcProviderSettings in = request.body(OidcProviderSettings.class);
        if (in.id() != null && !in.id().strip().equals(id)) {
            throw new ValidationException("id", "id is read-only: it must be left out or be '" + id + "'");
        }
        return Answer.ok(save(caller, id, in, before));
    }

    private OidcProviderSettings save(Caller caller, String id, OidcProviderSettings in, Optional<OidcProvider> before) throws ValidationException {
        OidcProvider saved = validate(id, in, before, federation.providers());
        try {
            federation.save(saved, secretEntered(in));
        } catch (ConflictException e) {
            // Raced with another provider taking a domain: the same answer as if validation had seen it.
            throw new ValidationException(e.field(), e.getMessage());
        }
        audit.record(caller.subject(), before.isEmpty() ? "identity-provider.create" : "identity-provider.update",
                "identity-provider", id, before.map(this::view).orElse(null), view(saved));
        return view(saved);
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        return delete(caller, request.path("id"));
    }

    /** {@code DELETE /identity-providers/oidc} of earlier versions. */
    public Answer deleteOidc(Caller caller, AdminRequest request) throws ApiException {
        return delete(caller, IdentityProviderRules.DEFAULT_ID);
    }

    private Answer delete(Caller caller, String id) throws ApiException {
        OidcProvider before = federation.provider(id).orElseThrow(ApiException::notFound);
        federation.delete(id);
        audit.record(caller.subject(), "identity-provider.delete", "identity-provider", id, view(before), null);
        return Answer.noContent();
    }

    /** {@code POST /identity-providers/{id}/groups}: a group owned by the provider, for one value of its groups claim. */
    public Answer createGroup(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        return createGroup(caller, request, request.path("id"));
    }

    /** {@code POST /identity-providers/oidc/groups} of earlier versions. */
    public Answer createOidcGroup(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        return createGroup(caller, request, IdentityProviderRules.DEFAULT_ID);
    }

    private Answer createGroup(Caller caller, AdminRequest request, String providerId)
            throws ApiException, ValidationException, ConflictException, IOException {
        ProviderGroupBody body = request.body(ProviderGroupBody.class);
        String name = body.name() == null ? "" : body.name().strip();
        String claim = body.claim() == null || body.claim().isBlank() ? name : body.claim().strip();
        if (name.isEmpty() || name.length() > Names.MAX || claim.length() > Names.MAX) {
            throw new ValidationException("name", "name is required (1 to 200 characters); claim, the groups-claim value, defaults to it");
        }
        String id = federation.createGroup(providerId, name, claim).orElseThrow(() -> new ApiException(409, "Not configured",
                "configure the identity provider first (PUT /api/v1/identity-providers/" + providerId + ")"));
        ProviderGroupView created = new ProviderGroupView(id, name, claim);
        audit.record(caller.subject(), "group.create", "group", id, null, created);
        return Answer.created(created);
    }

    private OidcProviderSettings view(OidcProvider p) {
        return new OidcProviderSettings(p.issuer().toString(), p.clientId(), MASK, p.displayName(), p.scopes(), p.usernameClaim(),
                p.groupsClaim().isEmpty() ? null : p.groupsClaim(), p.jitProvisioning(), federation.redirectUri().toString(),
                p.linkByVerifiedEmail(), p.id(), p.emailDomains());
    }

    /** {@link #validate(String, OidcProviderSettings, Optional, List)} of the provider {@code oidc}, alone. */
    static OidcProvider validate(OidcProviderSettings in, Optional<OidcProvider> stored) throws ValidationException {
        return validate(IdentityProviderRules.DEFAULT_ID, in, stored, List.of());
    }

    /** Every problem at once, each naming its field; {@code others} are the configured providers (domains are unique). */
    static OidcProvider validate(String id, OidcProviderSettings in, Optional<OidcProvider> stored, List<OidcProvider> others)
            throws ValidationException {
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
        List<String> domains = domains(id, in.emailDomains() != null ? in.emailDomains() : stored.map(OidcProvider::emailDomains).orElse(List.of()),
                others, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new OidcProvider(issuer, in.clientId().strip(), secret, in.displayName().strip(), List.copyOf(scopes), username, groups,
                in.jitProvisioning() == null || in.jitProvisioning(), Boolean.TRUE.equals(in.linkByVerifiedEmail()), id, domains);
    }

    /** The email domains in their one spelling, each once; a domain of another provider is an error naming emailDomains. */
    private static List<String> domains(String id, List<String> in, List<OidcProvider> others, List<Problem.FieldError> errors) {
        if (in.size() > IdentityProviderRules.MAX_DOMAINS) {
            errors.add(new Problem.FieldError("emailDomains", "at most " + IdentityProviderRules.MAX_DOMAINS + " email domains"));
            return List.of();
        }
        Set<String> out = new TreeSet<>();
        for (String raw : in) {
            Optional<String> d = IdentityProviderRules.domain(raw);
            if (d.isEmpty()) {
                errors.add(new Problem.FieldError("emailDomains", "'" + raw + "' is not a domain name such as corp.example "
                        + "(exact domains only: no wildcards, no @)"));
                continue;
            }
            others.stream().filter(o -> !o.id().equals(id) && o.ownsDomain(d.get())).findFirst().ifPresent(o -> errors.add(
                    new Problem.FieldError("emailDomains", "the email domain " + d.get() + " is already listed by the identity provider '"
                            + o.id() + "'; a domain sends its users to one provider only")));
            out.add(d.get());
        }
        return List.copyOf(out);
    }

    /** Whether the request carries a secret (not absent, not the mask that stands for the stored one). */
    private static boolean secretEntered(OidcProviderSettings in) {
        return in.clientSecret() != null && !in.clientSecret().equals(MASK);
    }
}
