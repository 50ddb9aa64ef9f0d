package dev.drawbridge.proxy.vault;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the vault gives a request: a BASIC app for users' own credentials sends each user's own, a shared one its
 * shared credential; none stored, stored for another internal origin of the app (scheme, host or port changed: in
 * every spelling of the same origin it still goes), or refused by the backend is not sent and says why; a refusal marks
 * only the version sent (a credential replaced meanwhile stays), storing again clears it; a shared credential is never
 * marked refused.
 */
class VaultTest {
    @TempDir
    Path dir;
    private VaultFixture f;
    private DirectoryUser alice;
    private PublishedApp hr;
    private PublishedApp wiki;

    @BeforeEach
    void open() throws Exception {
        f = new VaultFixture(dir);
        alice = f.user("alice@corp.example");
        hr = f.app("hr", "http://hr.corp:8080/app/", VaultFixture.users());
        wiki = f.app("wiki", "https://wiki.corp/", VaultFixture.shared());
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private static PublishedApp movedTo(PublishedApp app, String internal) {
        return new PublishedApp(app.id(), app.name(), app.externalUrl(), app.externalHost(), app.externalPath(), URI.create(internal),
                app.connectorGroupId(), app.backendTimeout(), app.translateHostHeader(), app.preAuthentication(), app.access(),
                app.createdAt(), app.updatedAt(), app.caseInsensitivePaths(), app.sso());
    }

    @Test
    void eachAppSendsTheCredentialsOfItsMode() {
        assertThat(f.vault.forRequest(hr, alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.NOT_STORED));
        assertThat(f.vault.forRequest(wiki, alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.NOT_STORED));
        f.vault.store(hr, alice.id(), new Credential("alice", "own"));
        f.vault.store(wiki, alice.id(), new Credential("alice", "own for wiki, never sent"));
        f.vault.storeShared(wiki, new Credential("svc-wiki", "shared"));
        f.vault.storeShared(hr, new Credential("svc-hr", "shared for hr, never sent"));
        assertThat(f.vault.forRequest(hr, alice.id())).isInstanceOfSatisfying(Vault.Lookup.Found.class,
                found -> assertThat(found.credential()).isEqualTo(new Credential("alice", "own")));
        assertThat(f.vault.forRequest(wiki, alice.id())).isInstanceOfSatisfying(Vault.Lookup.Found.class,
                found -> assertThat(found.credential()).isEqualTo(new Credential("svc-wiki", "shared")));
    }

    @Test
    void aCredentialGoesOnlyToTheInternalOriginItWasStoredFor() {
        f.vault.store(hr, alice.id(), new Credential("alice", "own"));
        f.vault.storeShared(wiki, new Credential("svc", "shared"));
        for (String sameOrigin : List.of("http://hr.corp:8080/", "http://HR.corp:8080/other/path/", "HTTP://hr.CORP:8080/app/")) {
            assertThat(f.vault.forRequest(movedTo(hr, sameOrigin), alice.id())).as(sameOrigin).isInstanceOf(Vault.Lookup.Found.class);
        }
        for (String elsewhere : List.of("https://hr.corp:8080/app/", "http://hr.corp:8081/app/", "http://hr.corp/app/",
                "http://evil.example:8080/app/", "http://hr.corp.evil.example:8080/app/", "http://10.0.0.9:8080/app/")) {
            assertThat(f.vault.forRequest(movedTo(hr, elsewhere), alice.id())).as(elsewhere)
                    .isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        }
        assertThat(f.vault.forRequest(movedTo(wiki, "http://wiki.corp/"), alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        // Storing it again for the new address sends it there.
        PublishedApp moved = movedTo(hr, "https://hr2.corp/");
        f.vault.store(moved, alice.id(), new Credential("alice", "again"));
        assertThat(f.vault.forRequest(moved, alice.id())).isInstanceOf(Vault.Lookup.Found.class);
        assertThat(f.vault.forRequest(hr, alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
    }

    private static PublishedApp inGroup(PublishedApp app, String groupId) {
        return new PublishedApp(app.id(), app.name(), app.externalUrl(), app.externalHost(), app.externalPath(), app.internalUrl(),
                groupId, app.backendTimeout(), app.translateHostHeader(), app.preAuthentication(), app.access(),
                app.createdAt(), app.updatedAt(), app.caseInsensitivePaths(), app.sso());
    }

    /**
     * Found by the hostile review: the same internal URL through another connector group is another backend (each group's
     * connectors resolve {@code hr.corp} in their own network, and whoever can place connectors in that group reads the
     * instructions), so moving the app to another group must not carry its users' or its shared password along, as
     * changing an LDAP directory's connector group needs its bind password again (docs/security.md).
     */
    @Test
    void aCredentialGoesOnlyThroughTheConnectorGroupItWasStoredFor() throws Exception {
        f.vault.store(hr, alice.id(), new Credential("alice", "own"));
        f.vault.storeShared(wiki, new Credential("svc", "shared"));
        String other = new ConnectorStore(f.db).createGroup("Branch office", VaultFixture.NOW).id();
        assertThat(f.vault.forRequest(inGroup(hr, other), alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        assertThat(f.vault.forRequest(inGroup(wiki, other), alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        // Back in its own group, or stored again for the new one, it goes.
        assertThat(f.vault.forRequest(hr, alice.id())).isInstanceOf(Vault.Lookup.Found.class);
        f.vault.store(inGroup(hr, other), alice.id(), new Credential("alice", "again"));
        assertThat(f.vault.forRequest(inGroup(hr, other), alice.id())).isInstanceOf(Vault.Lookup.Found.class);
        assertThat(f.vault.forRequest(hr, alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
    }

    private static PublishedApp withSso(PublishedApp app, SsoSettings sso) {
        return new PublishedApp(app.id(), app.name(), app.externalUrl(), app.externalHost(), app.externalPath(), app.internalUrl(),
                app.connectorGroupId(), app.backendTimeout(), app.translateHostHeader(), app.preAuthentication(), app.access(),
                app.createdAt(), app.updatedAt(), app.caseInsensitivePaths(), sso);
    }

    /**
     * An administrator who may change single sign-on but not read passwords points a login form's settings at another page
     * of the same backend (a profile form whose fields they can read back), or switches the method: no stored password,
     * the user's or the shared one, goes there (review11 finding B).
     */
    @Test
    void aCredentialGoesOnlyToTheLoginFormAndMethodItWasStoredFor() throws Exception {
        PublishedApp forms = withSso(hr, SsoSettings.forms(new FormsSso("/login", "user", "pass", BasicSso.Credentials.USER)));
        PublishedApp sharedForms = withSso(wiki, SsoSettings.forms(new FormsSso("/login", null, null, BasicSso.Credentials.SHARED)));
        f.vault.store(forms, alice.id(), new Credential("alice", "own"));
        f.vault.storeShared(sharedForms, new Credential("svc", "shared"));
        assertThat(f.vault.forRequest(forms, alice.id())).isInstanceOf(Vault.Lookup.Found.class);
        assertThat(f.vault.forRequest(sharedForms, alice.id())).isInstanceOf(Vault.Lookup.Found.class);

        for (FormsSso diverted : new FormsSso[] {new FormsSso("/profile/edit", "user", "pass", BasicSso.Credentials.USER),
                new FormsSso("/login", "nickname", "pass", BasicSso.Credentials.USER),
                new FormsSso("/login", "user", "bio", BasicSso.Credentials.USER)}) {
            assertThat(f.vault.forRequest(withSso(hr, SsoSettings.forms(diverted)), alice.id())).as(diverted.toString())
                    .isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        }
        assertThat(f.vault.forRequest(withSso(wiki, SsoSettings.forms(new FormsSso("/comments/new", "author", "text",
                BasicSso.Credentials.SHARED))), alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        assertThat(f.vault.forRequest(withSso(hr, VaultFixture.users()), alice.id())).as("forms to Basic")
                .isEqualTo(new Vault.Lookup.Missing(Vault.Why.MOVED));
        // The same settings again: it goes.
        assertThat(f.vault.forRequest(withSso(hr, SsoSettings.forms(new FormsSso("/login", "user", "pass", BasicSso.Credentials.USER))),
                alice.id())).isInstanceOf(Vault.Lookup.Found.class);
    }

    @Test
    void aRefusedCredentialIsNotSentAgainUntilReplaced() {
        f.vault.store(hr, alice.id(), new Credential("alice", "old"));
        Vault.Lookup.Found first = (Vault.Lookup.Found) f.vault.forRequest(hr, alice.id());
        f.vault.store(hr, alice.id(), new Credential("alice", "new"));
        // The backend refused the old one after the user replaced it: the new one stays.
        f.vault.refused(hr, alice.id(), first);
        Vault.Lookup.Found second = (Vault.Lookup.Found) f.vault.forRequest(hr, alice.id());
        assertThat(second.credential().password()).isEqualTo("new");
        f.vault.refused(hr, alice.id(), second);
        assertThat(f.vault.forRequest(hr, alice.id())).isEqualTo(new Vault.Lookup.Missing(Vault.Why.REFUSED));
        assertThat(f.vault.storedUsername("hr", alice.id())).contains("alice");
        f.vault.store(hr, alice.id(), new Credential("alice", "newer"));
        assertThat(f.vault.forRequest(hr, alice.id())).isInstanceOf(Vault.Lookup.Found.class);
    }

    @Test
    void aSharedCredentialIsNeverMarkedRefused() {
        f.vault.storeShared(wiki, new Credential("svc", "shared"));
        Vault.Lookup.Found sent = (Vault.Lookup.Found) f.vault.forRequest(wiki, alice.id());
        f.vault.refused(wiki, alice.id(), sent);
        assertThat(f.vault.forRequest(wiki, alice.id())).isEqualTo(sent);
    }

    @Test
    void onlyPreAuthenticatedBasicAppsForUsersOwnTakeAUsersPassword() {
        assertThat(Vault.takesUsersOwn(hr)).isTrue();
        assertThat(Vault.takesUsersOwn(wiki)).isFalse();
        assertThat(Vault.takesUsersOwn(hr.withSso(SsoSettings.NONE))).isFalse();
        assertThat(Vault.takesUsersOwn(hr.withSso(SsoSettings.headers(List.of(HeaderRule.of("X-U", HeaderSource.UPN)))))).isFalse();
        PublishedApp passthrough = new PublishedApp(hr.id(), hr.name(), hr.externalUrl(), hr.externalHost(), hr.externalPath(),
                hr.internalUrl(), hr.connectorGroupId(), hr.backendTimeout(), false, PreAuthentication.PASSTHROUGH, hr.access(),
                hr.createdAt(), hr.updatedAt(), false, hr.sso());
        assertThat(Vault.takesUsersOwn(passthrough)).isFalse();
    }
}
