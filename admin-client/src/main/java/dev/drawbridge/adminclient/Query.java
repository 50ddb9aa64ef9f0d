package dev.drawbridge.adminclient;

/**
 * A record whose components are query parameters of an {@link Operation}, named as the components are. A null
 * component is left out (the server's default applies); an instant is sent in ISO-8601, an enum by its name.
 */
public interface Query {
}
