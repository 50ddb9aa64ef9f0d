package dev.drawbridge.console.oauthclients;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.JsonMapping;
import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.drawbridge.console.oauthclients.OAuthClientEditor.APPS;
import static dev.drawbridge.console.oauthclients.OAuthClientEditor.CLIENT_ID;
import static dev.drawbridge.console.oauthclients.OAuthClientEditor.DISPLAY_NAME;
import static dev.drawbridge.console.oauthclients.OAuthClientEditor.NEW_REDIRECT_URI;
import static dev.drawbridge.console.oauthclients.OAuthClientEditor.REDIRECT_URIS;
import static dev.drawbridge.model.api.OAuthGrant.AUTHORIZATION_CODE;
import static dev.drawbridge.model.api.OAuthGrant.REFRESH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class OAuthClientsViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final OAuthClientsViewModel vm = new OAuthClientsViewModel(api, tasks, tasks);
    final OAuthClientEditor ed = vm.editor();

    static AppView app(String id, String name) {
        return new AppView(id, name, "https://" + id + ".apps.example.com/", "http://" + id + ".corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);
    }

    static OAuthClientView client(String id, List<OAuthGrant> grants, List<String> apps) {
        return new OAuthClientView(id, "Command line", List.of("http://127.0.0.1/callback"), grants, apps, Instant.EPOCH, Instant.EPOCH);
    }

    void fillIn() {
        ed.displayNameProperty().set("Command line");
        ed.newRedirectUriProperty().set("http://127.0.0.1/callback");
        assertThat(ed.addRedirectUri()).isTrue();
    }

    @Test
    void theTableNamesAppsAndGrantsInWords() {
        api.apps.put("hr", app("hr", "HR portal"));
        api.apps.put("wiki", app("wiki", "Wiki"));
        api.oauthClients.put("cli", client("cli", List.of(AUTHORIZATION_CODE, REFRESH_TOKEN), List.of()));
        api.oauthClients.put("sync", client("sync", List.of(AUTHORIZATION_CODE), List.of("wiki", "hr", "gone")));
        vm.refresh();
        assertThat(vm.clients().items()).extracting(OAuthClientView::clientId).containsExactly("cli", "sync");
        assertThat(vm.appsText(vm.clients().items().get(0))).isEqualTo("Any app");
        // An app the console does not know (yet) reads as its id rather than vanishing.
        assertThat(vm.appsText(vm.clients().items().get(1))).isEqualTo("Wiki, HR portal, gone");
        assertThat(vm.appChoices()).containsExactly("hr", "wiki");
        assertThat(Labels.grants(vm.clients().items().get(1).grants())).isEqualTo("Sign-in (code + PKCE)");
    }

    @Test
    void fieldsAreCheckedWithTheSharedRulesOnceTouchedAndAnInvalidSaveSendsNothing() {
        vm.newClient();
        // A fresh form greets nobody with red, though it is not valid yet.
        assertThat(ed.errors().error(DISPLAY_NAME).get()).isEmpty();
        assertThat(ed.errors().error(REDIRECT_URIS).get()).isEmpty();
        assertThat(ed.validProperty().get()).isFalse();
        ed.clientIdProperty().set("my client");
        assertThat(ed.errors().error(CLIENT_ID).get()).startsWith("The client ID must be 1 to 100 letters");
        ed.clientIdProperty().set("");
        assertThat(ed.errors().error(CLIENT_ID).get()).isEmpty();
        // Each redirect URI is checked with RedirectUris before it joins the list.
        for (String bad : List.of("https://app.example.com/callback", "http://evil.example/cb", "http://127.0.0.1/cb#x",
                "http://127.0.0.1@evil.example/", "myapp:/callback", "com.example.app://host/cb", "http://127.0.0.1/*")) {
            ed.newRedirectUriProperty().set(bad);
            assertThat(ed.addRedirectUri()).as(bad).isFalse();
            assertThat(ed.errors().error(NEW_REDIRECT_URI).get()).as(bad).startsWith("Redirect URI '");
        }
        assertThat(ed.redirectUris()).isEmpty();
        ed.newRedirectUriProperty().set("com.example.cli:/callback");
        assertThat(ed.addRedirectUri()).isTrue();
        assertThat(ed.newRedirectUriProperty().get()).isEmpty();
        ed.newRedirectUriProperty().set("com.example.cli:/callback");
        assertThat(ed.addRedirectUri()).isFalse();
        assertThat(ed.errors().error(NEW_REDIRECT_URI).get()).isEqualTo("This redirect URI is listed already.");
        ed.newRedirectUriProperty().set("https://app.example.com/cb");
        ed.anyAppProperty().set(false);
        vm.save();
        assertThat(api.calls()).isEmpty();
        assertThat(ed.errors().error(DISPLAY_NAME).get()).startsWith("The display name is required");
        assertThat(ed.errors().error(NEW_REDIRECT_URI).get()).contains("uses https");
        assertThat(ed.errors().error(APPS).get()).isEqualTo("Pick the apps it may get tokens for, or tick Any app.");
        assertThat(ed.errors().firstShown()).contains(DISPLAY_NAME);
        ed.removeRedirectUri("com.example.cli:/callback");
        assertThat(ed.errors().error(REDIRECT_URIS).get()).startsWith("Add at least one redirect URI");
    }

    @Test
    void registersWithoutAnIdAndTheServerMakesOneUpSendingAnyAppAsAnEmptyList() throws Exception {
        vm.newClient();
        fillIn();
        // A valid redirect URI still in the add field is taken along, not lost.
        ed.newRedirectUriProperty().set("http://[::1]/callback");
        vm.save();
        assertThat(api.calls()).containsExactly("oauthClients.register");
        OAuthClientSpec sent = (OAuthClientSpec) api.body("oauthClients.register");
        assertThat(sent).isEqualTo(new OAuthClientSpec(null, "Command line", List.of("http://127.0.0.1/callback", "http://[::1]/callback"),
                List.of(AUTHORIZATION_CODE, REFRESH_TOKEN), List.of()));
        // On the wire: no clientId (the server makes one up), and appIds always an explicit list.
        JsonNode json = JsonMapping.mapper().valueToTree(sent);
        assertThat(json.has("clientId")).isFalse();
        assertThat(json.get("appIds").isArray()).isTrue();
        assertThat(json.get("appIds")).isEmpty();
        assertThat(vm.clients().selected().clientId()).isEqualTo("client-1");
        assertThat(ed.isNew()).isFalse();
        assertThat(ed.clientIdProperty().get()).isEqualTo("client-1");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: Native client registered: Command line (client_id client-1)"));
    }

    @Test
    void registersWithTheTypedIdAndPickedAppsWithoutRefreshTokens() {
        api.apps.put("hr", app("hr", "HR portal"));
        vm.refresh();
        vm.newClient();
        ed.clientIdProperty().set(" com.example.cli ");
        fillIn();
        ed.refreshTokensProperty().set(false);
        ed.anyAppProperty().set(false);
        ed.appIds().setAll("hr");
        vm.save();
        OAuthClientSpec sent = (OAuthClientSpec) api.body("oauthClients.register");
        assertThat(sent.clientId()).isEqualTo("com.example.cli");
        assertThat(sent.grants()).containsExactly(AUTHORIZATION_CODE);
        assertThat(sent.appIds()).containsExactly("hr");
        assertThat(api.oauthClients).containsKey("com.example.cli");
        assertThat(vm.appsText(vm.clients().selected())).isEqualTo("HR portal");
    }

    @Test
    void anIdTakenInAnyLetterCaseIsSaidOnTheClientIdField() {
        api.oauthClients.put("cli", client("cli", List.of(AUTHORIZATION_CODE), List.of()));
        vm.refresh();
        vm.newClient();
        ed.clientIdProperty().set("CLI");
        fillIn();
        vm.save();
        assertThat(ed.errors().error(CLIENT_ID).get()).isEqualTo("A client with the ID 'CLI' is registered already (IDs are unique in any letter case).");
        assertThat(ed.isNew()).isTrue();
        assertThat(api.oauthClients).containsOnlyKeys("cli");
    }

    @Test
    void theServersFieldErrorsLandOnTheirFieldsAndTheRestUnderTheForm() {
        api.fail("oauthClients.register", 400, "about:blank", "invalid client",
                new Problem.FieldError("appIds", "appIds is required: list the apps, or [] for any app"),
                new Problem.FieldError("redirectUris", "redirect URI 'http://127.0.0.1/callback' is taken by another client"),
                new Problem.FieldError("somethingNew", "a rule of a newer server"));
        vm.newClient();
        fillIn();
        vm.save();
        assertThat(ed.errors().error(APPS).get()).isEqualTo("appIds is required: list the apps, or [] for any app");
        assertThat(ed.errors().error(REDIRECT_URIS).get()).contains("taken by another client");
        assertThat(ed.errors().error(DISPLAY_NAME).get()).isEmpty();
        assertThat(ed.errors().other().get()).isEqualTo("a rule of a newer server");
        assertThat(vm.savingProperty().get()).isFalse();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not save Command line"));
        // Changing the field clears the server's sentence on it.
        ed.anyAppProperty().set(false);
        ed.anyAppProperty().set(true);
        assertThat(ed.errors().error(APPS).get()).isEmpty();
    }

    @Test
    void replacesKeepingTheIdWhichCannotBeEdited() {
        api.oauthClients.put("cli", client("cli", List.of(AUTHORIZATION_CODE), List.of()));
        vm.refresh();
        vm.clients().selectedProperty().set(vm.clients().items().getFirst());
        assertThat(ed.isNew()).isFalse();
        assertThat(ed.redirectUris()).containsExactly("http://127.0.0.1/callback");
        assertThat(ed.refreshTokensProperty().get()).isFalse();
        ed.clientIdProperty().set("other");
        ed.displayNameProperty().set("CLI (new name)");
        ed.refreshTokensProperty().set(true);
        // Giving more ends nothing: no confirmation.
        assertThat(ed.signsUsersOut()).isEmpty();
        vm.save();
        assertThat(api.calls()).contains("oauthClients.replace cli").doesNotContain("oauthClients.register");
        OAuthClientSpec sent = (OAuthClientSpec) api.body("oauthClients.replace cli");
        assertThat(sent.clientId()).isEqualTo("cli");
        assertThat(sent.appIds()).isEmpty();
        assertThat(api.oauthClients.get("cli").displayName()).isEqualTo("CLI (new name)");
        assertThat(vm.clients().items()).extracting(OAuthClientView::displayName).containsExactly("CLI (new name)");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: Native client saved"));
    }

    @Test
    void takingAwayRefreshTokensOrNarrowingAppsWarnsThatUsersAreSignedOut() {
        api.apps.put("hr", app("hr", "HR portal"));
        api.apps.put("wiki", app("wiki", "Wiki"));
        api.oauthClients.put("cli", client("cli", List.of(AUTHORIZATION_CODE, REFRESH_TOKEN), List.of()));
        api.oauthClients.put("two", client("two", List.of(AUTHORIZATION_CODE), List.of("hr", "wiki")));
        vm.refresh();
        vm.clients().selectedProperty().set(vm.clients().items().get(0));
        assertThat(ed.signsUsersOut()).isEmpty();
        ed.refreshTokensProperty().set(false);
        assertThat(ed.signsUsersOut()).hasValueSatisfying(w -> assertThat(w).startsWith("Saving signs out users of Command line")
                .contains("no longer keep users signed in").contains("refresh tokens"));
        ed.refreshTokensProperty().set(true);
        ed.anyAppProperty().set(false);
        ed.appIds().setAll("hr");
        assertThat(ed.signsUsersOut()).hasValueSatisfying(w -> assertThat(w).contains("no longer reach every app"));
        // From some apps: dropping one narrows, adding one does not.
        vm.clients().selectedProperty().set(vm.clients().items().get(1));
        assertThat(ed.anyAppProperty().get()).isFalse();
        assertThat(ed.appIds()).containsExactly("hr", "wiki");
        ed.appIds().setAll("wiki");
        assertThat(ed.signsUsersOut()).hasValueSatisfying(w -> assertThat(w).contains("no longer reach some of its apps"));
        ed.appIds().setAll("hr", "wiki");
        ed.anyAppProperty().set(true);
        assertThat(ed.signsUsersOut()).isEmpty();
        // A new client ends nothing.
        vm.newClient();
        assertThat(ed.signsUsersOut()).isEmpty();
    }

    @Test
    void deletesAfterWarningThatEveryUserIsSignedOut() {
        api.oauthClients.put("cli", client("cli", List.of(AUTHORIZATION_CODE, REFRESH_TOKEN), List.of()));
        vm.refresh();
        vm.clients().selectedProperty().set(vm.clients().items().getFirst());
        assertThat(vm.deleteWarning(vm.clients().selected())).startsWith("Every user of Command line is signed out: its refresh tokens end now");
        vm.delete();
        assertThat(api.calls()).contains("oauthClients.delete cli");
        assertThat(api.oauthClients).isEmpty();
        assertThat(vm.clients().items()).isEmpty();
        assertThat(ed.isNew()).isTrue();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: Native client deleted"));
    }

    @Test
    void aRefreshKeepsTheSelectionAndUnsavedEdits() {
        api.oauthClients.put("cli", client("cli", List.of(AUTHORIZATION_CODE), List.of()));
        vm.refresh();
        vm.clients().selectedProperty().set(vm.clients().items().getFirst());
        ed.displayNameProperty().set("edited");
        vm.refresh();
        assertThat(vm.clients().selected().clientId()).isEqualTo("cli");
        assertThat(ed.displayNameProperty().get()).isEqualTo("edited");
    }

    @Test
    void aServerWithoutNativeClientsSaysSoOnce() {
        api.fail("oauthClients.list", 404, "about:blank", "not found");
        vm.refresh();
        vm.refresh();
        assertThat(vm.clients().unavailableProperty().get()).contains("native OAuth clients");
        assertThat(tasks.notices).filteredOn(n -> n.startsWith("warn:")).hasSize(1);
    }

    @Test
    void readersSeeTheTabAndOnlyTheWritingRolesMayChangeClients() {
        assertThat(OAuthClientsViewModel.shown(Permissions.of(List.of(AdminRole.SECURITY_READER)))).isTrue();
        assertThat(OAuthClientsViewModel.shown(Permissions.of(List.of(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR)))).isTrue();
        assertThat(OAuthClientsViewModel.shown(Permissions.of(List.of(AdminRole.HELPDESK_ADMINISTRATOR)))).isFalse();
        assertThat(Permissions.of(List.of(AdminRole.SECURITY_READER)).denied(Permission.OAUTH_CLIENTS_WRITE))
                .contains("Requires the Application administrator or Cloud application administrator role");
        assertThat(Permissions.of(List.of(AdminRole.APPLICATION_ADMINISTRATOR)).denied(Permission.OAUTH_CLIENTS_WRITE)).isEmpty();
    }
}
