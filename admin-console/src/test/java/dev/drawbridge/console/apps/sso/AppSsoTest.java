package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app editor's single sign-on against the console's fake admin API: loaded with the app, offered only for a
 * published pre-authenticated app (and why not otherwise), checked with the server's rules at every change (each error
 * on its row and field, shown once the row was edited or a save tried), saved on its own, the server's errors on
 * their rows; Kerberos with its SPN checked the same way and a word on the app's connector group's Kerberos settings; SAML
 * shown read-only.
 */
class AppSsoTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(api.session(), tasks, tasks);
    final AppSso sso = vm.sso();

    static AppView app(String id, PreAuthentication preauth) {
        return new AppView(id, id.toUpperCase(), "https://" + id + ".apps.example.com/", "http://" + id + ".corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, preauth, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);
    }

    void select(String id) {
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow());
    }

    SsoHeaderRow row(int i) {
        return sso.headers().rows().get(i);
    }

    @Test
    void aPreAuthenticatedAppsSettingsAreLoadedWithIt() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        api.sso.put("hr", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ";"))));
        select("hr");
        assertThat(api.calls()).contains("apps.sso hr");
        assertThat(sso.availableProperty().get()).isTrue();
        assertThat(sso.unavailableProperty().get()).isEmpty();
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.HEADERS);
        assertThat(sso.headers().rows()).hasSize(2);
        assertThat(row(1).prefixProperty().get()).isEqualTo("grp:");
        assertThat(row(1).separatorProperty().get()).isEqualTo(";");
        assertThat(row(1).lowerCaseProperty().get()).isTrue();
        assertThat(sso.settings()).isEqualTo(api.sso.get("hr"));
        // Loading greets with no red.
        assertThat(sso.headers().rows()).allSatisfy(r -> assertThat(r.errorProperty().get()).isEmpty());
        assertThat(sso.errorProperty().get()).isEmpty();
    }

    @Test
    void aPassthroughOrANewAppOffersNoSingleSignOnAndSaysWhy() {
        api.apps.put("wiki", app("wiki", PreAuthentication.PASSTHROUGH));
        select("wiki");
        assertThat(sso.availableProperty().get()).isFalse();
        assertThat(sso.unavailableProperty().get()).isEqualTo(AppSso.PASSTHROUGH).contains("pre-authentication", "Sign-in required");
        assertThat(api.calls()).doesNotContain("apps.sso wiki");
        sso.methodProperty().set(SsoMethod.HEADERS);
        row(0).nameProperty().set("X-User");
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));

        vm.newApp();
        assertThat(sso.availableProperty().get()).isFalse();
        assertThat(sso.unavailableProperty().get()).isEqualTo(AppSso.NEW_APP);
        assertThat(sso.headers().rows()).isEmpty();
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.NONE);
    }

    @Test
    void anOlderServerWithoutTheEndpointSaysSo() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        api.fail("apps.sso", 404, "about:blank", "no such resource");
        select("hr");
        assertThat(sso.availableProperty().get()).isFalse();
        assertThat(sso.unavailableProperty().get()).isEqualTo(AppSso.NOT_OFFERED);
    }

    @Test
    void eachErrorShowsOnItsRowAndFieldOnceTheRowIsEdited() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        select("hr");
        sso.methodProperty().set(SsoMethod.HEADERS);
        // Choosing headers starts a row; an untouched row shows no error, though it cannot be saved yet.
        assertThat(sso.headers().rows()).hasSize(1);
        assertThat(row(0).errorProperty().get()).isEmpty();
        assertThat(sso.validProperty().get()).isFalse();

        row(0).nameProperty().set("X_Forwarded_For");
        assertThat(row(0).error(SsoHeaderRow.NAME).get()).contains("'X_Forwarded_For' is reserved");
        assertThat(row(0).errorProperty().get()).contains("is reserved");
        row(0).nameProperty().set("X-Remote-User");
        assertThat(row(0).errorProperty().get()).isEmpty();
        assertThat(sso.validProperty().get()).isTrue();

        sso.headers().add();
        assertThat(row(1).errorProperty().get()).isEmpty();
        row(1).nameProperty().set("x.remote.user");
        assertThat(row(1).error(SsoHeaderRow.NAME).get()).contains("listed twice");
        assertThat(row(0).errorProperty().get()).isEmpty();
        row(1).nameProperty().set("X-Department");
        row(1).sourceProperty().set(HeaderSource.CLAIM);
        assertThat(row(1).error(SsoHeaderRow.CLAIM).get()).contains("needs the claim's name");
        assertThat(row(1).error(SsoHeaderRow.NAME).get()).isEmpty();
        row(1).claimProperty().set("department");
        assertThat(sso.validProperty().get()).isTrue();
        // The claim goes with source CLAIM only: a leftover claim is not sent with another source.
        row(1).sourceProperty().set(HeaderSource.EMAIL);
        assertThat(sso.settings().headers().get(1).claim()).isNull();
        assertThat(sso.validProperty().get()).isTrue();
        row(1).separatorProperty().set("\n");
        assertThat(row(1).error(SsoHeaderRow.SEPARATOR).get()).contains("control character");

        // No header at all for method Headers: the section's own error.
        sso.headers().remove(row(1));
        sso.headers().remove(row(0));
        assertThat(sso.errorProperty().get()).contains("needs 1 to 20 headers");
        sso.methodProperty().set(SsoMethod.NONE);
        assertThat(sso.errorProperty().get()).isEmpty();
        assertThat(sso.validProperty().get()).isTrue();
    }

    @Test
    void aSaveOfRefusedSettingsShowsEveryErrorAndSendsNothing() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        select("hr");
        sso.methodProperty().set(SsoMethod.HEADERS);
        sso.headers().add();
        row(1).nameProperty().set("Cookie");
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
        assertThat(row(0).error(SsoHeaderRow.NAME).get()).startsWith("a header name is 1 to 100");
        assertThat(row(1).error(SsoHeaderRow.NAME).get()).contains("reserved");
    }

    @Test
    void validSettingsAreSavedAndShownAsStored() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        select("hr");
        sso.methodProperty().set(SsoMethod.HEADERS);
        row(0).nameProperty().set(" X-Remote-User ");
        row(0).beforeAtProperty().set(true);
        sso.headers().add();
        row(1).nameProperty().set("X-Groups");
        row(1).sourceProperty().set(HeaderSource.GROUPS);
        row(1).separatorProperty().set(";");
        sso.save();
        SsoSettings sent = SsoSettings.headers(List.of(new HeaderRule("X-Remote-User", HeaderSource.UPN, null, true, false, null, null),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, false, null, ";")));
        assertThat(api.body("apps.setSso hr")).isEqualTo(sent);
        assertThat(api.sso.get("hr")).isEqualTo(sent);
        assertThat(sso.headers().rows()).extracting(r -> r.nameProperty().get()).containsExactly("X-Remote-User", "X-Groups");
        assertThat(tasks.notices).contains("info: Single sign-on saved: HR: Headers (X-Remote-User, X-Groups)");

        // None removes it.
        sso.methodProperty().set(SsoMethod.NONE);
        sso.save();
        assertThat(api.body("apps.setSso hr")).isEqualTo(SsoSettings.NONE);
        assertThat(sso.headers().rows()).isEmpty();
        assertThat(api.apps.get("hr").ssoMethod()).isEqualTo(SsoMethod.NONE);
    }

    @Test
    void theServersErrorsLandOnTheRowsThatWereSentUntilTheyChange() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        select("hr");
        sso.methodProperty().set(SsoMethod.HEADERS);
        row(0).nameProperty().set("X-One");
        sso.headers().add();
        row(1).nameProperty().set("X-Two");
        api.fail("apps.setSso", 400, "about:blank", "invalid", new Problem.FieldError("headers[1].name", "the server refuses X-Two"),
                new Problem.FieldError("somethingElse", "another problem"));
        sso.save();
        assertThat(row(1).error(SsoHeaderRow.NAME).get()).isEqualTo("the server refuses X-Two");
        assertThat(row(0).errorProperty().get()).isEmpty();
        assertThat(sso.errorProperty().get()).isEqualTo("another problem");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not save the single sign-on of HR"));
        row(1).nameProperty().set("X-Three");
        assertThat(row(1).errorProperty().get()).isEmpty();
        assertThat(sso.errorProperty().get()).isEmpty();

        // The app became passthrough meanwhile: the server's conflict shows on the section.
        api.recover("apps.setSso");
        api.apps.put("hr", app("hr", PreAuthentication.PASSTHROUGH));
        sso.save();
        assertThat(sso.errorProperty().get()).isEqualTo("single sign-on needs pre-authentication");
    }

    @Test
    void savingTheAppChangesWhatTheSectionOffers() {
        api.apps.put("hr", app("hr", PreAuthentication.PASSTHROUGH));
        select("hr");
        assertThat(sso.availableProperty().get()).isFalse();
        vm.editor().preAuthenticationProperty().set(PreAuthentication.DIRECTORY);
        vm.save();
        assertThat(sso.availableProperty().get()).isTrue();
        assertThat(api.calls()).contains("apps.sso hr");

        sso.methodProperty().set(SsoMethod.HEADERS);
        row(0).nameProperty().set("X-Remote-User");
        sso.save();
        // Back to passthrough: the server refuses while the app has single sign-on, and says what to do.
        vm.editor().preAuthenticationProperty().set(PreAuthentication.PASSTHROUGH);
        vm.save();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not save HR") && n.contains("remove single sign-on first"));
        assertThat(api.apps.get("hr").preAuthentication()).isEqualTo(PreAuthentication.DIRECTORY);
        assertThat(sso.availableProperty().get()).isTrue();
    }

    static final SsoSettings KERBEROS = new SsoSettings(SsoMethod.KERBEROS, List.of(),
            new KerberosSso("HTTP/intranet.corp.example", LoginIdentity.ON_PREM_SAM, true), null);

    /** An app of group g1 ("Default"), which exists on the server; without Kerberos settings unless a test adds them. */
    void kerberosApp() {
        api.apps.put("hr", app("hr", PreAuthentication.DIRECTORY));
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
    }

    @Test
    void kerberosSettingsAreLoadedWithTheAppAndTheGroupsMissingSettingsAreSaid() {
        kerberosApp();
        api.sso.put("hr", KERBEROS);
        select("hr");
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.KERBEROS);
        SsoKerberos k = sso.kerberos();
        assertThat(k.spnProperty().get()).isEqualTo("HTTP/intranet.corp.example");
        assertThat(k.loginIdentityProperty().get()).isEqualTo(LoginIdentity.ON_PREM_SAM);
        assertThat(k.upFrontProperty().get()).isTrue();
        assertThat(sso.settings()).isEqualTo(KERBEROS);
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).isEmpty();
        assertThat(sso.errorProperty().get()).isEmpty();
        // The group's settings are read (404: none), and their absence said.
        assertThat(api.calls()).contains("connectorGroups.kerberos g1");
        assertThat(k.groupMissingProperty().get()).isTrue();
        assertThat(k.groupHintProperty().get()).startsWith("Connector group Default has no Kerberos settings yet")
                .contains("refuse single sign-on", "Connectors screen");

        // Once the group has them, a save reads them again and says which account the connectors use.
        api.kerberos.put("g1", new KerberosGroupView("CORP.EXAMPLE", List.of("dc1.corp.example"), "HTTP/connector.corp.example@CORP.EXAMPLE",
                List.of("HTTP/connector.corp.example@CORP.EXAMPLE"), Instant.EPOCH));
        sso.save();
        assertThat(k.groupMissingProperty().get()).isFalse();
        assertThat(k.groupHintProperty().get()).isEqualTo("Connector group Default signs in to the KDC as"
                + " HTTP/connector.corp.example@CORP.EXAMPLE: in the directory, that account must be allowed to delegate to this SPN.");
    }

    @Test
    void choosingKerberosChecksTheSpnOnceEditedAndSavesTheSettings() {
        kerberosApp();
        select("hr");
        assertThat(api.calls()).doesNotContain("connectorGroups.kerberos g1");
        sso.methodProperty().set(SsoMethod.KERBEROS);
        assertThat(api.calls()).contains("connectorGroups.kerberos g1");
        SsoKerberos k = sso.kerberos();
        // No red before the SPN is edited, though the settings cannot be saved yet.
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).isEmpty();
        assertThat(sso.validProperty().get()).isFalse();
        assertThat(k.loginIdentityProperty().get()).isEqualTo(LoginIdentity.UPN);
        k.spnProperty().set("intranet.corp.example");
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).startsWith("spn is the backend's service principal name");
        k.spnProperty().set(" HTTP/intranet.corp.example ");
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).isEmpty();
        assertThat(sso.validProperty().get()).isTrue();
        k.loginIdentityProperty().set(LoginIdentity.USER_PART);
        sso.save();
        SsoSettings sent = new SsoSettings(SsoMethod.KERBEROS, List.of(), new KerberosSso("HTTP/intranet.corp.example",
                LoginIdentity.USER_PART, false), null);
        assertThat(api.body("apps.setSso hr")).isEqualTo(sent);
        assertThat(api.apps.get("hr").ssoMethod()).isEqualTo(SsoMethod.KERBEROS);
        assertThat(tasks.notices).contains("info: Single sign-on saved: HR: Kerberos (Integrated Windows Authentication)"
                + " (HTTP/intranet.corp.example)");
        assertThat(k.spnProperty().get()).isEqualTo("HTTP/intranet.corp.example");
    }

    /** Every spelling the rules refuse shows its error under the SPN; nothing is sent. */
    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "intranet", "HTTP/", "/intranet", "HTTP/a/b", "HTTP/intra net", "HTTP/intranet\\evil",
            "HTTP/intranet\nX-Evil: 1", "HTTP/intranet@", "1HTTP/intranet", "HTTP/intranet:99999x"})
    void aRefusedSpnShowsItsErrorAndATriedSaveSendsNothing(String spn) {
        kerberosApp();
        select("hr");
        sso.methodProperty().set(SsoMethod.KERBEROS);
        sso.kerberos().spnProperty().set(spn);
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).startsWith("spn is the backend's service principal name, service/host[@REALM]");
        assertThat(sso.errorProperty().get()).isEmpty();
    }

    @Test
    void onlyTheChosenMethodsSettingsAreSent() {
        kerberosApp();
        select("hr");
        sso.methodProperty().set(SsoMethod.HEADERS);
        row(0).nameProperty().set("X-Remote-User");
        sso.methodProperty().set(SsoMethod.KERBEROS);
        sso.kerberos().spnProperty().set("HTTP/intranet.corp.example");
        assertThat(sso.settings().headers()).isEmpty();
        // Back to headers: the typed SPN stays in the form but is not sent.
        sso.methodProperty().set(SsoMethod.HEADERS);
        sso.save();
        assertThat(((SsoSettings) api.body("apps.setSso hr")).kerberos()).isNull();
        assertThat(api.sso.get("hr").method()).isEqualTo(SsoMethod.HEADERS);
        // None after Kerberos sends nothing of it either.
        sso.methodProperty().set(SsoMethod.KERBEROS);
        sso.kerberos().spnProperty().set("HTTP/intranet.corp.example");
        sso.methodProperty().set(SsoMethod.NONE);
        sso.save();
        assertThat(api.body("apps.setSso hr")).isEqualTo(SsoSettings.NONE);
    }

    @Test
    void theServersSpnErrorLandsOnTheSpnUntilItChanges() {
        kerberosApp();
        select("hr");
        sso.methodProperty().set(SsoMethod.KERBEROS);
        sso.kerberos().spnProperty().set("HTTP/intranet.corp.example");
        api.fail("apps.setSso", 400, "about:blank", "invalid", new Problem.FieldError("kerberos.spn", "the server refuses this SPN"));
        sso.save();
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).isEqualTo("the server refuses this SPN");
        assertThat(sso.errorProperty().get()).isEmpty();
        sso.kerberos().spnProperty().set("HTTP/other.corp.example");
        assertThat(sso.errors().error(SsoKerberos.SPN).get()).isEmpty();
    }

    @Test
    void aRoleThatCannotReadConnectorGroupsIsToldWhatTheGroupNeedsWithoutAsking() {
        kerberosApp();
        AppsViewModel cloud = new AppsViewModel(api.session(Permissions.of(List.of(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR))), tasks, tasks);
        cloud.refresh();
        cloud.apps().selectedProperty().set(api.apps.get("hr"));
        cloud.sso().methodProperty().set(SsoMethod.KERBEROS);
        assertThat(api.calls()).doesNotContain("connectorGroups.kerberos g1");
        assertThat(cloud.sso().kerberos().groupMissingProperty().get()).isFalse();
        assertThat(cloud.sso().kerberos().groupHintProperty().get()).contains("Default needs Kerberos settings too", "your role cannot read");

        // Another failure than 404 is said as such.
        api.fail("connectorGroups.kerberos", 500, "about:blank", "database down");
        select("hr");
        sso.methodProperty().set(SsoMethod.KERBEROS);
        assertThat(sso.kerberos().groupHintProperty().get()).startsWith("Could not read the Kerberos settings of Connector group Default");
        assertThat(sso.kerberos().groupMissingProperty().get()).isFalse();
    }

    @Test
    void everyMethodIsOfferedAndAnotherMethodReplacesTheStoredOne() {
        kerberosApp();
        SsoSettings saml = new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso("https://hr.example/sp", "https://hr.apps.example.com/acs"));
        api.sso.put("hr", saml);
        select("hr");
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.SAML);
        assertThat(sso.methods()).containsExactly(SsoMethod.NONE, SsoMethod.HEADERS, SsoMethod.KERBEROS, SsoMethod.BASIC, SsoMethod.FORMS,
                SsoMethod.SAML);
        assertThat(sso.saml().entityIdProperty().get()).isEqualTo("https://hr.example/sp");

        sso.methodProperty().set(SsoMethod.KERBEROS);
        sso.kerberos().spnProperty().set("HTTP/hr.corp.example");
        sso.save();
        assertThat(api.sso.get("hr").method()).isEqualTo(SsoMethod.KERBEROS);
        assertThat(api.sso.get("hr").saml()).isNull();
        // As stored: the SAML fields are empty again.
        assertThat(sso.saml().entityIdProperty().get()).isEmpty();
    }
}
