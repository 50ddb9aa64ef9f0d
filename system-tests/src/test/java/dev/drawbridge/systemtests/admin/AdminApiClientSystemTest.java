package dev.drawbridge.systemtests.admin;

import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed client against a real server: the main operations of each resource, sign-in, refusals and encoded ids. */
class AdminApiClientSystemTest {
    private static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static AdminApi api;

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        api = stack.adminApi();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void theBootstrapAdminIsAGlobalAdministrator() throws Exception {
        assertThat(api.me().roles()).contains(AdminRole.GLOBAL_ADMINISTRATOR);
    }

    @Test
    void appsAreManagedEndToEnd() throws Exception {
        AppView hr = api.apps().create(new AppSpec("HR typed", stack.externalUrl("hr-typed"), "http://127.0.0.1:9/", null, null, null,
                PreAuthentication.DIRECTORY));
        assertThat(api.apps().get(hr.id()).externalUrl()).isEqualTo(stack.externalUrl("hr-typed"));
        assertThat(api.apps().list(Paging.DEFAULT, new Apps.Filter("hr TYPED")).items()).extracting(AppView::id).containsExactly(hr.id());
        AppView renamed = api.apps().replace(hr.id(), new AppSpec("HR typed 2", hr.externalUrl(), hr.internalUrl(), null, null, null,
                PreAuthentication.DIRECTORY));
        assertThat(renamed.name()).isEqualTo("HR typed 2");

        GroupView staff = api.groups().create(new GroupBody("Typed staff", "for the typed client", null));
        UserView ann = api.users().create(new UserSpec("ann.typed@corp.example", "Ann", null, null, PASSWORD));
        api.groups().addMember(staff.id(), new MemberBody(ann.upn()));
        assertThat(api.groups().members(staff.id())).extracting(UserView::id).containsExactly(ann.id());
        AssignmentView assigned = api.apps().assign(hr.id(), new AssignmentBody("GROUP", staff.id())).getFirst();
        assertThat(api.apps().assignments(hr.id())).extracting(AssignmentView::principalId).containsExactly(staff.id());
        api.apps().unassign(hr.id(), assigned.principalType(), assigned.principalId());
        assertThat(api.apps().assignments(hr.id())).isEmpty();
        api.apps().addOwner(hr.id(), new MemberBody(ann.upn()));
        assertThat(api.apps().owners(hr.id())).extracting(UserView::upn).containsExactly(ann.upn());
        api.apps().removeOwner(hr.id(), ann.id());
        assertThat(api.apps().owners(hr.id())).isEmpty();

        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>".getBytes(StandardCharsets.UTF_8);
        assertThat(api.apps().setIcon(hr.id(), new Icon("image/svg+xml", svg)).bytes()).isEqualTo(svg.length);
        Icon icon = api.apps().icon(hr.id());
        assertThat(icon.mediaType()).isEqualTo("image/svg+xml");
        assertThat(icon.bytes()).isEqualTo(svg);
        api.apps().removeIcon(hr.id());
        assertThatThrownBy(() -> api.apps().icon(hr.id())).isInstanceOfSatisfying(AdminApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));

        api.groups().removeMember(staff.id(), ann.id());
        api.groups().delete(staff.id());
        api.apps().delete(hr.id());
        assertThatThrownBy(() -> api.apps().get(hr.id())).isInstanceOfSatisfying(AdminApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        List<AuditLogEntry> audit = api.logs().audit(Paging.DEFAULT, new Logs.AuditFilter(null, null, "app", hr.id(), null, null)).items();
        assertThat(audit).extracting(AuditLogEntry::action).contains("app.create", "app.delete");
    }

    @Test
    void invalidInputIsAProblemNamingEachField() {
        assertThatThrownBy(() -> api.apps().create(new AppSpec("Bad", "hr.corp", "ftp://x", null, null, null, null)))
                .isInstanceOfSatisfying(AdminApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.fromServer()).isTrue();
                    assertThat(e.problem().errors()).extracting(f -> f.field()).contains("externalUrl", "internalUrl");
                    assertThat(e.getMessage()).startsWith("Invalid request: ").contains("'hr.corp' is not an absolute URL", "'ftp://x'");
                });
    }

    @Test
    void anIdCanNameNoOtherResource() throws Exception {
        api.users().create(new UserSpec("slash.typed@corp.example", "Slash", null, null, PASSWORD));
        for (String id : List.of("../users", "x/../../users", "%2e%2e", "x?search=slash", "x#y", "x;y=z")) {
            assertThatThrownBy(() -> api.apps().get(id)).as(id).isInstanceOfSatisfying(AdminApiException.class,
                    e -> assertThat(e.status()).isIn(400, 404));
        }
    }

    @Test
    void aDirectoryAdminSignsInAndIsHeldToTheirRoles() throws Exception {
        UserView bob = api.users().create(new UserSpec("bob.typed@corp.example", "Bob", null, null, PASSWORD));
        assertThat(api.users().setRoles(bob.id(), new RolesBody(List.of(AdminRole.HELPDESK_ADMINISTRATOR))).roles())
                .containsExactly(AdminRole.HELPDESK_ADMINISTRATOR);
        try (HttpAdminApi anonymous = stack.adminApi(null)) {
            assertThatThrownBy(() -> anonymous.signIn(new AdminTokenRequest(bob.upn(), "wrong", null)))
                    .isInstanceOfSatisfying(AdminApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(anonymous::me).isInstanceOfSatisfying(AdminApiException.class, e -> assertThat(e.status()).isEqualTo(401));
            String token = anonymous.signIn(new AdminTokenRequest(bob.upn(), PASSWORD, null)).accessToken();
            try (HttpAdminApi helpdesk = stack.adminApi(token)) {
                assertThat(helpdesk.me().roles()).containsExactly(AdminRole.HELPDESK_ADMINISTRATOR);
                assertThat(helpdesk.users().list(Paging.DEFAULT, new Users.Search("bob.typed")).items()).extracting(UserView::id)
                        .containsExactly(bob.id());
                assertThatThrownBy(() -> helpdesk.connectorGroups().create(new NameBody("Not mine", null, null)))
                        .isInstanceOfSatisfying(AdminApiException.class, e -> assertThat(e.status()).isEqualTo(403));
            }
        }
        List<SignInLogEntry> failures = api.logs().signIns(Paging.DEFAULT,
                new Logs.SignInFilter(bob.upn(), null, SignInResult.FAILURE, null, null, null)).items();
        assertThat(failures).isNotEmpty();
        assertThat(api.logs().signInStats(new Logs.StatsWindow(6)).buckets()).hasSize(6);
    }

    @Test
    void usersAreDisabledEnabledAndReset() throws Exception {
        UserView cat = api.users().create(new UserSpec("cat.typed@corp.example", "Cat", null, null, PASSWORD));
        assertThat(api.users().disable(cat.id()).enabled()).isFalse();
        assertThat(api.users().enable(cat.id()).enabled()).isTrue();
        assertThat(api.users().resetPassword(cat.id(), new PasswordBody("another long passphrase")).hasPassword()).isTrue();
        api.users().revokeSessions(cat.id());
        assertThat(api.users().roles(cat.id()).roles()).isEmpty();
        api.users().delete(cat.id());
        assertThatThrownBy(() -> api.users().get(cat.id())).isInstanceOf(AdminApiException.class);
    }

    @Test
    void connectorGroupsTokensPoliciesAndLocations() throws Exception {
        ConnectorGroupView branch = api.connectorGroups().create(new NameBody("Typed branch", null, null));
        assertThat(api.connectorGroups().list(Paging.DEFAULT).items()).extracting(ConnectorGroupView::id).contains(branch.id());
        assertThat(api.connectors().createRegistrationToken(
                new RegistrationTokenRequest(branch.id(), 5)).token()).isNotBlank();
        api.connectorGroups().delete(branch.id());

        NamedLocation office = api.namedLocations().create(new NamedLocation(null, "Typed office", true, List.of("10.1.0.0/16")));
        assertThat(api.namedLocations().replace(office.id(), new NamedLocation(office.id(), "Typed office", true, List.of("10.2.0.0/16")))
                .cidrs()).containsExactly("10.2.0.0/16");
        AccessPolicy policy = api.policies().create(new AccessPolicy(null, "Typed block", AccessPolicy.State.REPORT_ONLY, List.of(),
                List.of("ALL"), List.of(), List.of(), List.of(office.id()), List.of(), null, AccessPolicy.Control.BLOCK));
        assertThat(api.policies().list()).extracting(AccessPolicy::id).contains(policy.id());
        api.policies().delete(policy.id());
        api.namedLocations().delete(office.id());
        assertThat(api.namedLocations().list()).extracting(NamedLocation::id).doesNotContain(office.id());

        assertThat(api.certificates().list()).isEmpty();
        assertThatThrownBy(() -> api.certificates().serverCertificate()).isInstanceOfSatisfying(AdminApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> api.directorySync().run()).isInstanceOfSatisfying(AdminApiException.class,
                e -> assertThat(e.status()).isEqualTo(409));
        assertThat(api.accessRequests().list(new AccessRequests.Filter(AccessRequestStatus.PENDING))).isEmpty();
    }

    @Test
    void nativeOAuthClientsAreRegisteredReplacedAndDeleted() throws Exception {
        AppView app = api.apps().create(new AppSpec("OAuth typed", stack.externalUrl("oauth-typed"), "http://127.0.0.1:9/", null, null,
                null, PreAuthentication.DIRECTORY));
        OAuthClientView made = api.oauthClients().register(new OAuthClientSpec(null, "Made up", List.of("http://127.0.0.1/cb"),
                List.of(OAuthGrant.AUTHORIZATION_CODE), List.of()));
        assertThat(made.clientId()).isNotBlank();
        OAuthClientView cli = api.oauthClients().register(new OAuthClientSpec("com.example.typed", "Typed CLI",
                List.of("http://localhost/callback", "com.example.typed:/cb"), List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN),
                List.of(app.id())));
        assertThat(api.oauthClients().get("com.example.typed")).isEqualTo(cli);
        assertThat(api.oauthClients().list()).extracting(OAuthClientView::clientId).contains(made.clientId(), "com.example.typed");
        OAuthClientView replaced = api.oauthClients().replace(cli.clientId(), new OAuthClientSpec(null, "Typed CLI 2",
                List.of("http://[::1]/cb"), List.of(OAuthGrant.AUTHORIZATION_CODE), List.of()));
        assertThat(replaced.clientId()).isEqualTo("com.example.typed");
        assertThat(replaced.displayName()).isEqualTo("Typed CLI 2");
        assertThat(replaced.grants()).containsExactly(OAuthGrant.AUTHORIZATION_CODE);
        assertThat(replaced.appIds()).isEmpty();
        assertThatThrownBy(() -> api.oauthClients().register(new OAuthClientSpec("COM.EXAMPLE.TYPED", "Twin",
                List.of("http://127.0.0.1/cb"), List.of(OAuthGrant.AUTHORIZATION_CODE), List.of())))
                .isInstanceOfSatisfying(AdminApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        api.oauthClients().delete(cli.clientId());
        api.oauthClients().delete(made.clientId());
        assertThatThrownBy(() -> api.oauthClients().get(cli.clientId())).isInstanceOfSatisfying(AdminApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        api.apps().delete(app.id());
    }
}
