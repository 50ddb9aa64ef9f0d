package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several providers against one real H2 directory, as an attacker controlling one of them would try it: the same subject
 * at two issuers is two users; a provider vouching for an address in a domain another provider lists is refused, whatever
 * it claims (username or verified email, any case); linking by verified email needs the address in the provider's own
 * domains, and never attaches to an account already linked to another provider's identity.
 */
class SeveralProvidersTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final OidcProvider CORP = provider("corp", "https://idp.corp.example/realms/corp", true, List.of("corp.example"));
    static final OidcProvider PARTNER = provider("partner", "https://login.partner.example/", true, List.of("partner.example"));
    static final OidcProvider OPEN = provider("open", "https://open.example/", true, List.of());
    static final List<OidcProvider> ALL = List.of(CORP, PARTNER, OPEN);
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    FederatedUsers users;

    static OidcProvider provider(String id, String issuer, boolean linkByEmail, List<String> domains) {
        return new OidcProvider(URI.create(issuer), "drawbridge", "s", id + " ID", List.of("openid", "email"), "email", "", true, linkByEmail,
                id, domains);
    }

    @BeforeEach
    void open() {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        users = new FederatedUsers(db, store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static Map<String, Object> claims(String email, Object verified) {
        Map<String, Object> c = new HashMap<>();
        c.put("email", email);
        c.put("email_verified", verified);
        return c;
    }

    FederatedUsers.Match signIn(OidcProvider p, String subject, Map<String, Object> claims) {
        return users.signIn(p, subject, claims, ALL);
    }

    @Test
    void theSameSubjectAtTwoIssuersIsTwoUsers() {
        var corp = (FederatedUsers.Match.Ok) signIn(CORP, "1234", claims("alice@corp.example", true));
        var partner = (FederatedUsers.Match.Ok) signIn(PARTNER, "1234", claims("alice@partner.example", true));
        assertThat(partner.user().id()).isNotEqualTo(corp.user().id());
        assertThat(((FederatedUsers.Match.Ok) signIn(CORP, "1234", claims("alice@corp.example", true))).user().id()).isEqualTo(corp.user().id());
    }

    @Test
    void aProviderCannotVouchForAnotherProvidersDomain() {
        for (String email : List.of("ceo@corp.example", "CEO@Corp.Example", "ceo@CORP.EXAMPLE")) {
            for (OidcProvider liar : List.of(PARTNER, OPEN)) {
                assertThat(signIn(liar, "sub-" + email, claims(email, true))).as(liar.id() + " " + email)
                        .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("corp.example"));
            }
        }
        // Nor through the username claim when the email is its own.
        OidcProvider byName = new OidcProvider(PARTNER.issuer(), "drawbridge", "s", "Partner", List.of("openid"), "preferred_username", "",
                true, false, "partner", List.of("partner.example"));
        Map<String, Object> c = claims("mallory@partner.example", true);
        c.put("preferred_username", "ceo@corp.example");
        assertThat(users.signIn(byName, "sub-m", c, List.of(CORP, byName))).isInstanceOf(FederatedUsers.Match.Refused.class);
        assertThat(store.userByUpn("ceo@corp.example")).isEmpty();
    }

    @Test
    void emailLinkingNeedsTheProvidersOwnDomainAndAnAccountLinkedToNobody() throws Exception {
        DirectoryUser local = store.createUser("bob@partner.example", "Bob", Optional.of("bob@partner.example"), Optional.empty(), Optional.empty(), NOW);
        DirectoryUser other = store.createUser("eve@elsewhere.example", "Eve", Optional.of("eve@elsewhere.example"), Optional.empty(),
                Optional.empty(), NOW);
        // Partner lists domains, elsewhere.example is not one: no link (and the account's name is taken, so refused).
        assertThat(signIn(PARTNER, "sub-eve", claims("eve@elsewhere.example", true))).isInstanceOf(FederatedUsers.Match.Refused.class);
        // Not verified: no link.
        assertThat(signIn(PARTNER, "sub-bob", claims("bob@partner.example", false))).isInstanceOf(FederatedUsers.Match.Refused.class);
        var linked = (FederatedUsers.Match.Ok) signIn(PARTNER, "sub-bob", claims("bob@partner.example", true));
        assertThat(linked.user().id()).isEqualTo(local.id());
        // Open (no domains) may link eve, whose domain nobody lists...
        assertThat(((FederatedUsers.Match.Ok) signIn(OPEN, "sub-eve", claims("eve@elsewhere.example", true))).user().id()).isEqualTo(other.id());
        // ...but once linked through one provider, an account is not taken over through another with the same verified email.
        OidcProvider second = provider("second", "https://second.example/", true, List.of());
        assertThat(users.signIn(second, "sub-eve-2", claims("eve@elsewhere.example", true), List.of(CORP, PARTNER, OPEN, second)))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("linked to another identity"));
        assertThat(users.signIn(OPEN, "sub-bob-2", claims("bob@partner.example", true), ALL)).isInstanceOf(FederatedUsers.Match.Refused.class);
    }

    /**
     * The one spelling of a domain holds for the addresses a provider asserts, too: a trailing full stop in any of the forms
     * IDNA maps to '.' (ideographic, fullwidth, halfwidth) names the same domain, so it is refused as another provider's, not
     * let through as a domain nobody lists (which made a user whose name any IDNA-aware backend reads as ceo@corp.example).
     */
    @Test
    void anAddressInAnotherProvidersDomainIsRefusedWhateverItsTrailingDot() {
        for (String email : List.of("ceo@corp.example\u3002", "ceo@corp.example\uFF0E", "ceo@corp\uFF0Eexample\uFF61", "ceo@corp.example.",
                "ceo@CORP.example\u3002")) {
            for (OidcProvider liar : List.of(PARTNER, OPEN)) {
                assertThat(signIn(liar, "sub-" + email, claims(email, true))).as(liar.id() + " " + email)
                        .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("corp.example"));
            }
        }
        assertThat(db.dsl().fetchCount(DIRECTORY_USER)).as("no user created").isZero();
    }
}
