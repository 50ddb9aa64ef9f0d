package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.UserView;

import java.util.List;

/** {@code /groups}: assigned and dynamic groups, and their members. */
public interface Groups {
    @Operation(method = "GET", path = "groups")
    Page<GroupView> list(Paging paging, Users.Search search) throws AdminClientException;

    /** Creates a group (with a membership rule: a dynamic group). */
    @Operation(method = "POST", path = "groups")
    GroupView create(GroupBody group) throws AdminClientException;

    @Operation(method = "GET", path = "groups/{id}")
    GroupView get(String id) throws AdminClientException;

    @Operation(method = "DELETE", path = "groups/{id}")
    void delete(String id) throws AdminClientException;

    @Operation(method = "GET", path = "groups/{id}/members")
    List<UserView> members(String id) throws AdminClientException;

    /** Adds a member to an assigned group (the server resolves {@code user}: UPN or id). */
    @Operation(method = "POST", path = "groups/{id}/members")
    UserView addMember(String id, MemberBody member) throws AdminClientException;

    @Operation(method = "DELETE", path = "groups/{id}/members/{userId}")
    void removeMember(String id, String userId) throws AdminClientException;
}
