package dev.drawbridge.proxy.federation;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The V11 tables on PostgreSQL (BYTEA icons, the encrypted provider row, single-use sign-in
 * requests, federated memberships). Needs DRAWBRIDGE_TEST_PG_URL, like PostgresStoresTest.
 */
class PostgresFederationTest {
    static Database db;
    @TempDir
    static Path dir;

    @BeforeAll
    static void connect() throws Exception {
        db = PostgresTestDatabase.fresh();
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void federationAndIconsWorkOnPostgres() throws Exception {
        Instant now = Instant.now();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        FederationStore store = new FederationStore(db, DataKey.loadOrCreate(dir));
        OidcProvider p = new OidcProvider(URI.create("https://idp.example/realms/corp"), "drawbridge", "secret", "Corp ID",
                List.of("openid", "email"), "email", "groups", true);
        store.save(p, true, now);
        assertThat(store.provider("oidc")).contains(p);
        OidcProvider partner = new OidcProvider(URI.create("https://partner.example/"), "drawbridge", "secret 2", "Partner",
                List.of("openid"), "email", "", true, false, "partner", List.of("partner.example", "xn--bcher-kva.example"));
        store.save(partner, true, now);
        assertThat(store.providers()).containsExactly(p, partner);
        assertThat(store.providerOfDomain("xn--bcher-kva.example")).contains("partner");
        store.insertPending("state-hash", "browser-hash", new FederationStore.Pending("n", "v", Optional.empty(), "/", "partner"), now.plusSeconds(60), now);
        assertThat(store.claim("state-hash", "browser-hash", now)).isInstanceOfSatisfying(FederationStore.Claim.Ok.class,
                ok -> assertThat(ok.pending().providerId()).isEqualTo("partner"));
        assertThat(store.claim("state-hash", "browser-hash", now)).isInstanceOf(FederationStore.Claim.Refused.class);

        DirectoryStore directory = new DirectoryStore(db);
        var match = new FederatedUsers(db, directory, clock).signIn(p, "sub", Map.of("email", "alice@corp.example", "groups", List.of("HR")));
        assertThat(match).isInstanceOf(FederatedUsers.Match.Ok.class);
        assertThat(directory.groupsOf(((FederatedUsers.Match.Ok) match).user().id())).extracting(DirectoryStore.Group::name).containsExactly("HR");

        String group = new ConnectorStore(db).ensureDefaultGroup(now).id();
        new AppStore(db).insert(new PublishedApp("a1", "Wiki", URI.create("https://wiki.example.com/"), "wiki.example.com", "/",
                URI.create("http://wiki.corp:8080/"), group, BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY, now, now));
        AppIcons icons = new AppIcons(db, clock);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 1, 2};
        icons.save("a1", AppIcons.validate("image/png", png));
        assertThat(icons.find("a1").orElseThrow().body()).isEqualTo(png);
        assertThat(store.delete("oidc")).isTrue();
        assertThat(store.delete("partner")).isTrue();
        assertThat(store.providerOfDomain("partner.example")).isEmpty();
    }
}
