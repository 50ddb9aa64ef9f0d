package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.sso.preview.SsoPreviews;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Test as user" for every admin role against a Kerberos draft and a stored Kerberos setting, with the connector group in
 * every state: the connector group's side (its Kerberos realm, in the principal, the SPN and the problems; whether it has
 * Kerberos settings; whether its connectors are ready, in maintenance or too old) is {@code CONNECTORS_READ}'s, which
 * guards {@code GET /connector-groups/{id}/kerberos} and the connectors' routes. A role without it (cloud application
 * administrator) gets an answer that is the same whatever the group's state, with one sentence saying what is withheld;
 * a role with it (global and application administrators, security readers) gets everything; one without APPS_READ
 * (helpdesk) gets none.
 */
class SsoPreviewAuthorizationTest {
    static final String REALM = "SECRET-FOREST.CORP";
    static final SsoSettings KERBEROS = new SsoSettings(SsoMethod.KERBEROS, List.of(),
            new KerberosSso("HTTP/hr.corp", KerberosSso.LoginIdentity.UPN, false), null);
    @TempDir
    Path dir;
    SsoPreviewFixture f;
    DirectoryUser alice;
    PublishedApp storedKerberos, headersApp;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
        alice = f.user("alice@corp.example", "Alice", null, null);
        storedKerberos = f.app("iwa", KERBEROS);
        headersApp = f.app("hr", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN))));
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    static Caller caller(AdminRole role) {
        return new Caller(role.name().toLowerCase() + "@corp.example", Optional.of(role.name()), role.name(), List.of(role));
    }

    private SsoPreview preview(Caller caller, PublishedApp app, SsoSettings draft) throws Exception {
        Answer.Json a = (Answer.Json) f.api.preview(caller, new FakeAdminRequest().path("id", app.id()).body(new SsoPreviewRequest(alice.id(), draft)));
        return (SsoPreview) a.body();
    }

    /** The Kerberos draft on an app with headers, and the stored Kerberos setting, as {@code caller} previews them now. */
    private List<SsoPreview> bothPreviews(Caller caller) throws Exception {
        return List.of(preview(caller, headersApp, KERBEROS), preview(caller, storedKerberos, null));
    }

    @Test
    void aRoleWithoutConnectorsReadGetsTheSameAnswerWhateverTheConnectorGroupsState() throws Exception {
        List<AdminRole> without = List.of(AdminRole.values()).stream().filter(r -> r.permissions().contains(AdminRole.Permission.APPS_READ))
                .filter(r -> !r.permissions().contains(AdminRole.Permission.CONNECTORS_READ)).toList();
        assertThat(without).contains(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR);
        for (AdminRole role : without) {
            Caller caller = caller(role);
            List<List<SsoPreview>> answers = new ArrayList<>();
            answers.add(bothPreviews(caller)); // no Kerberos settings, connectors ready
            for (ConnectorPicker.Reach reach : ConnectorPicker.Reach.values()) {
                f.reach = reach;
                answers.add(bothPreviews(caller));
            }
            f.kerberosRealm(REALM);
            for (ConnectorPicker.Reach reach : ConnectorPicker.Reach.values()) {
                f.reach = reach;
                answers.add(bothPreviews(caller));
            }
            f.kerberos.delete(f.group);
            f.reach = ConnectorPicker.Reach.READY;

            assertThat(answers).as("%s: one answer in every state of the group", role).allSatisfy(a -> assertThat(a).isEqualTo(answers.getFirst()));
            for (SsoPreview p : answers.getLast()) {
                assertThat(p.toString()).as(role.name()).doesNotContainIgnoringCase(REALM).doesNotContain("Default");
                assertThat(p.kerberos()).isEqualTo(new SsoPreview.Kerberos("alice@corp.example", "HTTP/hr.corp", false));
                assertThat(p.problems()).containsExactly(SsoPreviews.CONNECTOR_DETAILS_WITHHELD);
            }
        }
    }

    @Test
    void aRoleWithConnectorsReadGetsTheRealmAndTheGroupsProblems() throws Exception {
        List<AdminRole> with = List.of(AdminRole.values()).stream().filter(r -> r.permissions().contains(AdminRole.Permission.APPS_READ))
                .filter(r -> r.permissions().contains(AdminRole.Permission.CONNECTORS_READ)).toList();
        assertThat(with).containsExactlyInAnyOrder(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR, AdminRole.SECURITY_READER);
        for (AdminRole role : with) {
            Caller caller = caller(role);
            for (SsoPreview p : bothPreviews(caller)) {
                assertThat(p.problems()).as(role.name()).anySatisfy(s -> assertThat(s).contains("has no Kerberos settings"))
                        .doesNotContain(SsoPreviews.CONNECTOR_DETAILS_WITHHELD);
            }
            f.kerberosRealm(REALM);
            f.reach = ConnectorPicker.Reach.IN_MAINTENANCE;
            for (SsoPreview p : bothPreviews(caller)) {
                // The UPN's domain is not the realm: the connector would refuse the name, and says which realm.
                assertThat(p.kerberos()).as(role.name()).isEqualTo(new SsoPreview.Kerberos(null, "HTTP/hr.corp@" + REALM, false));
                assertThat(p.problems()).containsExactly("'alice@corp.example' cannot stand for a user of the connector group's realm " + REALM
                        + ": the connector refuses it (choose a delegated login identity that names a user of that realm)",
                        "the connector group 'Default' is in maintenance mode: users get the maintenance page until it ends");
            }
            f.kerberos.delete(f.group);
            f.reach = ConnectorPicker.Reach.READY;
        }
    }

    @Test
    void aRoleWithoutAppsReadGetsNoPreview() {
        List<AdminRole> without = List.of(AdminRole.values()).stream()
                .filter(r -> !r.permissions().contains(AdminRole.Permission.APPS_READ)).toList();
        assertThat(without).contains(AdminRole.HELPDESK_ADMINISTRATOR);
        for (AdminRole role : without) {
            assertThatThrownBy(() -> preview(caller(role), storedKerberos, null)).as(role.name()).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).problem().status()).isEqualTo(403));
        }
    }
}
