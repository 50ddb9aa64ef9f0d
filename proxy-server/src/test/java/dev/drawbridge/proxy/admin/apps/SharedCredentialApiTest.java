package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultFixture;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /apps/{id}/sso/shared-credential} without a server: PUT sets and replaces the app's shared credential and
 * answers nothing back (204); DELETE removes it (404 when there is none); an unknown app is 404, a passthrough app 409;
 * a credential HTTP Basic cannot carry is a 400 naming its field; audit entries name the user name and never the
 * password, nor does any answer.
 */
class SharedCredentialApiTest {
    @TempDir
    Path dir;
    VaultFixture f;
    AuditLog audit;
    SharedCredentialApi api;
    PublishedApp wiki;

    @BeforeEach
    void open() throws Exception {
        f = new VaultFixture(dir);
        audit = new AuditLog(f.db, f.clock);
        api = new SharedCredentialApi(f.apps, f.vault, audit);
        wiki = f.app("wiki", "http://wiki.corp/", VaultFixture.shared());
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private static FakeAdminRequest on(String appId) {
        return new FakeAdminRequest().path("id", appId);
    }

    private List<AuditLogEntry> audited() {
        return audit.query(new AuditLog.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 100));
    }

    @Test
    void putSetsAndReplacesItAndNothingEverShowsThePassword() throws Exception {
        Answer set = api.put(Caller.BOOTSTRAP, on("wiki").body(new SharedCredential("svc-wiki", "first-secret")));
        assertThat(set).isEqualTo(Answer.noContent());
        assertThat(f.vault.shared(wiki)).isInstanceOfSatisfying(Vault.Lookup.Found.class,
                found -> assertThat(found.credential()).isEqualTo(new Credential("svc-wiki", "first-secret")));
        api.put(Caller.BOOTSTRAP, on("wiki").body(new SharedCredential("svc-wiki2", "second-secret")));
        assertThat(f.vault.shared(wiki)).isInstanceOfSatisfying(Vault.Lookup.Found.class,
                found -> assertThat(found.credential()).isEqualTo(new Credential("svc-wiki2", "second-secret")));
        assertThat(api.delete(Caller.BOOTSTRAP, on("wiki"))).isEqualTo(Answer.noContent());
        assertThat(f.vault.shared(wiki)).isEqualTo(new Vault.Lookup.Missing(Vault.Why.NOT_STORED));

        List<AuditLogEntry> entries = audited();
        assertThat(entries).extracting(AuditLogEntry::action).containsExactly("app.sso.shared-credential.delete",
                "app.sso.shared-credential.set", "app.sso.shared-credential.set");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.targetId()).isEqualTo("wiki");
            assertThat(e.before() + e.after()).doesNotContain("secret");
        });
        assertThat(entries.get(1).before()).contains("svc-wiki");
        assertThat(entries.get(1).after()).contains("svc-wiki2");
        assertThat(new SharedCredential("svc", "a-secret").toString()).doesNotContain("a-secret");
    }

    @Test
    void unknownPassthroughAndInvalidAreRefusedAndChangeNothing() throws Exception {
        assertThatThrownBy(() -> api.put(Caller.BOOTSTRAP, on("nope").body(new SharedCredential("a", "b"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        assertThatThrownBy(() -> api.delete(Caller.BOOTSTRAP, on("wiki")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        PublishedApp open = f.app("open", "http://open.corp/", VaultFixture.users());
        // Single sign-on off first: an app with it cannot be made passthrough.
        f.apps.setSso(open.id(), SsoSettings.NONE, open.updatedAt());
        f.apps.update(new PublishedApp(open.id(), open.name(), open.externalUrl(), open.externalHost(), open.externalPath(),
                open.internalUrl(), open.connectorGroupId(), open.backendTimeout(), false, PreAuthentication.PASSTHROUGH, open.access(),
                open.createdAt(), open.updatedAt(), false, SsoSettings.NONE));
        assertThatThrownBy(() -> api.put(Caller.BOOTSTRAP, on("open").body(new SharedCredential("a", "b"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(409));
        assertThatThrownBy(() -> api.put(Caller.BOOTSTRAP, on("wiki").body(new SharedCredential("svc:wiki", "bad\r\nsecret"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("username", "password");
                    assertThat(e.errors()).extracting(FieldError::message).noneMatch(m -> m.contains("secret"));
                });
        assertThatThrownBy(() -> api.put(Caller.BOOTSTRAP, on("wiki").body(new SharedCredential(null, null))))
                .isInstanceOf(ValidationException.class);
        assertThat(f.vault.sharedUsername("wiki")).isEmpty();
        assertThat(audited()).isEmpty();
    }
}
