package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.Tables;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims to users against a real H2 directory: just-in-time creation linked by issuer + subject, existing accounts
 * never taken over by name or unverified email (linked by a verified email only where the provider allows it),
 * groups joined and left with the claim, into groups the provider owns only, while an administrator's memberships
 * stay, and the refusals (another subject claiming a linked account, an unverified email, a disabled account, JIT off).
 */
class FederatedUsersTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final OidcProvider PROVIDER = new OidcProvider(URI.create("https://idp.example/realms/corp"), "drawbridge", "s", "Corp ID",
            List.of("openid", "email"), "email", "groups", true);
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    FederatedUsers users;

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

    static Map<String, Object> claims(String email, String... groups) {
        Map<String, Object> c = new HashMap<>();
        c.put("email", email);
        c.put("email_verified", true);
        c.put("name", "Alice Martin");
        c.put("groups", List.of(groups));
        return c;
    }

    private List<String> groupsOf(String userId) {
        return store.groupsOf(userId).stream().map(DirectoryStore.Group::name).toList();
    }

    @Test
    void createsTheUserAndFollowsTheGroupsClaim() throws Exception {
        var local = store.createGroup("Admins", Optional.empty(), NOW);
        var first = (FederatedUsers.Match.Ok) users.signIn(PROVIDER, "sub-1", claims("Alice@Corp.Example", "HR staff", "Engineering"));
        assertThat(first.created()).isTrue();
        assertThat(first.user().upn()).isEqualTo("alice@corp.example");
        assertThat(first.user().hasPassword()).isFalse();
        assertThat(groupsOf(first.user().id())).containsExactly("Engineering", "HR staff");
        assertThat(store.group("Engineering").orElseThrow().description()).contains("from Corp ID");
        store.addMember(local.id(), first.user().id());

        var second = (FederatedUsers.Match.Ok) users.signIn(PROVIDER, "sub-1", claims("alice@corp.example", "Engineering"));
        assertThat(second.created()).isFalse();
        assertThat(second.user().id()).isEqualTo(first.user().id());
        assertThat(second.groupsLeft()).containsExactly("HR staff");
        // The administrator's membership is not the provider's to remove.
        assertThat(groupsOf(first.user().id())).containsExactly("Admins", "Engineering");
    }

    static final OidcProvider LINKING = new OidcProvider(PROVIDER.issuer(), "drawbridge", "s", "Corp ID", List.of("openid", "email"),
            "email", "groups", true, true);

    @Test
    void anExistingAccountIsNeverTakenOverByNameOrUnverifiedEmail() throws Exception {
        var admin = store.createUser("root@corp.example", "Root", Optional.of("Boss@Corp.example"), Optional.empty(), Optional.of("hash"), NOW);
        var bob = store.createUser("bob@corp.example", "Bob", Optional.empty(), Optional.empty(), Optional.of("hash"), NOW);
        Map<String, Object> absent = claims("boss@corp.example");
        absent.remove("email_verified");
        Map<String, Object> unverifiedBob = claims("BOB@corp.example");
        unverifiedBob.remove("email_verified");
        // Linking off (the default): a verified email or the same name still opens nothing that exists.
        assertThat(users.signIn(PROVIDER, "sub-2", claims("BOB@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("already exists and is not linked"));
        var boss = (FederatedUsers.Match.Ok) users.signIn(PROVIDER, "sub-boss", claims("boss@corp.example"));
        assertThat(boss.user().id()).isNotIn(admin.id(), bob.id());
        assertThat(boss.created()).isTrue();
        // Linking on: only with email_verified true.
        assertThat(users.signIn(LINKING, "sub-3", unverifiedBob)).isInstanceOf(FederatedUsers.Match.Refused.class);
        Map<String, Object> otherBoss = claims("boss@corp.example");
        otherBoss.remove("email_verified");
        assertThat(users.signIn(LINKING, "sub-4", otherBoss)).isInstanceOf(FederatedUsers.Match.Refused.class);
        assertThat(store.user(bob.id()).orElseThrow().upn()).isEqualTo("bob@corp.example");
    }

    @Test
    void withLinkingOnAVerifiedEmailLinksTheExistingAccountOnceAndForGood() throws Exception {
        var admin = store.createUser("root@corp.example", "Root", Optional.of("Boss@Corp.example"), Optional.empty(), Optional.of("hash"), NOW);
        var first = (FederatedUsers.Match.Ok) users.signIn(LINKING, "sub-boss", claims("boss@corp.example"));
        assertThat(first.user().id()).isEqualTo(admin.id());
        assertThat(first.created()).isFalse();
        // The link is by issuer + subject: a later sign-in finds the account whatever the claims say, without renaming it.
        Map<String, Object> renamed = claims("someone-else@corp.example");
        renamed.remove("email_verified");
        assertThat(((FederatedUsers.Match.Ok) users.signIn(LINKING, "sub-boss", renamed)).user().id()).isEqualTo(admin.id());
        assertThat(store.user(admin.id()).orElseThrow().upn()).isEqualTo("root@corp.example");
        // Another identity with the same verified email cannot link to it too.
        assertThat(users.signIn(LINKING, "sub-impostor", claims("boss@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("linked to another identity"));
        // The same subject at another issuer is another identity: never the linked account.
        OidcProvider elsewhere = new OidcProvider(URI.create("https://other-idp.example"), "drawbridge", "s", "Other", List.of("openid"),
                "email", "", true, false);
        assertThat(((FederatedUsers.Match.Ok) users.signIn(elsewhere, "sub-boss", claims("boss@corp.example"))).user().id())
                .isNotEqualTo(admin.id());
    }

    @Test
    void claimGroupsJoinOnlyGroupsTheProviderOwns() throws Exception {
        var staticGroup = store.createGroup("HR staff", Optional.empty(), NOW);
        var ldapGroup = store.createGroup("Finance", Optional.empty(), NOW);
        db.dsl().update(Tables.DIRECTORY_GROUP).set(Tables.DIRECTORY_GROUP.SOURCE, "LDAP")
                .where(Tables.DIRECTORY_GROUP.ID.eq(ldapGroup.id())).execute();
        String prepared = users.groups().create(PROVIDER, "Engineering", List.of("Engineers (Corp ID)"), NOW).orElseThrow();
        var match = (FederatedUsers.Match.Ok) users.signIn(PROVIDER, "sub-1", claims("alice@corp.example", "HR staff", "Finance", "Engineering"));
        List<String> joined = groupsOf(match.user().id());
        assertThat(joined).containsExactlyInAnyOrder("HR staff (Corp ID)", "Finance (Corp ID)", "Engineers (Corp ID)");
        assertThat(store.members(staticGroup.id())).isEmpty();
        assertThat(store.members(ldapGroup.id())).isEmpty();
        assertThat(store.members(prepared)).extracting(u -> u.id()).containsExactly(match.user().id());
        // A group created by the provider before issuers were recorded (external id = the claim value) is adopted.
        var legacy = store.createGroup("Legacy", Optional.empty(), NOW);
        db.dsl().update(Tables.DIRECTORY_GROUP).set(Tables.DIRECTORY_GROUP.SOURCE, "OIDC")
                .set(Tables.DIRECTORY_GROUP.EXTERNAL_ID, "Legacy")
                .where(Tables.DIRECTORY_GROUP.ID.eq(legacy.id())).execute();
        users.signIn(PROVIDER, "sub-1", claims("alice@corp.example", "Legacy"));
        assertThat(groupsOf(match.user().id())).containsExactly("Legacy");
    }

    @Test
    void anotherSubjectCannotTakeOverALinkedAccount() {
        users.signIn(PROVIDER, "sub-1", claims("alice@corp.example"));
        assertThat(users.signIn(PROVIDER, "sub-evil", claims("alice@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("linked to another identity"));
    }

    @Test
    void unverifiedEmailDisabledAccountsAndJitOffAreRefused() throws Exception {
        Map<String, Object> unverified = claims("carol@corp.example");
        unverified.put("email_verified", false);
        assertThat(users.signIn(PROVIDER, "sub-3", unverified)).isInstanceOf(FederatedUsers.Match.Refused.class);
        assertThat(store.userByUpn("carol@corp.example")).isEmpty();

        var dave = (FederatedUsers.Match.Ok) users.signIn(PROVIDER, "sub-4", claims("dave@corp.example"));
        store.setEnabled(dave.user().id(), false, NOW);
        assertThat(users.signIn(PROVIDER, "sub-4", claims("dave@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("disabled"));

        OidcProvider noJit = new OidcProvider(PROVIDER.issuer(), "drawbridge", "s", "Corp ID", List.of("openid"), "email", "", false);
        assertThat(users.signIn(noJit, "sub-5", claims("erin@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("just-in-time provisioning is off"));
        assertThat(users.signIn(PROVIDER, "sub-6", Map.of("sub", "sub-6")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("no 'email' claim"));
    }

    /**
     * With another claim as the user name, an email address the provider says it has not verified is not stored: single
     * sign-on hands the email to backends as an identity (a SAML NameID, a header), so a self-chosen address must never
     * become one. A provider that sends no {@code email_verified} (Entra ID) vouches for its addresses.
     */
    @Test
    void anUnverifiedEmailIsNotStoredWhenAnotherClaimNamesTheUser() throws Exception {
        OidcProvider byName = new OidcProvider(PROVIDER.issuer(), "drawbridge", "s", "Corp ID", List.of("openid"), "preferred_username", "", true);
        Map<String, Object> mallory = new HashMap<>(Map.of("preferred_username", "mallory@corp.example", "email", "ceo@corp.example",
                "email_verified", false));
        var m = (FederatedUsers.Match.Ok) users.signIn(byName, "sub-mallory", mallory);
        assertThat(m.user().email()).isEmpty();
        assertThat(store.userByUpn("mallory@corp.example").orElseThrow().email()).isEmpty();
        mallory.put("email_verified", "true");
        users.signIn(byName, "sub-mallory", mallory);
        assertThat(store.userByUpn("mallory@corp.example").orElseThrow().email()).as("a string is not a verification").isEmpty();

        Map<String, Object> entra = new HashMap<>(Map.of("preferred_username", "erin@corp.example", "email", "erin@corp.example"));
        var e = (FederatedUsers.Match.Ok) users.signIn(byName, "sub-erin", entra);
        assertThat(e.user().email()).contains("erin@corp.example");
    }

    /**
     * {@code email_verified} is a JSON boolean (OIDC Core 5.1); some providers send a string. Only {@code true} itself
     * verifies: a string "false" must refuse an unverified address as the name of a new account like {@code false}
     * does, and a string "true" (which a mapper of a user-editable attribute could produce) links nothing.
     */
    @Test
    void emailVerifiedInAnyOtherFormThanTheBooleanTrueVerifiesNothing() throws Exception {
        for (Object notTrue : new Object[]{"false", "False", "no", 0, "0"}) {
            Map<String, Object> c = claims("frank@corp.example");
            c.put("email_verified", notTrue);
            assertThat(users.signIn(PROVIDER, "sub-frank-" + notTrue, c)).as("email_verified = %s (%s)", notTrue, notTrue.getClass().getSimpleName())
                    .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("not verified"));
            assertThat(store.userByUpn("frank@corp.example")).isEmpty();
        }
        var admin = store.createUser("root@corp.example", "Root", Optional.of("boss@corp.example"), Optional.empty(), Optional.of("hash"), NOW);
        Map<String, Object> stringTrue = claims("boss@corp.example");
        stringTrue.put("email_verified", "true");
        assertThat(users.signIn(LINKING, "sub-string-true", stringTrue)).satisfies(m -> {
            if (m instanceof FederatedUsers.Match.Ok ok) {
                assertThat(ok.user().id()).isNotEqualTo(admin.id());
            }
        });
    }

    @Test
    void groupClaimsMayBeOneNameOrAList() {
        assertThat(FederatedUsers.groupNames("Solo")).containsExactly("Solo");
        assertThat(FederatedUsers.groupNames(List.of("A", " B ", "", 42))).containsExactly("A", "B");
        assertThat(FederatedUsers.groupNames(Map.of("not", "groups"))).isEmpty();
    }
}
