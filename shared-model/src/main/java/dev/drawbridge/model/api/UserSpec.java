package dev.drawbridge.model.api;

/** Create a directory user. {@code password} is optional (federated users have none). */
public record UserSpec(String upn, String displayName, String email, String department, String password) {
}
