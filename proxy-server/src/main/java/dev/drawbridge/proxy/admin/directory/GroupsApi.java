package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.MembershipRule;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /groups}: assigned groups, whose members an administrator adds and removes (a change to that user, checked by
 * {@code UserGuard}), and dynamic groups, whose members follow their {@code membershipRule} (409 on a change by hand).
 * A group is named in the path by id or name.
 */
public final class GroupsApi {
    private final DirectoryStore store;
    private final DirectoryViews views;
    private final Clock clock;
    private final AuditLog audit;

    public GroupsApi(DirectoryViews views, Clock clock, AuditLog audit) {
        this.store = views.store();
        this.views = views;
        this.clock = clock;
        this.audit = audit;
    }

    /** {@code ?search=}: in the name or description, ignoring case. */
    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Optional<String> q = Queries.search(request, "search");
        return Answer.ok(Queries.page(store.groups().stream().map(views::group)
                .filter(g -> q.isEmpty() || Queries.contains(g.name(), q.get()) || (g.description() != null && Queries.contains(g.description(), q.get())))
                .toList(), request));
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        GroupBody body = request.body(GroupBody.class);
        var badName = Names.required("name", body.name(), Names.MAX);
        if (badName.isPresent()) {
            throw new ValidationException(List.of(badName.get()));
        }
        if (body.membershipRule() != null) {
            try {
                MembershipRule.parse(body.membershipRule());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("membershipRule", e.getMessage());
            }
        }
        DirectoryStore.Group g = store.createGroup(body.name().strip(), Optional.ofNullable(body.description()), clock.instant());
        if (body.membershipRule() != null) {
            store.setRule(g.id(), Optional.of(body.membershipRule().strip()));
            store.refreshDynamicGroups();
        }
        GroupView created = views.group(g);
        audit.record(caller.subject(), "group.create", "group", created.id(), null, created);
        return Answer.created(created);
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(views.group(find(request)));
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        DirectoryStore.Group group = find(request);
        GroupView before = views.group(group);
        store.deleteGroup(group.id());
        audit.record(caller.subject(), "group.delete", "group", group.id(), before, null);
        return Answer.noContent();
    }

    public Answer members(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(membersOf(find(request)));
    }

    /** Answers the members after the new one. */
    public Answer addMember(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        DirectoryStore.Group group = assigned(request);
        DirectoryUser u = views.named(request.body(MemberBody.class).user(), "user");
        store.addMember(group.id(), u.id());
        audit.record(caller.subject(), "group.member.add", "group", group.id(), null, Map.of("user", u.upn()));
        return Answer.ok(membersOf(group));
    }

    public Answer removeMember(Caller caller, AdminRequest request) throws ApiException {
        DirectoryStore.Group group = assigned(request);
        String userId = request.path("userId");
        if (!store.removeMember(group.id(), userId)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "group.member.remove", "group", group.id(), Map.of("userId", userId), null);
        return Answer.noContent();
    }

    private DirectoryStore.Group find(AdminRequest request) throws ApiException {
        return store.group(request.path("id")).orElseThrow(ApiException::notFound);
    }

    /** The group, if its members are changed by hand: a dynamic group's follow its rule (409). */
    private DirectoryStore.Group assigned(AdminRequest request) throws ApiException {
        DirectoryStore.Group group = find(request);
        if (store.rule(group.id()).isPresent()) {
            throw new ApiException(409, "Dynamic group", "the members of '" + group.name() + "' follow its rule and cannot be changed by hand");
        }
        return group;
    }

    private List<UserView> membersOf(DirectoryStore.Group group) {
        return store.members(group.id()).stream().map(views::user).toList();
    }
}
