package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /apps/{id}/sso/preview} around the methods: an unknown app or user is a 404 (the user's naming
 * {@code user}); a draft is checked as {@code PUT /sso} checks it, with the same fields and statuses (400, 409 for an app
 * without pre-authentication) and nothing stored; the reasons that apply to every method (disabled, not assigned, the
 * app not pre-authenticated, no connector, connectors too old for single sign-on) are each a problem; only callers with
 * APPS_READ and DIRECTORY_READ may call it; nothing is audited.
 */
class SsoPreviewApiTest {
    static final SsoSettings HEADERS = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN)));
    @TempDir
    Path dir;
    SsoPreviewFixture f;
    PublishedApp app;
    DirectoryUser alice;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
        app = f.app("hr", HEADERS);
        alice = f.user("alice@corp.example", "Alice", null, null);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private Object call(Caller caller, String appId, SsoPreviewRequest body) throws Exception {
        return f.api.preview(caller, new FakeAdminRequest().path("id", appId).body(body));
    }

    @Test
    void anUnknownAppIsNotFoundWhateverTheBody() {
        for (SsoPreviewRequest body : List.of(SsoPreviewRequest.of(alice.id()), SsoPreviewRequest.of("nobody"),
                new SsoPreviewRequest(alice.id(), SsoSettings.headers(List.of(HeaderRule.of("Host", HeaderSource.UPN)))))) {
            assertThatThrownBy(() -> call(Caller.BOOTSTRAP, "00000000-0000-0000-0000-000000000000", body))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        }
    }

    @Test
    void anUnknownUserIsNotFoundNamingUser() {
        for (String user : Arrays.asList("nobody@corp.example", "00000000-0000-0000-0000-000000000000", "", null)) {
            assertThatThrownBy(() -> call(Caller.BOOTSTRAP, app.id(), SsoPreviewRequest.of(user))).as("%s", user)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(404);
                        assertThat(e.problem().errors()).extracting(Problem.FieldError::field).containsExactly("user");
                        assertThat(e.problem().detail()).startsWith("no user with id or UPN '" + (user == null ? "" : user) + "'");
                    });
        }
    }

    /** The draft's problems are PUT /sso's, field by field, and neither stores anything. */
    @Test
    void aDraftIsCheckedAsPutChecksIt() throws Exception {
        List<SsoSettings> bad = List.of(
                SsoSettings.headers(List.of(HeaderRule.of("Host", HeaderSource.UPN), HeaderRule.of("x_user", HeaderSource.UPN),
                        HeaderRule.of("X.User", HeaderSource.EMAIL))),
                new SsoSettings(SsoMethod.KERBEROS, List.of(), new KerberosSso("not an spn", null, false), null),
                new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso("https://sp.example.com/", "https://elsewhere.example.net/acs")),
                new SsoSettings(SsoMethod.FORMS, List.of()));
        for (SsoSettings draft : bad) {
            ValidationException put = catchValidation(() -> f.sso.replace(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", app.id()).body(draft)));
            ValidationException preview = catchValidation(() -> call(Caller.BOOTSTRAP, app.id(), new SsoPreviewRequest(alice.id(), draft)));
            assertThat(preview.errors()).as(draft.method().name()).isNotEmpty().isEqualTo(put.errors());
        }
        assertThat(f.apps.sso(app.id())).contains(HEADERS);
    }

    @Test
    void aDraftWithAMethodOnAnAppWithoutPreAuthenticationIsAConflictNamingMethod() throws Exception {
        PublishedApp open = f.app("wiki", PreAuthentication.PASSTHROUGH, false, null);
        ConflictException put = catchConflict(() -> f.sso.replace(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", open.id()).body(HEADERS)));
        ConflictException preview = catchConflict(() -> call(Caller.BOOTSTRAP, open.id(), new SsoPreviewRequest(alice.id(), HEADERS)));
        assertThat(preview.field()).isEqualTo("method").isEqualTo(put.field());
        assertThat(preview.getMessage()).isEqualTo(put.getMessage());
        // Its stored NONE previews: the backend gets no user.
        SsoPreview p = f.preview(open, alice.id());
        assertThat(p.method()).isEqualTo(SsoMethod.NONE);
        assertThat(p.problems()).containsExactly("the app is PASSTHROUGH: Drawbridge signs no one in to it, so its backend gets no user"
                + " (single sign-on needs pre-authentication DIRECTORY)");
    }

    @Test
    void aDisabledOrUnassignedUserIsAProblem() throws Exception {
        PublishedApp assigned = f.app("payroll", PreAuthentication.DIRECTORY, true, HEADERS);
        assertThat(f.preview(assigned, alice.id()).problems()).containsExactly("alice@corp.example is not assigned to the app, which"
                + " requires assignment: their requests are refused before single sign-on (assign them, or a group of theirs)");
        // Through a group, as the edge counts it.
        f.member(alice, "Payroll users");
        f.directory.assign(assigned.id(), DirectoryStore.PrincipalType.GROUP, f.directory.group("Payroll users").orElseThrow().id(),
                SsoPreviewFixture.NOW);
        assertThat(f.preview(assigned, alice.id()).problems()).isEmpty();
        f.directory.setEnabled(alice.id(), false, SsoPreviewFixture.NOW);
        SsoPreview disabled = f.preview(assigned, alice.id());
        assertThat(disabled.problems()).containsExactly("alice@corp.example is disabled: they cannot sign in, so none of their requests"
                + " reaches the app");
        // What the backend would get is still shown.
        assertThat(disabled.headers()).containsExactly(new SsoPreview.Header("X-Remote-User", "alice@corp.example"));
    }

    @Test
    void connectorsThatCannotCarryTheRequestAreAProblem() throws Exception {
        f.reach = ConnectorPicker.Reach.TOO_OLD_FOR_SSO;
        assertThat(f.preview(app, alice.id()).problems()).containsExactly("the connectors of the group 'Default' connected to this server"
                + " all predate single sign-on: users get \"the app's connectors need an update\" until one of them is updated");
        assertThat(f.askedSso).isTrue();
        f.reach = ConnectorPicker.Reach.NONE_CONNECTED;
        assertThat(f.preview(app, alice.id()).problems()).containsExactly("no connector of the group 'Default' is connected to this"
                + " server: requests to the app fail until one is");
        f.reach = ConnectorPicker.Reach.READY;
        SsoPreview none = f.preview(app, alice.id(), SsoSettings.NONE);
        assertThat(none).isEqualTo(new SsoPreview(SsoMethod.NONE, alice.id(), alice.upn(), List.of(), null, null, null, List.of()));
        assertThat(f.askedSso).isFalse();
    }

    /** Every role: allowed exactly when it holds APPS_READ, and every such role holds DIRECTORY_READ too. */
    @Test
    void onlyReadersOfAppsAndOfTheDirectoryMayPreview() throws Exception {
        for (AdminRole role : AdminRole.values()) {
            boolean reader = role.permissions().contains(Permission.APPS_READ);
            assertThat(!reader || role.permissions().contains(Permission.DIRECTORY_READ)).as(role.name()).isTrue();
            Caller caller = new Caller(role.name(), Optional.of("u-" + role), role.name(), List.of(role));
            if (reader) {
                assertThat(call(caller, app.id(), SsoPreviewRequest.of(alice.id()))).isNotNull();
            } else {
                assertThatThrownBy(() -> call(caller, app.id(), SsoPreviewRequest.of(alice.id())))
                        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(403));
            }
        }
        assertThatThrownBy(() -> call(Caller.ANONYMOUS, app.id(), SsoPreviewRequest.of(alice.id())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().detail()).contains("APPS_READ", "DIRECTORY_READ"));
    }

    @Test
    void aPreviewIsNotAudited() throws Exception {
        f.preview(app, alice.id());
        f.preview(app, alice.id(), SsoSettings.NONE);
        List<AuditLogEntry> all = f.audit.query(new AuditLog.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 100));
        assertThat(all).isEmpty();
    }

    interface Call {
        void run() throws Exception;
    }

    private static ValidationException catchValidation(Call c) throws Exception {
        try {
            c.run();
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("no ValidationException");
    }

    private static ConflictException catchConflict(Call c) throws Exception {
        try {
            c.run();
        } catch (ConflictException e) {
            return e;
        }
        throw new AssertionError("no ConflictException");
    }
}
