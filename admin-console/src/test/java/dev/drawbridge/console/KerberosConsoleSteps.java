package dev.drawbridge.console;

import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.identity.Keytabs;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.drawbridge.console.ConsoleRobot.apps;
import static dev.drawbridge.console.ConsoleRobot.await;
import static dev.drawbridge.console.ConsoleRobot.closeNotifications;
import static dev.drawbridge.console.ConsoleRobot.comboText;
import static dev.drawbridge.console.ConsoleRobot.connectorsScreen;
import static dev.drawbridge.console.ConsoleRobot.console;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.selectTab;
import static dev.drawbridge.console.ConsoleRobot.set;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static dev.drawbridge.console.ConsoleRobot.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConsoleSystemTest}'s Kerberos steps, on its console and stack: an app's Kerberos single sign-on in the app
 * editor (the SPN checked as typed, the group's missing settings said), then the connector group's Kerberos tab (realm
 * checked as typed, a KDC added, the keytab handed over as the file chooser would, saved, shown without the keytab,
 * removed after a confirmation), with a screenshot of each.
 */
final class KerberosConsoleSteps {
    static final String PRINCIPAL = "HTTP/connector.corp.example@CORP.EXAMPLE";

    private KerberosConsoleSteps() {
    }

    static void appSingleSignOn(DrawbridgeStack stack) throws Exception {
        interact(() -> console.mainWindow().show("Applications"));
        await("apps", () -> fx(() -> apps().stream().anyMatch(a -> a.name().equals("HR portal"))));
        selectApp("HR portal");
        String hrId = fx(() -> apps().stream().filter(a -> a.name().equals("HR portal")).findFirst().orElseThrow().id());
        await("the section available", () -> !fx(() -> robot.lookup("#sso-method").query().isDisabled()));
        interact(() -> robot.lookup("#sso-method").<ComboBox<SsoMethod>>query().setValue(SsoMethod.KERBEROS));
        await("the Kerberos settings", () -> shown("#sso-spn"));
        await("the group's missing settings said", () -> shown("#sso-kerberos-group"));
        assertThat(text("#sso-kerberos-group")).startsWith("Connector group Default has no Kerberos settings yet");
        assertThat(shown("#sso-spn-error")).isFalse();
        // Checked as typed, with the server's rules.
        set("#sso-spn", "hr.corp.example");
        await("the SPN's error", () -> shown("#sso-spn-error"));
        assertThat(text("#sso-spn-error")).contains("service principal name");
        assertThat(fx(() -> robot.lookup("#sso-spn").query().getStyleClass().contains("invalid"))).isTrue();
        set("#sso-spn", "HTTP/hr.corp.example");
        await("the error gone", () -> !shown("#sso-spn-error"));
        interact(() -> robot.lookup("#sso-login-identity").<ComboBox<LoginIdentity>>query().setValue(LoginIdentity.ON_PREM_SAM));
        assertThat(comboText("#sso-login-identity")).isEqualTo("On-premises SAM account name (directory sync)");
        interact(() -> ((CheckBox) robot.lookup("#sso-up-front").query()).setSelected(true));
        interact(() -> robot.lookup("#sso-save").queryButton().fire());
        SsoSettings expected = new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/hr.corp.example", LoginIdentity.ON_PREM_SAM, true), null);
        await("the settings stored", () -> stack.adminApi().apps().sso(hrId).equals(expected));
        scrollToSection();
        snapshot(fx(() -> console.stage().getScene()), "app-kerberos-sso");
        interact(() -> ((ScrollPane) robot.lookup("#app-editor-scroll").query()).setVvalue(0));
    }

    static void groupSettings(DrawbridgeStack stack, Path dir) throws Exception {
        interact(() -> console.mainWindow().show("Connectors"));
        await("the groups", () -> fx(() -> groups().getItems().stream().anyMatch(g -> g.name().equals("Default"))));
        interact(() -> groups().getSelectionModel().select(groups().getItems().stream().filter(g -> g.name().equals("Default"))
                .findFirst().orElseThrow()));
        String groupId = fx(() -> groups().getSelectionModel().getSelectedItem().id());
        selectTab("kerberos-tab");
        await("not configured", () -> shown("#kerberos-state") && text("#kerberos-state").startsWith("Not configured"));
        assertThat(shown("#kerberos-realm-error")).isFalse();
        set("#kerberos-realm", "corp.example");
        await("the realm's error", () -> shown("#kerberos-realm-error"));
        assertThat(text("#kerberos-realm-error")).contains("capitals", "CORP.EXAMPLE");
        set("#kerberos-realm", "CORP.EXAMPLE");
        await("the error gone", () -> !shown("#kerberos-realm-error"));
        set("#kerberos-kdc-new", "dc1.corp.example");
        interact(() -> robot.lookup("#kerberos-kdc-add").queryButton().fire());
        await("the KDC listed", () -> fx(() -> robot.lookup("#kerberos-kdcs").<String>queryListView().getItems()
                .equals(List.of("dc1.corp.example"))));
        set("#kerberos-principal", "HTTP/connector.corp.example");
        // Choose keytab… opens a file chooser, which a headless test cannot drive: the view model gets the file it would.
        Path keytab = Files.write(dir.resolve("connector.keytab"), Keytabs.withRandomKey(PRINCIPAL));
        interact(() -> connectorsScreen().viewModel().kerberos().chooseKeytab(keytab));
        await("the file named", () -> text("#kerberos-keytab-file").equals("connector.keytab, " + Files.size(keytab) + " bytes"));
        closeNotifications();
        interact(() -> robot.lookup("#kerberos-save").queryButton().fire());
        await("the settings stored", () -> {
            try {
                return stack.adminApi().connectorGroups().kerberos(groupId).keytabPrincipals().equals(List.of(PRINCIPAL));
            } catch (Exception e) {
                return false;
            }
        });
        await("shown as stored", () -> text("#kerberos-state").startsWith("Configured"));
        KerberosGroupView stored = stack.adminApi().connectorGroups().kerberos(groupId);
        assertThat(stored.kdcs()).containsExactly("dc1.corp.example");
        assertThat(text("#kerberos-stored-keytab")).isEqualTo(PRINCIPAL);
        assertThat(text("#kerberos-stored-realm")).isEqualTo("CORP.EXAMPLE");
        assertThat(text("#kerberos-keytab-file")).isEqualTo("No file chosen");
        snapshot(fx(() -> console.stage().getScene()), "connector-kerberos");

        // The app editor now names the account the connectors use.
        interact(() -> console.mainWindow().show("Applications"));
        selectApp("Payroll");
        selectApp("HR portal");
        await("the group's account named", () -> shown("#sso-kerberos-group")
                && text("#sso-kerberos-group").contains("signs in to the KDC as " + PRINCIPAL));

        // Remove asks first.
        interact(() -> console.mainWindow().show("Connectors"));
        selectTab("kerberos-tab");
        closeNotifications();
        robot.clickOn("#kerberos-remove");
        robot.clickOn("OK");
        await("removed", () -> text("#kerberos-state").startsWith("Not configured"));
        assertThat(stack.api("GET", "connector-groups/" + groupId + "/kerberos", null).status()).isEqualTo(404);
        // Back as the screen was: the connectors of every group.
        selectTab("connectors-tab");
        interact(() -> groups().getSelectionModel().clearSelection());
    }

    private static TableView<ConnectorGroupView> groups() {
        return robot.lookup("#groups-table").queryTableView();
    }

    private static void selectApp(String name) throws Exception {
        interact(() -> {
            TableView<AppView> t = robot.lookup("#apps-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow());
        });
    }

    private static void scrollToSection() throws Exception {
        interact(() -> {
            Node section = robot.lookup("#sso-section").query();
            ScrollPane scroll = robot.lookup("#app-editor-scroll").query();
            scroll.setVvalue(section.getBoundsInParent().getMinY() / Math.max(1, scroll.getContent().getBoundsInLocal().getHeight()
                    - scroll.getViewportBounds().getHeight()));
        });
    }
}
