package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.model.api.validation.Passwords;
import dev.drawbridge.model.api.validation.Upns;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.identity.Directory;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.Mfa;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /users}: the built-in directory's users. Every change to an existing user (delete, password, MFA, sessions,
 * disable, enable) is one the route table marks as user-changing, so it runs only after {@code UserGuard} allowed the
 * caller on that user; each is audit-logged as {@code user.<action>} with the user before and after. Resetting a
 * password or MFA ends the user's sessions.
 */
public final class UsersApi {
    private final Directory directory;
    private final DirectoryStore store;
    private final DirectoryViews views;
    private final Mfa mfa;
    private final Clock clock;
    private final AuditLog audit;

    public UsersApi(Directory directory, DirectoryViews views, Mfa mfa, Clock clock, AuditLog audit) {
        this.directory = directory;
        this.store = directory.store();
        this.views = views;
        this.mfa = mfa;
        this.clock = clock;
        this.audit = audit;
    }

    /** {@code ?search=}: in the UPN, display name or e-mail, ignoring case. */
    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Optional<String> q = Queries.search(request, "search");
        return Answer.ok(Queries.page(store.users().stream()
                .filter(u -> q.isEmpty() || Queries.contains(u.upn(), q.get()) || Queries.contains(u.displayName(), q.get())
                        || u.email().map(e -> Queries.contains(e, q.get())).orElse(false))
                .map(views::user).toList(), request));
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        UserSpec spec = request.body(UserSpec.class);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (spec.upn() == null || !Upns.valid(spec.upn().strip())) {
            errors.add(new Problem.FieldError("upn", "upn must look like name@domain"));
        }
        Names.required("displayName", spec.displayName(), Names.MAX).ifPresent(errors::add);
        if (spec.email() != null && !Upns.valid(spec.email())) {
            errors.add(new Problem.FieldError("email", "email must look like name@domain"));
        }
        if (spec.password() != null) {
            Passwords.problem("password", spec.password()).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        DirectoryUser user = store.createUser(spec.upn().strip(), spec.displayName().strip(), Optional.ofNullable(spec.email()),
                Optional.ofNullable(spec.department()), Optional.ofNullable(spec.password()).map(directory.hasher()::hash),
                clock.instant());
        store.refreshDynamicGroups();
        UserView created = views.user(user);
        audit.record(caller.subject(), "user.create", "user", created.id(), null, created);
        return Answer.created(created);
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(views.user(find(request)));
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        DirectoryUser user = find(request);
        UserView before = views.user(user);
        store.deleteUser(user.id());
        audit.record(caller.subject(), "user.delete", "user", user.id(), before, null);
        return Answer.noContent();
    }

    public Answer resetPassword(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        DirectoryUser user = find(request);
        UserView before = views.user(user);
        String pw = request.body(PasswordBody.class).password();
        var problem = Passwords.problem("password", pw);
        if (problem.isPresent()) {
            throw new ValidationException(List.of(problem.get()));
        }
        store.setPassword(user.id(), directory.hasher().hash(pw), clock.instant());
        store.revokeSessions(user.id(), clock.instant());
        return changed(caller, "password", user, before, views.user(store.user(user.id()).orElseThrow()));
    }

    public Answer resetMfa(Caller caller, AdminRequest request) throws ApiException {
        DirectoryUser user = find(request);
        UserView before = views.user(user);
        mfa.reset(user.id());
        store.revokeSessions(user.id(), clock.instant());
        return changed(caller, "reset-mfa", user, before, views.user(user));
    }

    public Answer revokeSessions(Caller caller, AdminRequest request) throws ApiException {
        DirectoryUser user = find(request);
        UserView before = views.user(user);
        store.revokeSessions(user.id(), clock.instant());
        return changed(caller, "revoke-sessions", user, before, views.user(user));
    }

    public Answer disable(Caller caller, AdminRequest request) throws ApiException {
        return setEnabled(caller, request, false);
    }

    public Answer enable(Caller caller, AdminRequest request) throws ApiException {
        return setEnabled(caller, request, true);
    }

    private Answer setEnabled(Caller caller, AdminRequest request, boolean enabled) throws ApiException {
        DirectoryUser user = find(request);
        UserView before = views.user(user);
        store.setEnabled(user.id(), enabled, clock.instant());
        return changed(caller, enabled ? "enable" : "disable", user, before, views.user(store.user(user.id()).orElseThrow()));
    }

    /** After a change: dynamic groups follow it, the audit log records it ({@code user.<action>}), the answer is {@code answer}. */
    private Answer changed(Caller caller, String action, DirectoryUser user, UserView before, UserView answer) {
        store.refreshDynamicGroups();
        audit.record(caller.subject(), "user." + action, "user", user.id(), before, store.user(user.id()).map(views::user).orElse(null));
        return Answer.ok(answer);
    }

    private DirectoryUser find(AdminRequest request) throws ApiException {
        return store.user(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
