package dev.drawbridge.model.api;

/** Body of {@code POST /users/{id}/password}: the new password (it ends the user's sessions). */
public record PasswordBody(String password) {
    @Override
    public String toString() {
        return "PasswordBody[password=***]";
    }
}
