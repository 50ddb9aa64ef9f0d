package dev.drawbridge.model.api;

/** Body of {@code POST /groups/{id}/members} and {@code POST /apps/{id}/owners}: a user, by id or UPN. */
public record MemberBody(String user) {
}
