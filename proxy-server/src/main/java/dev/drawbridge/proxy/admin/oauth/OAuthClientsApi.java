package dev.drawbridge.proxy.admin.oauth;

import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.OAuthClientRules;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.oauth.OAuthClientStore;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /oauth-clients}: the registered native OAuth clients. The client id is the admin's choice (the id the app
 * already sends, so that registering an existing app needs no new build of it) or, left out, a random one; it never
 * changes. Validated by {@link OAuthClientRules} (as the console does) and against the published apps.
 */
public final class OAuthClientsApi {
    private final OAuthClientStore store;
    private final Supplier<RouteTable> routes;
    private final Clock clock;
    private final AuditLog audit;

    public OAuthClientsApi(OAuthClientStore store, Supplier<RouteTable> routes, Clock clock, AuditLog audit) {
        this.store = store;
        this.routes = routes;
        this.clock = clock;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(store.list());
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(find(request));
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        OAuthClientSpec in = request.body(OAuthClientSpec.class);
        check(in, List.of());
        Instant now = now();
        OAuthClientView created = new OAuthClientView(in.clientId() == null ? UUID.randomUUID().toString() : in.clientId(),
                in.displayName().strip(), in.redirectUris(), sorted(in), in.appIds(), now, now);
        store.create(created);
        audit.record(caller.subject(), "oauth-client.create", "oauth-client", created.clientId(), null, created);
        return Answer.created(created);
    }

    /** Replaces everything but the id (a different {@code clientId} in the body is a 400) and the creation time. */
    public Answer replace(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        OAuthClientView before = find(request);
        OAuthClientSpec in = request.body(OAuthClientSpec.class);
        if (in.clientId() != null && !in.clientId().equals(before.clientId())) {
            throw new ValidationException("clientId", "clientId cannot change (the app sends it): register a new client instead");
        }
        check(in, before.appIds());
        OAuthClientView after = new OAuthClientView(before.clientId(), in.displayName().strip(), in.redirectUris(), sorted(in), in.appIds(),
                before.createdAt(), now());
        if (!store.replace(after)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "oauth-client.update", "oauth-client", after.clientId(), before, after);
        return Answer.ok(after);
    }

    /** Also ends the client's outstanding codes and refresh tokens. */
    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        OAuthClientView before = find(request);
        if (!store.delete(before.clientId())) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "oauth-client.delete", "oauth-client", before.clientId(), before, null);
        return Answer.noContent();
    }

    /** Now, as the database keeps it (microseconds), so that the answer is what a later GET reads. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private OAuthClientView find(AdminRequest request) throws ApiException {
        return store.find(request.path("id")).orElseThrow(ApiException::notFound);
    }

    /**
     * The rules, and that each app id is a published app's or one the client already has: an app deleted since stays on
     * the list (where it reaches nothing) rather than forcing the admin to empty the list, which would mean any app.
     */
    private void check(OAuthClientSpec in, List<String> stored) throws ValidationException {
        List<FieldError> errors = new ArrayList<>(OAuthClientRules.check(in, false));
        Set<String> apps = routes.get().apps().stream().map(PublishedApp::id).collect(Collectors.toSet());
        if (in.appIds() != null) {
            in.appIds().stream().filter(a -> a != null && !a.isBlank() && !apps.contains(a) && !stored.contains(a))
                    .forEach(a -> errors.add(new FieldError("appIds", "no published app has id '" + a + "'")));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    private static List<OAuthGrant> sorted(OAuthClientSpec in) {
        return in.grants().stream().sorted().toList();
    }
}
