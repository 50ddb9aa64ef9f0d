package dev.drawbridge.proxy.admin;

/**
 * What an admin API operation does to the directory user it targets. The route table names it for every operation
 * that changes a user ({@link AdminRoutes.Route#target()}); {@link UserGuard} then compares the caller's roles with
 * the target's before the operation runs. Each says how a refusal names it, whether a caller may do it to their own
 * account, and whether it can take a global administrator away (the last enabled one must stay).
 */
public enum UserOperation {
    /** Entra refuses an admin reset of one's own password too: use the sign-in page, which asks for the old one. */
    PASSWORD_RESET("reset the password of", false, false),
    /** Dropping one's own second factor with nothing but a bearer token would let a stolen token disable MFA. */
    MFA_RESET("reset the MFA of", false, false),
    SESSION_REVOCATION("revoke the sessions of", true, false),
    DISABLE("disable", false, true),
    ENABLE("enable", false, false),
    DELETE("delete", false, true),
    /** Nobody changes their own roles (Entra: a global administrator cannot remove their own assignment). */
    ROLE_CHANGE("change the roles of", false, true),
    /** Groups carry app assignments and conditional-access scope, so membership is a change to the user. */
    GROUP_MEMBERSHIP("change the group memberships of", true, false);

    private final String verb;
    private final boolean onSelf;
    private final boolean mayRemoveGlobalAdmin;

    UserOperation(String verb, boolean onSelf, boolean mayRemoveGlobalAdmin) {
        this.verb = verb;
        this.onSelf = onSelf;
        this.mayRemoveGlobalAdmin = mayRemoveGlobalAdmin;
    }

    public String verb() {
        return verb;
    }

    public boolean onSelf() {
        return onSelf;
    }

    public boolean mayRemoveGlobalAdmin() {
        return mayRemoveGlobalAdmin;
    }
}
