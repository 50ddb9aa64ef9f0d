/**
 * The rules of admin API input that a client can check before it sends, and the server checks again: names, user
 * principal names, passwords, issuer URLs, OpenID Connect claim and scope names, LDAP settings, the domain-free rules of
 * app URLs. Each rule answers {@link dev.drawbridge.model.api.Problem.FieldError}s in the server's words, naming the
 * field, so both sides say the same thing; rules that need the server's state (its domain, its own hosts, stored
 * secrets) stay in the server. JDK only.
 */
package dev.drawbridge.model.api.validation;
