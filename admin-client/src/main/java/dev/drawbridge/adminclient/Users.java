package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;

/** {@code /users}: directory users, their credentials, sessions and admin roles. */
public interface Users {
    /** Search of {@link #list} and of {@link Groups#list}: a text in the name (UPN, display name, email); null: all. */
    record Search(String search) implements Query {
        public static final Search ALL = new Search(null);
    }

    @Operation(method = "GET", path = "users")
    Page<UserView> list(Paging paging, Search search) throws AdminClientException;

    @Operation(method = "POST", path = "users")
    UserView create(UserSpec user) throws AdminClientException;

    @Operation(method = "GET", path = "users/{id}")
    UserView get(String id) throws AdminClientException;

    @Operation(method = "DELETE", path = "users/{id}")
    void delete(String id) throws AdminClientException;

    /** Resets the password (ends the user's sessions). */
    @Operation(method = "POST", path = "users/{id}/password")
    UserView resetPassword(String id, PasswordBody password) throws AdminClientException;

    /** Removes the MFA enrollment (ends the user's sessions). */
    @Operation(method = "POST", path = "users/{id}/reset-mfa")
    UserView resetMfa(String id) throws AdminClientException;

    @Operation(method = "POST", path = "users/{id}/revoke-sessions")
    UserView revokeSessions(String id) throws AdminClientException;

    @Operation(method = "POST", path = "users/{id}/disable")
    UserView disable(String id) throws AdminClientException;

    @Operation(method = "POST", path = "users/{id}/enable")
    UserView enable(String id) throws AdminClientException;

    @Operation(method = "GET", path = "users/{id}/roles")
    RolesBody roles(String id) throws AdminClientException;

    /** Sets the user's admin roles (never your own; only roles you may grant; the last global administrator stays). */
    @Operation(method = "PUT", path = "users/{id}/roles")
    RolesBody setRoles(String id, RolesBody roles) throws AdminClientException;
}
