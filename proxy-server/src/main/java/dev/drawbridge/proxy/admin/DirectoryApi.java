package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.api.validation.DirectorySyncRules;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.model.api.validation.Passwords;
import dev.drawbridge.model.api.validation.Upns;
import dev.drawbridge.proxy.admin.directory.DirectoryViews;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.identity.Directory;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The directory part of the admin API: {@code /users}, {@code /groups} with members, and
 * {@code /apps/{id}/assignments}.
 */
public final class DirectoryApi {

    private final Directory directory;
    private final DirectoryStore store;
    private final Routes routes;
    private final Clock clock;

    private final dev.drawbridge.proxy.identity.Mfa mfa;

    private final dev.drawbridge.proxy.identity.AccessRequests requests;

    private final dev.drawbridge.proxy.logs.AuditLog audit;
    private final dev.drawbridge.proxy.identity.LdapSync ldap;

    public DirectoryApi(Directory directory, Routes routes, Clock clock, dev.drawbridge.proxy.identity.Mfa mfa,
                        dev.drawbridge.proxy.identity.AccessRequests requests, dev.drawbridge.proxy.logs.AuditLog audit,
                        dev.drawbridge.proxy.identity.LdapSync ldap) {
        this.ldap = ldap;
        this.audit = audit;
        this.requests = requests;
        this.mfa = mfa;
        this.directory = directory;
        this.store = directory.store();
        this.routes = routes;
        this.clock = clock;
    }

    dev.drawbridge.proxy.identity.DirectoryStore store() {
        return store;
    }

    /** The {@code search} filter, lower-cased; null when absent. */
    private static String search(Request request) {
        String q = Request.extractQueryParameters(request).getValue("search");
        return q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
    }

    private static boolean contains(String value, String lowerQuery) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerQuery);
    }

    void route(String method, String[] seg, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, ConflictException, IOException {
        if (seg[0].equals("users")) {
            users(method, seg, request, response, callback);
        } else {
            groups(method, seg, request, response, callback);
        }
    }

    private void users(String method, String[] seg, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, ConflictException, IOException {
        if (seg.length == 1 || (seg.length == 2 && seg[1].isEmpty())) {
            switch (method) {
                case "GET" -> {
                    String q = search(request);
                    Responses.json(response, callback, 200, page(store.users().stream()
                            .filter(u -> q == null || contains(u.upn(), q) || contains(u.displayName(), q) || u.email().map(e -> contains(e, q)).orElse(false))
                            .map(this::view).toList(), request));
                }
                case "POST" -> {
                    DirectoryUser user = createUser(JsonBody.read(request, UserSpec.class));
                    store.refreshDynamicGroups();
                    UserView created = view(user);
                    audit.record(AdminApiHandler.actor(), "user.create", "user", created.id(), null, created);
                    Responses.json(response, callback, 201, created);
                }
                default -> throw ApiException.notAllowed();
            }
            return;
        }
        DirectoryUser user = store.user(seg[1]).orElseThrow(ApiException::notFound);
        if (seg.length == 2) {
            switch (method) {
                case "GET" -> Responses.json(response, callback, 200, view(user));
                case "DELETE" -> {
                    UserView before = view(user);
                    store.deleteUser(user.id());
                    audit.record(AdminApiHandler.actor(), "user.delete", "user", user.id(), before, null);
                    noContent(response, callback);
                }
                default -> throw ApiException.notAllowed();
            }
            return;
        }
        if (seg.length != 3 || !method.equals("POST")) {
            throw seg.length != 3 ? ApiException.notFound() : ApiException.notAllowed();
        }
        UserView before = view(user);
        userAction(seg[2], user, request, response, callback);
        store.refreshDynamicGroups();
        audit.record(AdminApiHandler.actor(), "user." + seg[2], "user", user.id(), before, store.user(user.id()).map(this::view).orElse(null));
    }

    private void userAction(String action, DirectoryUser user, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, IOException {
        switch (action) {
            case "password" -> {
                String pw = JsonBody.read(request, PasswordBody.class).password();
                checkPassword(pw);
                store.setPassword(user.id(), directory.hasher().hash(pw), clock.instant());
                store.revokeSessions(user.id(), clock.instant());
                Responses.json(response, callback, 200, view(store.user(user.id()).orElseThrow()));
            }
            case "reset-mfa" -> {
                mfa.reset(user.id());
                store.revokeSessions(user.id(), clock.instant());
                Responses.json(response, callback, 200, view(user));
            }
            case "revoke-sessions" -> {
                store.revokeSessions(user.id(), clock.instant());
                Responses.json(response, callback, 200, view(user));
            }
            case "disable", "enable" -> {
                store.setEnabled(user.id(), action.equals("enable"), clock.instant());
                Responses.json(response, callback, 200, view(store.user(user.id()).orElseThrow()));
            }
            default -> throw ApiException.notFound();
        }
    }

    private DirectoryUser createUser(UserSpec spec) throws ValidationException, ConflictException {
        List<dev.drawbridge.model.api.Problem.FieldError> errors = new java.util.ArrayList<>();
        if (spec.upn() == null || !Upns.valid(spec.upn().strip())) {
            errors.add(new dev.drawbridge.model.api.Problem.FieldError("upn", "upn must look like name@domain"));
        }
        Names.required("displayName", spec.displayName(), Names.MAX).ifPresent(errors::add);
        if (spec.email() != null && !Upns.valid(spec.email())) {
            errors.add(new dev.drawbridge.model.api.Problem.FieldError("email", "email must look like name@domain"));
        }
        if (spec.password() != null) {
            Passwords.problem("password", spec.password()).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return store.createUser(spec.upn().strip(), spec.displayName().strip(), Optional.ofNullable(spec.email()),
                Optional.ofNullable(spec.department()), Optional.ofNullable(spec.password()).map(directory.hasher()::hash),
                clock.instant());
    }

    private static void checkPassword(String pw) throws ValidationException {
        var problem = Passwords.problem("password", pw);
        if (problem.isPresent()) {
            throw new ValidationException(List.of(problem.get()));
        }
    }

    private void groups(String method, String[] seg, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, ConflictException, IOException {
        if (seg.length == 1 || (seg.length == 2 && seg[1].isEmpty())) {
            switch (method) {
                case "GET" -> {
                    String q = search(request);
                    Responses.json(response, callback, 200, page(store.groups().stream().map(this::view)
                            .filter(g -> q == null || contains(g.name(), q) || (g.description() != null && contains(g.description(), q))).toList(), request));
                }
                case "POST" -> {
                    GroupBody body = JsonBody.read(request, GroupBody.class);
                    var badName = Names.required("name", body.name(), Names.MAX);
                    if (badName.isPresent()) {
                        throw new ValidationException(List.of(badName.get()));
                    }
                    if (body.membershipRule() != null) {
                        try {
                            dev.drawbridge.proxy.identity.MembershipRule.parse(body.membershipRule());
                        } catch (IllegalArgumentException e) {
                            throw new ValidationException("membershipRule", e.getMessage());
                        }
                    }
                    DirectoryStore.Group g = store.createGroup(body.name().strip(), Optional.ofNullable(body.description()), clock.instant());
                    if (body.membershipRule() != null) {
                        store.setRule(g.id(), Optional.of(body.membershipRule().strip()));
                        store.refreshDynamicGroups();
                    }
                    GroupView created = view(g);
                    audit.record(AdminApiHandler.actor(), "group.create", "group", created.id(), null, created);
                    Responses.json(response, callback, 201, created);
                }
                default -> throw ApiException.notAllowed();
            }
            return;
        }
        DirectoryStore.Group group = store.group(seg[1]).orElseThrow(ApiException::notFound);
        if (seg.length == 2) {
            switch (method) {
                case "GET" -> Responses.json(response, callback, 200, view(group));
                case "DELETE" -> {
                    GroupView before = view(group);
                    store.deleteGroup(group.id());
                    audit.record(AdminApiHandler.actor(), "group.delete", "group", group.id(), before, null);
                    noContent(response, callback);
                }
                default -> throw ApiException.notAllowed();
            }
            return;
        }
        if (!seg[2].equals("members") || seg.length > 4) {
            throw ApiException.notFound();
        }
        if (!method.equals("GET") && store.rule(group.id()).isPresent()) {
            throw new ApiException(409, "Dynamic group", "the members of '" + group.name() + "' follow its rule and cannot be changed by hand");
        }
        if (seg.length == 3) {
            switch (method) {
                case "GET" -> Responses.json(response, callback, 200, store.members(group.id()).stream().map(this::view).toList());
                case "POST" -> {
                    DirectoryUser u = findUser(JsonBody.read(request, MemberBody.class).user(), "user");
                    store.addMember(group.id(), u.id());
                    audit.record(AdminApiHandler.actor(), "group.member.add", "group", group.id(), null, java.util.Map.of("user", u.upn()));
                    Responses.json(response, callback, 200, store.members(group.id()).stream().map(this::view).toList());
                }
                default -> throw ApiException.notAllowed();
            }
            return;
        }
        if (!method.equals("DELETE")) {
            throw ApiException.notAllowed();
        }
        if (!store.removeMember(group.id(), seg[3])) {
            throw ApiException.notFound();
        }
        audit.record(AdminApiHandler.actor(), "group.member.remove", "group", group.id(), java.util.Map.of("userId", seg[3]), null);
        noContent(response, callback);
    }

    /** {@code /directory-sync} (GET, PUT settings) and {@code /directory-sync/run} (POST). */
    void directorySync(String method, String[] seg, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, IOException {
        if (seg.length == 2 && seg[1].equals("run")) {
            if (!method.equals("POST")) {
                throw ApiException.notAllowed();
            }
            if (ldap.view().isEmpty()) {
                throw new ApiException(409, "Not configured", "configure directory sync first (PUT /api/v1/directory-sync)");
            }
            try {
                var result = ldap.run();
                audit.record(AdminApiHandler.actor(), "directory-sync.run", "directory-sync", "ldap", null, result);
                Responses.json(response, callback, 200, result);
            } catch (com.unboundid.ldap.sdk.LDAPException e) {
                String detail = e.getDiagnosticMessage() == null ? e.getMessage() : e.getDiagnosticMessage();
                throw new ApiException(502, "Directory sync failed", (e.getResultCode() == com.unboundid.ldap.sdk.ResultCode.CONNECT_ERROR
                        ? "cannot reach LDAP" : "LDAP answered " + e.getResultCode()) + (detail == null ? "" : ": " + detail));
            }
            return;
        }
        if (seg.length > 1 && !seg[1].isEmpty()) {
            throw ApiException.notFound();
        }
        switch (method) {
            case "GET" -> Responses.json(response, callback, 200, ldap.view().orElseThrow(ApiException::notFound));
            case "PUT" -> {
                dev.drawbridge.model.api.LdapSyncSettings in = JsonBody.read(request, dev.drawbridge.model.api.LdapSyncSettings.class);
                List<dev.drawbridge.model.api.Problem.FieldError> errors = new java.util.ArrayList<>(DirectorySyncRules.check(in));
                if (in.connectorGroup() != null && !in.connectorGroup().isBlank()
                        && ldap.connectorGroupId(in.connectorGroup().strip()).isEmpty()) {
                    errors.add(new dev.drawbridge.model.api.Problem.FieldError("connectorGroup", "connectorGroup '"
                            + in.connectorGroup() + "' is not a connector group; name an existing group (or leave it empty to connect directly)"));
                }
                ldap.destinationChange(in).ifPresent(why -> errors.add(new dev.drawbridge.model.api.Problem.FieldError("bindPassword", why)));
                ldap.plainThroughConnector(in).ifPresent(why -> errors.add(new dev.drawbridge.model.api.Problem.FieldError("url", why)));
                if (!errors.isEmpty()) {
                    throw new ValidationException(errors);
                }
                var before = ldap.view().orElse(null);
                ldap.save(in);
                audit.record(AdminApiHandler.actor(), "directory-sync.update", "directory-sync", "ldap", before, ldap.view().orElse(null));
                Responses.json(response, callback, 200, ldap.view().orElseThrow());
            }
            default -> throw ApiException.notAllowed();
        }
    }

    /** {@code /access-requests[?status=]} and {@code /access-requests/{id}/approve|deny}. */
    void accessRequests(String method, String[] seg, Request request, Response response, Callback callback) throws ApiException {
        if (seg.length == 1 || (seg.length == 2 && seg[1].isEmpty())) {
            if (!method.equals("GET")) {
                throw ApiException.notAllowed();
            }
            String status = Request.extractQueryParameters(request).getValue("status");
            Responses.json(response, callback, 200, requests.all(Optional.ofNullable(status).map(s -> s.toUpperCase(Locale.ROOT)))
                    .stream().map(this::view).toList());
            return;
        }
        var r = requests.find(seg[1]).orElseThrow(ApiException::notFound);
        if (seg.length != 3 || !(seg[2].equals("approve") || seg[2].equals("deny"))) {
            throw ApiException.notFound();
        }
        if (!method.equals("POST")) {
            throw ApiException.notAllowed();
        }
        var before = view(r);
        if (!requests.decide(r.id(), seg[2].equals("approve"), AdminApiHandler.actor())) {
            throw new ApiException(409, "Conflict", "the request was already " + r.status().toLowerCase(Locale.ROOT));
        }
        audit.record(AdminApiHandler.actor(), "access-request." + seg[2], "access-request", r.id(), before,
                view(requests.find(r.id()).orElseThrow()));
        Responses.json(response, callback, 200, view(requests.find(r.id()).orElseThrow()));
    }

    private dev.drawbridge.model.api.AccessRequestView view(dev.drawbridge.proxy.identity.AccessRequests.Request r) {
        String appName = routes.get().apps().stream().filter(a -> a.id().equals(r.appId())).map(a -> a.name()).findFirst().orElse("?");
        return new dev.drawbridge.model.api.AccessRequestView(r.id(), r.appId(), appName, r.userId(),
                store.user(r.userId()).map(DirectoryUser::upn).orElse("?"), r.reason(), r.status(), r.createdAt(),
                r.decidedAt().orElse(null), r.decidedBy().orElse(null));
    }

    private DirectoryUser findUser(String idOrUpn, String field) throws ValidationException {
        return DirectoryViews.lookup(store, idOrUpn).orElseThrow(() -> new ValidationException(field, "no user with id or UPN '"
                + (idOrUpn == null ? "" : idOrUpn.strip()) + "'"));
    }

    private UserView view(DirectoryUser u) {
        return new UserView(u.id(), u.upn(), u.displayName(), u.email().orElse(null), u.department().orElse(null), u.enabled(),
                u.hasPassword(), mfa.isEnrolled(u.id()), u.lockedUntil().filter(t -> t.isAfter(clock.instant())).orElse(null),
                store.groupsOf(u.id()).stream().map(DirectoryStore.Group::name).toList(), u.createdAt());
    }

    private GroupView view(DirectoryStore.Group g) {
        return new GroupView(g.id(), g.name(), g.description().orElse(null), store.rule(g.id()).orElse(null), store.members(g.id()).size(),
                g.createdAt());
    }

    private static <T> Page<T> page(List<T> all, Request request) throws ValidationException {
        return AdminApiHandler.page(all, request);
    }

    private static void noContent(Response response, Callback callback) {
        response.setStatus(204);
        response.getHeaders().put(Responses.GENERATED_HEADER, "true");
        callback.succeeded();
    }
}
