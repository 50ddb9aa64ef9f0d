package dev.drawbridge.model.api;

/** Create a directory user. {@code password} is optional (federated users have none). */
public record UserSpec(String upn, String displayName, String email, String department, String password) {
    /** Never the password. */
    @Override
    public String toString() {
        return "UserSpec[upn=" + upn + ", displayName=" + displayName + ", email=" + email + ", department=" + department
                + ", password=" + (password == null ? null : "***") + "]";
    }
}
