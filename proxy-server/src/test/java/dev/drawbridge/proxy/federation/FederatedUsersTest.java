package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims to users against a real H2 directory: just-in-time creation, matching an existing user by
 * name, groups joined and left with the claim while an administrator's memberships stay, and the
 * refusals (another subject claiming a linked account, an unverified email, a disabled account, JIT off).
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

    @Test
    void anExistingUserIsMatchedByName() throws Exception {
        var bob = store.createUser("bob@corp.example", "Bob", Optional.empty(), Optional.empty(), Optional.of("hash"), NOW);
        var match = (FederatedUsers.Match.Ok) users.signIn(PROVIDER, "sub-2", claims("BOB@corp.example"));
        assertThat(match.created()).isFalse();
        assertThat(match.user().id()).isEqualTo(bob.id());
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

        var dave = store.createUser("dave@corp.example", "Dave", Optional.empty(), Optional.empty(), Optional.empty(), NOW);
        store.setEnabled(dave.id(), false, NOW);
        assertThat(users.signIn(PROVIDER, "sub-4", claims("dave@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("disabled"));

        OidcProvider noJit = new OidcProvider(PROVIDER.issuer(), "drawbridge", "s", "Corp ID", List.of("openid"), "email", "", false);
        assertThat(users.signIn(noJit, "sub-5", claims("erin@corp.example")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("just-in-time provisioning is off"));
        assertThat(users.signIn(PROVIDER, "sub-6", Map.of("sub", "sub-6")))
                .isInstanceOfSatisfying(FederatedUsers.Match.Refused.class, r -> assertThat(r.reason()).contains("no 'email' claim"));
    }

    @Test
    void groupClaimsMayBeOneNameOrAList() {
        assertThat(FederatedUsers.groupNames("Solo")).containsExactly("Solo");
        assertThat(FederatedUsers.groupNames(List.of("A", " B ", "", 42))).containsExactly("A", "B");
        assertThat(FederatedUsers.groupNames(Map.of("not", "groups"))).isEmpty();
    }
}
