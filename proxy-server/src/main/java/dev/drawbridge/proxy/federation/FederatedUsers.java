package dev.drawbridge.proxy.federation;

import dev.drawbridge.model.api.validation.IdentityProviderRules;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static dev.drawbridge.proxy.store.db.Tables.FEDERATED_IDENTITY;

/**
 * Turns the verified claims of a federated sign-in into a directory user. The identity at the provider (issuer +
 * subject) is linked to one user, for good ({@code federated_identity}); a later sign-in finds the user by that
 * link only. A first sign-in creates the user just in time (source {@code OIDC}, named by the username claim), or,
 * only where an administrator turned {@link OidcProvider#linkByVerifiedEmail} on and the provider asserts
 * {@code email_verified: true}, links to the one existing user with that email. It never attaches to an existing
 * local or LDAP account because a name or an unverified email matches: that would hand the account (and its admin
 * roles) to whoever controls the claim at the provider. Group memberships follow the groups claim, into groups the
 * provider owns only ({@link ProviderGroups}).
 *
 * <p>With several providers, each vouches only for its own: an address (the user name or the email claim) in a domain
 * another provider lists for home-realm discovery is refused, so a provider cannot mint {@code ceo@other.example} for a
 * domain whose users sign in elsewhere. Linking by verified email further needs the address in the provider's own
 * domains (when it lists any), and never attaches to a user already linked to an identity at any provider.
 */
final class FederatedUsers {
    static final String SOURCE = "OIDC";
    private static final int MAX_GROUPS = 200;

    /** The outcome of matching claims to a user. */
    sealed interface Match {
        record Ok(DirectoryUser user, boolean created, List<String> groupsJoined, List<String> groupsLeft) implements Match {
        }

        record Refused(String reason, String upnTried) implements Match {
        }
    }

    private final DSLContext dsl;
    private final DirectoryStore store;
    private final Clock clock;
    private final ProviderGroups groups;

    FederatedUsers(Database db, DirectoryStore store, Clock clock) {
        this.dsl = db.dsl();
        this.store = store;
        this.clock = clock;
        this.groups = new ProviderGroups(dsl, store);
    }

    ProviderGroups groups() {
        return groups;
    }

    Match signIn(OidcProvider provider, String subject, Map<String, Object> claims) {
        return signIn(provider, subject, claims, List.of(provider));
    }

    /** Matches the claims of {@code provider}, one of {@code all} the configured providers. */
    Match signIn(OidcProvider provider, String subject, Map<String, Object> claims, List<OidcProvider> all) {
        Object raw = claims.get(provider.usernameClaim());
        if (!(raw instanceof String s) || s.isBlank()) {
            return new Match.Refused("the ID token has no '" + provider.usernameClaim() + "' claim to use as the user name", "");
        }
        String upn = s.strip().toLowerCase(Locale.ROOT);
        if (upn.length() > 320 || upn.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return new Match.Refused("'" + provider.usernameClaim() + "' is not usable as a user name", "");
        }
        if (subject == null || subject.isEmpty() || subject.length() > 255) {
            return new Match.Refused("the ID token's subject is missing or too long", upn);
        }
        // A JSON boolean (OIDC Core 5.1): only true itself verifies. Anything else that is present ("false", "true" as a
        // string, 0) is the provider not vouching for the address, exactly like false.
        Object verifiedClaim = claims.get("email_verified");
        boolean emailVerified = Boolean.TRUE.equals(verifiedClaim);
        if (provider.usernameClaim().equals("email") && verifiedClaim != null && !emailVerified) {
            // An unverified address proves nothing: it must not even name a new account.
            return new Match.Refused("the provider has not verified the email address " + upn, upn);
        }
        String issuer = provider.issuer().toString();
        String displayName = displayName(claims, upn);
        // An address the provider says it has not verified is not stored: single sign-on hands the email to backends as an
        // identity (a SAML NameID, a header), so a self-chosen ceo@corp.example must not become one. A provider that sends no
        // email_verified at all (Entra ID) vouches for the addresses it manages.
        Optional<String> email = claims.get("email") instanceof String e && !e.isBlank() && (verifiedClaim == null || emailVerified)
                ? Optional.of(e.strip()) : Optional.empty();
        for (String address : email.isPresent() ? List.of(upn, email.get()) : List.of(upn)) {
            Optional<String> domain = IdentityProviderRules.domainOfEmail(address);
            Optional<OidcProvider> owner = domain.flatMap(d -> all.stream().filter(o -> !o.id().equals(provider.id()) && o.ownsDomain(d)).findFirst());
            if (owner.isPresent()) {
                return new Match.Refused("the address " + address + " is in the domain " + domain.get() + ", whose users sign in with "
                        + owner.get().displayName() + ", not " + provider.displayName(), upn);
            }
        }
        Instant now = clock.instant();

        Optional<DirectoryUser> user = linked(issuer, subject, now);
        boolean created = false;
        if (user.isPresent()) {
            // Only a user the provider created follows its claims; a linked local or LDAP user keeps their own name.
            if (SOURCE.equals(source(user.get().id())) && (!user.get().upn().equals(upn) || !user.get().displayName().equals(displayName))) {
                try {
                    dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.UPN, upn).set(DIRECTORY_USER.DISPLAY_NAME, displayName)
                            .set(DIRECTORY_USER.EMAIL, email.orElse(null)).set(DIRECTORY_USER.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                            .where(DIRECTORY_USER.ID.eq(user.get().id())).execute();
                } catch (IntegrityConstraintViolationException e) {
                    return new Match.Refused("the user name " + upn + " already belongs to another account", upn);
                }
                user = store.user(user.get().id());
            }
        } else {
            if (provider.linkByVerifiedEmail() && emailVerified && email.isPresent() && (provider.emailDomains().isEmpty()
                    || IdentityProviderRules.domainOfEmail(email.get()).filter(provider::ownsDomain).isPresent())) {
                List<String> owners = byEmail(email.get());
                if (owners.size() > 1) {
                    return new Match.Refused("more than one account has the email address " + email.get() + "; an administrator must link one", upn);
                }
                if (owners.size() == 1) {
                    // Linked already (through this provider or another): the account is that identity's, for good.
                    if (linkedToAny(owners.getFirst()) || SOURCE.equals(source(owners.getFirst()))) {
                        return new Match.Refused("the account with the email address " + email.get()
                                + " is linked to another identity at the provider", upn);
                    }
                    link(issuer, subject, owners.getFirst(), now);
                    user = store.user(owners.getFirst());
                }
            }
            if (user.isEmpty()) {
                Optional<DirectoryUser> sameName = store.userByUpn(upn);
                if (sameName.isPresent()) {
                    return new Match.Refused(SOURCE.equals(source(sameName.get().id()))
                            ? "the account " + upn + " is linked to another identity at the provider"
                            : "an account named " + upn + " already exists and is not linked to this identity; sign in with its password "
                            + "(an administrator can let verified email addresses link accounts)", upn);
                }
                if (!provider.jitProvisioning()) {
                    return new Match.Refused("there is no account " + upn + " and just-in-time provisioning is off", upn);
                }
                try {
                    DirectoryUser u = store.createUser(upn, displayName, email, Optional.empty(), Optional.empty(), now);
                    dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.SOURCE, SOURCE).set(DIRECTORY_USER.EXTERNAL_ID, issuer + " " + subject)
                            .where(DIRECTORY_USER.ID.eq(u.id())).execute();
                    link(issuer, subject, u.id(), now);
                    user = Optional.of(u);
                    created = true;
                } catch (ConflictException | IntegrityConstraintViolationException e) {
                    return new Match.Refused("the account " + upn + " was created concurrently; sign in again", upn);
                }
            }
        }
        DirectoryUser u = user.orElseThrow();
        if (!u.enabled()) {
            return new Match.Refused("the account " + u.upn() + " is disabled", upn);
        }
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (!provider.groupsClaim().isEmpty()) {
            groups.sync(u.id(), groupNames(claims.get(provider.groupsClaim())), provider, now, joined, left);
        }
        store.refreshDynamicGroups();
        return new Match.Ok(u, created, joined, left);
    }

    /** The user linked to the identity; a user created before links were recorded (external id) gets its link now. */
    private Optional<DirectoryUser> linked(String issuer, String subject, Instant now) {
        Optional<String> id = dsl.select(FEDERATED_IDENTITY.USER_ID).from(FEDERATED_IDENTITY).where(FEDERATED_IDENTITY.ISSUER.eq(issuer))
                .and(FEDERATED_IDENTITY.SUBJECT.eq(subject)).fetchOptional(FEDERATED_IDENTITY.USER_ID);
        if (id.isEmpty()) {
            id = dsl.select(DIRECTORY_USER.ID).from(DIRECTORY_USER).where(DIRECTORY_USER.SOURCE.eq(SOURCE))
                    .and(DIRECTORY_USER.EXTERNAL_ID.eq(issuer + " " + subject)).fetchOptional(DIRECTORY_USER.ID);
            id.ifPresent(userId -> link(issuer, subject, userId, now));
        }
        return id.flatMap(store::user);
    }

    /**
     * Revokes the sessions of every user linked to an identity at {@code issuer} (or, from before links were recorded, created
     * with an external id there); returns how many users.
     */
    int revokeSessionsOf(String issuer, Instant now) {
        Set<String> ids = new LinkedHashSet<>(dsl.select(FEDERATED_IDENTITY.USER_ID).from(FEDERATED_IDENTITY)
                .where(FEDERATED_IDENTITY.ISSUER.eq(issuer)).fetch(FEDERATED_IDENTITY.USER_ID));
        ids.addAll(dsl.select(DIRECTORY_USER.ID).from(DIRECTORY_USER).where(DIRECTORY_USER.SOURCE.eq(SOURCE))
                .and(DIRECTORY_USER.EXTERNAL_ID.startsWith(issuer + " ")).fetch(DIRECTORY_USER.ID));
        ids.forEach(id -> store.revokeSessions(id, now));
        return ids.size();
    }

    private void link(String issuer, String subject, String userId, Instant now) {
        dsl.insertInto(FEDERATED_IDENTITY).set(FEDERATED_IDENTITY.ISSUER, issuer).set(FEDERATED_IDENTITY.SUBJECT, subject)
                .set(FEDERATED_IDENTITY.USER_ID, userId).set(FEDERATED_IDENTITY.CREATED_AT, now.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing().execute();
    }

    private boolean linkedToAny(String userId) {
        return dsl.fetchExists(FEDERATED_IDENTITY, FEDERATED_IDENTITY.USER_ID.eq(userId));
    }

    /** Users whose email, or else whose user principal name, is {@code email} (any case). */
    private List<String> byEmail(String email) {
        String e = email.toLowerCase(Locale.ROOT);
        List<String> ids = dsl.select(DIRECTORY_USER.ID).from(DIRECTORY_USER).where(DSL.lower(DIRECTORY_USER.EMAIL).eq(e)).fetch(DIRECTORY_USER.ID);
        return ids.isEmpty() ? store.userByUpn(e).map(DirectoryUser::id).stream().toList() : ids;
    }

    private String source(String userId) {
        return dsl.select(DIRECTORY_USER.SOURCE).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId)).fetchOne(DIRECTORY_USER.SOURCE);
    }

    private static String displayName(Map<String, Object> claims, String fallback) {
        for (String c : List.of("name", "preferred_username")) {
            if (claims.get(c) instanceof String n && !n.isBlank()) {
                return n.strip().length() > 200 ? n.strip().substring(0, 200) : n.strip();
            }
        }
        return fallback;
    }

    /** A claim holding one group name or an array of them; anything else counts as none. */
    static Set<String> groupNames(Object claim) {
        Collection<?> values = claim instanceof Collection<?> c ? c : claim instanceof String s ? List.of(s) : List.of();
        Set<String> names = new LinkedHashSet<>();
        for (Object v : values) {
            if (v instanceof String s && !s.isBlank() && s.strip().length() <= 200 && names.size() < MAX_GROUPS) {
                names.add(s.strip());
            }
        }
        return names;
    }
}
