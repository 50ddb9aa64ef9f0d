package dev.drawbridge.model.api;

/** A group the external identity provider owns, joined by users whose groups claim lists {@code claim}. */
public record ProviderGroupView(String id, String name, String claim) {
}
