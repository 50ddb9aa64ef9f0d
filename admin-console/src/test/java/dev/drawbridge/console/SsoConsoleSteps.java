package dev.drawbridge.console;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.drawbridge.console.ConsoleRobot.apps;
import static dev.drawbridge.console.ConsoleRobot.appsScreen;
import static dev.drawbridge.console.ConsoleRobot.await;
import static dev.drawbridge.console.ConsoleRobot.console;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.set;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConsoleSystemTest}'s steps for SAML and stored passwords, on its console and the real server: a mod_auth_mellon
 * service provider's metadata (put at the app's external URL) read by the server into the SAML fields, saved and stored
 * with its signing certificate; the IdP metadata written to a file; then a login form with the write-only shared user name
 * and password, set (the audit log names the user name, never the password) and saved.
 */
final class SsoConsoleSteps {
    private SsoConsoleSteps() {
    }

    static void samlAndStoredPasswords(DrawbridgeStack stack, Path dir) throws Exception {
        AdminApi api = stack.adminApi();
        String url = stack.externalUrl("expenses");
        String internal = api.apps().list(Paging.LARGEST).items().getFirst().internalUrl();
        // A SAML service provider checks the URL the response was posted to: the app keeps the external Host.
        AppView app = api.apps().create(new AppSpec("Expenses", url, internal, null, null, false, PreAuthentication.DIRECTORY, null));
        interact(() -> console.mainWindow().show("Applications"));
        interact(() -> appsScreen().refresh());
        await("the new app", () -> fx(() -> apps().stream().anyMatch(a -> a.id().equals(app.id()))));
        interact(() -> {
            TableView<AppView> t = robot.lookup("#apps-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(a -> a.id().equals(app.id())).findFirst().orElseThrow());
        });
        await("the section available", () -> !fx(() -> robot.lookup("#sso-method").query().isDisabled()));
        interact(() -> robot.lookup("#sso-method").<ComboBox<SsoMethod>>query().setValue(SsoMethod.SAML));

        String metadata;
        try (InputStream in = SsoConsoleSteps.class.getResourceAsStream("apps/sso/mellon-sp-metadata.xml")) {
            metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("https://sp.localhost:8443/", url);
        }
        Path file = Files.writeString(dir.resolve("expenses-sp.xml"), metadata);
        // The file chooser is native: the file goes to the view model as the chooser would hand it.
        interact(() -> appsScreen().viewModel().sso().saml().importMetadata(file));
        await("the metadata read by the server", () -> shown("#sso-saml-metadata-status"));
        assertThat(fx(() -> robot.lookup("#sso-saml-entity-id").<TextInputControl>query().getText())).isEqualTo(url + "mellon/metadata");
        assertThat(fx(() -> robot.lookup("#sso-saml-acs-url").<TextInputControl>query().getText())).isEqualTo(url + "mellon/postResponse");
        assertThat(fx(() -> robot.lookup("#sso-saml-certificate").<TextInputControl>query().getText())).startsWith("-----BEGIN CERTIFICATE-----");
        interact(() -> robot.lookup("#sso-save").queryButton().fire());
        await("the SAML settings stored", () -> api.apps().sso(app.id()).method() == SsoMethod.SAML);
        SamlSso stored = api.apps().sso(app.id()).saml();
        assertThat(stored.spEntityId()).isEqualTo(url + "mellon/metadata");
        assertThat(stored.spCertificate()).startsWith("-----BEGIN CERTIFICATE-----");

        Path idp = dir.resolve("expenses-idp.xml");
        interact(() -> appsScreen().viewModel().sso().saml().saveIdpMetadata(idp));
        await("the IdP metadata written", () -> Files.exists(idp) && Files.readString(idp).contains("SingleSignOnService"));
        assertThat(Files.readString(idp)).contains("X509Certificate");

        interact(() -> robot.lookup("#sso-method").<ComboBox<SsoMethod>>query().setValue(SsoMethod.FORMS));
        set("#sso-login-path", "/login");
        interact(() -> robot.lookup("#sso-credentials").<ComboBox<Credentials>>query().setValue(Credentials.SHARED));
        set("#sso-shared-username", "svc-expenses");
        set("#sso-shared-password", "Tr0ub4dor&3");
        interact(() -> robot.lookup("#sso-shared-set").queryButton().fire());
        await("the shared credential set", () -> shown("#sso-shared-status"));
        assertThat(text("#sso-shared-status")).startsWith("Set: every user signs in to the app as svc-expenses.");
        assertThat(fx(() -> robot.lookup("#sso-shared-password").<TextInputControl>query().getText())).isEmpty();
        AuditLogEntry audited = api.logs().audit(Paging.DEFAULT, new Logs.AuditFilter(null, "app.sso.shared-credential.set", "app",
                app.id(), null, null)).items().getFirst();
        assertThat(audited.after()).contains("svc-expenses").doesNotContain("Tr0ub4dor");
        interact(() -> robot.lookup("#sso-save").queryButton().fire());
        await("the login form stored", () -> api.apps().sso(app.id()).method() == SsoMethod.FORMS);
        assertThat(api.apps().sso(app.id())).isEqualTo(SsoSettings.forms(new FormsSso("/login", null, null, Credentials.SHARED)));
    }
}
