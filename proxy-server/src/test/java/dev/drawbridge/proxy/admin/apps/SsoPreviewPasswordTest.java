package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Test as user" for password vaulting, HTTP Basic and login forms alike: whose credential the backend gets and whether
 * the vault would send one for this user (the user's own: stored, none, refused by the app, stored for the app's former
 * internal address; the app's shared one: set or not), each missing one a problem saying what the user or the
 * administrator meets; never the password nor the stored user name, in any answer.
 */
class SsoPreviewPasswordTest {
    static final String SECRET = "s3cret-Pa55word";
    static final String STORED_NAME = "stored-login-name";
    @TempDir
    Path dir;
    SsoPreviewFixture f;
    DirectoryUser alice, bob;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
        alice = f.user("alice@corp.example", "Alice", null, null);
        bob = f.user("bob@corp.example", "Bob", null, null);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    enum Method { BASIC, FORMS }

    private static SsoSettings settings(Method m, Credentials whose) {
        return m == Method.BASIC ? SsoSettings.basic(new BasicSso(whose))
                : SsoSettings.forms(new FormsSso("/login", "user", "pass", whose));
    }

    /** The preview, checked to hold neither the password nor the stored user name anywhere. */
    private SsoPreview preview(PublishedApp app, DirectoryUser user) throws Exception {
        SsoPreview p = f.preview(app, user.id());
        assertThat(Json.MAPPER.writeValueAsString(p)).doesNotContain(SECRET).doesNotContain(STORED_NAME);
        return p;
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void usersOwnCredentialStoredOrNot(Method m) throws Exception {
        PublishedApp app = f.app("vault", settings(m, Credentials.USER));
        f.vault.store(app, alice.id(), new Credential(STORED_NAME, SECRET));
        SsoPreview stored = preview(app, alice);
        assertThat(stored.method().name()).isEqualTo(m.name());
        assertThat(stored.password()).isEqualTo(new SsoPreview.Password(Credentials.USER, true));
        assertThat(stored.problems()).isEmpty();
        assertThat(stored.headers()).isEmpty();
        assertThat(stored.kerberos()).isNull();

        SsoPreview none = preview(app, bob);
        assertThat(none.password()).isEqualTo(new SsoPreview.Password(Credentials.USER, false));
        assertThat(none.problems()).containsExactly("bob@corp.example has stored no user name and password for the app: their first"
                + " request takes them to My Apps to store them");
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void aRefusedOrMovedCredentialIsNotSentAndSaysSo(Method m) throws Exception {
        PublishedApp app = f.app("vault", settings(m, Credentials.USER));
        f.vault.store(app, alice.id(), new Credential(STORED_NAME, SECRET));
        f.vault.refused(app, alice.id(), (Vault.Lookup.Found) f.vault.forRequest(app, alice.id()));
        SsoPreview refused = preview(app, alice);
        assertThat(refused.password().stored()).isFalse();
        assertThat(refused.problems()).containsExactly("the app refused the user name and password alice@corp.example stored: their"
                + " next request takes them to My Apps to store them again");

        f.vault.store(app, bob.id(), new Credential(STORED_NAME, SECRET));
        f.apps.replace(app.id(), new AppSpec("vault", "https://vault.example.com/", "http://elsewhere.corp:8080/", null, null, false,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false)));
        SsoPreview moved = preview(f.appStore.find(app.id()).orElseThrow(), bob);
        assertThat(moved.password().stored()).isFalse();
        assertThat(moved.problems()).containsExactly("the user name and password bob@corp.example stored were for the app's former"
                + " internal address, connector group or sign-in settings: their next request takes them to My Apps to store them again");
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void theSharedCredentialSetOrNotIsTheSameForEveryUser(Method m) throws Exception {
        PublishedApp app = f.app("shared", settings(m, Credentials.SHARED));
        for (DirectoryUser u : List.of(alice, bob)) {
            SsoPreview none = preview(app, u);
            assertThat(none.password()).isEqualTo(new SsoPreview.Password(Credentials.SHARED, false));
            assertThat(none.problems()).containsExactly("single sign-on fails for every user: its shared user name and password are not"
                    + " set (an administrator sets them: drawbridge apps sso shared-credential set)");
        }
        // A user's own credential does not count for a shared app.
        f.vault.store(app, alice.id(), new Credential(STORED_NAME, SECRET));
        assertThat(preview(app, alice).password().stored()).isFalse();
        f.vault.storeShared(app, new Credential(STORED_NAME, SECRET));
        for (DirectoryUser u : List.of(alice, bob)) {
            SsoPreview set = preview(app, u);
            assertThat(set.password()).isEqualTo(new SsoPreview.Password(Credentials.SHARED, true));
            assertThat(set.problems()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void aDraftSwitchesWhoseCredentialIsLookedUp(Method m) throws Exception {
        PublishedApp app = f.app("draft", settings(m, Credentials.USER));
        f.vault.store(app, alice.id(), new Credential(STORED_NAME, SECRET));
        assertThat(f.preview(app, alice.id(), settings(m, Credentials.SHARED)).password()).isEqualTo(
                new SsoPreview.Password(Credentials.SHARED, false));
        assertThat(f.preview(app, alice.id()).password()).isEqualTo(new SsoPreview.Password(Credentials.USER, true));
    }
}
