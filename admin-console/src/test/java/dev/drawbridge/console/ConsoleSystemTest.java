package dev.drawbridge.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.apps.AppsView;
import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.console.config.ConsoleConfig;
import dev.drawbridge.console.config.TrustedCas;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.MutableClock;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.Axis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.PopupWindow;
import javafx.stage.Window;
import org.controlsfx.control.CheckComboBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.drawbridge.console.ConsoleRobot.apps;
import static dev.drawbridge.console.ConsoleRobot.appsScreen;
import static dev.drawbridge.console.ConsoleRobot.assertDenied;
import static dev.drawbridge.console.ConsoleRobot.await;
import static dev.drawbridge.console.ConsoleRobot.awaitOrNot;
import static dev.drawbridge.console.ConsoleRobot.closeNotifications;
import static dev.drawbridge.console.ConsoleRobot.column;
import static dev.drawbridge.console.ConsoleRobot.comboText;
import static dev.drawbridge.console.ConsoleRobot.console;
import static dev.drawbridge.console.ConsoleRobot.count;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.owners;
import static dev.drawbridge.console.ConsoleRobot.principals;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.screenshots;
import static dev.drawbridge.console.ConsoleRobot.set;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.signIns;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static dev.drawbridge.console.ConsoleRobot.text;
import static dev.drawbridge.console.ConsoleRobot.users;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real console (TestFX; headless Monocle without a display) against a real server, two connectors and the
 * sample app: sign in with trust on first use, publish an app and reach it through the proxy, assign a group,
 * watch a connector go inactive, filter the sign-in log, a security reader's disabled buttons, an app's icon
 * and owners, server-side user search, directory sync from an in-memory LDAP server, an external OIDC provider,
 * an app's header-based and Kerberos single sign-on, a connector group's Kerberos settings ({@link KerberosConsoleSteps}),
 * SAML from a service provider's metadata and a shared credential ({@link SsoConsoleSteps}),
 * and a screenshot of every screen for the docs. The tests run in order on
 * one console and one stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    static Path dir;
    static SampleApp sample;
    static DrawbridgeStack stack;
    static ConsoleApp console;
    static String payrollUrl;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("console-test");
        System.setProperty(ConsoleConfig.DIR_PROPERTY, dir.resolve("config").toString());
        sample = SampleApp.start("127.0.0.1", 0);
        MutableClock clock = new MutableClock();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock));
        stack.startConnector(dir.resolve("connector-1"), 1);
        stack.startConnector(dir.resolve("connector-2"), 1);
        DemoData.fill(stack, sample, clock);
        payrollUrl = stack.externalUrl("payroll");
        FxToolkit.registerPrimaryStage();
        console = (ConsoleApp) FxToolkit.setupApplication(() -> new ConsoleApp(new ConsoleOptions(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty())));
        ConsoleRobot.console = console;
        WaitForAsyncUtils.asyncFx(() -> {
            // Within Monocle's headless screen (1280x800): a larger window overflows its frame buffer.
            console.stage().setX(0);
            console.stage().setY(0);
            console.stage().setWidth(1280);
            console.stage().setHeight(800);
        }).get();
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            FxToolkit.cleanupApplication(console);
            FxToolkit.cleanupStages();
        }
        if (stack != null) {
            stack.close();
        }
        if (sample != null) {
            sample.close();
        }
    }

    @Test
    @Order(1)
    void signsInTrustingTheServerCaOnFirstUse() throws Exception {
        set("#server", stack.adminUrl().toString());
        robot.clickOn("#use-token");
        // The sign-in form is not red before the admin typed; a tried sign-in says what is missing under its field.
        assertThat(shown("#token-error")).isFalse();
        robot.clickOn("#sign-in");
        await("the token's error", () -> shown("#token-error"));
        assertThat(text("#token-error")).startsWith("Paste the admin token");
        set("#token", stack.adminToken());
        assertThat(shown("#token-error")).isFalse();
        snapshot(fx(() -> console.stage().getScene()), "console-sign-in");
        robot.clickOn("#sign-in");
        await("the trust prompt", () -> robot.lookup("#trust-details").tryQuery().isPresent());
        snapshot(fx(() -> robot.lookup("#trust-details").query().getScene()), "console-trust-prompt");
        String details = fx(() -> ((TextArea) robot.lookup("#trust-details").query()).getText());
        assertThat(details).contains("SHA-256").contains(TrustedCas.sha256(
                stack.server().serverCaCertificate()));
        robot.clickOn("Trust this CA");
        await("the main window", () -> robot.lookup("#nav-dashboard").tryQuery().isPresent());
        assertThat(dir.resolve("config/trusted-cas.pem")).exists();
        assertThat(fx(() -> robot.lookup("#signed-in-as").queryLabeled().getText())).contains("admin");
        // The dashboard shows the Default group with both connectors active.
        await("group health", () -> robot.lookup("#group-card-Default").tryQuery().isPresent());
        // The sign-ins chart counts whole sign-ins: every tick of its count axis is a whole number.
        await("the chart's bars", () -> fx(() -> robot.lookup("#sign-in-chart").<StackedBarChart<String, Number>>query()
                .getData().getFirst().getData().size() > 0));
        await("the count axis' ticks", () -> fx(() -> robot.lookup("#sign-in-count-axis").<NumberAxis>query()
                .getTickMarks().size() > 1));
        NumberAxis counts = fx(() -> robot.lookup("#sign-in-count-axis").query());
        List<Number> ticks = fx(() -> counts.getTickMarks().stream().map(Axis.TickMark::getValue).toList());
        assertThat(ticks).allMatch(t -> t.doubleValue() == Math.rint(t.doubleValue()));
        assertThat(fx(() -> ticks.stream().map(counts.getTickLabelFormatter()::toString).toList())).allMatch(t -> t.matches("\\d+"));
        assertThat(fx(counts::getTickUnit) % 1).isZero();
        assertThat(fx(counts::isMinorTickVisible)).isFalse();
    }

    @Test
    @Order(2)
    void publishesAnAppThatIsReachableThroughTheProxy() throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        await("the apps screen", () -> robot.lookup("#apps-table").tryQuery().isPresent());
        // Opening Applications shows an empty New app form, not one covered in red.
        for (String f : List.of("#app-name-error", "#app-external-url-error", "#app-internal-url-error")) {
            assertThat(shown(f)).as(f).isFalse();
        }
        await("#app-preauth showing Passthrough", () -> "Passthrough".equals(comboText("#app-preauth")));
        await("#app-timeout showing Default (85 s)", () -> "Default (85 s)".equals(comboText("#app-timeout")));
        robot.clickOn("#app-new");
        int apps = fx(() -> apps().size());
        // A tried Publish shows every error, publishes nothing and puts the focus on the first field in error.
        assertThat(fx(() -> robot.lookup("#app-save").queryButton().isDisabled())).isFalse();
        robot.clickOn("#app-save");
        await("the errors of a tried save", () -> shown("#app-name-error") && shown("#app-internal-url-error"));
        assertThat(text("#app-name-error")).isEqualTo("Name is required.");
        assertThat(fx(() -> console.stage().getScene().getFocusOwner().getId())).isEqualTo("app-name");
        assertThat(fx(() -> apps().size())).isEqualTo(apps);
        String external = stack.externalUrl("wiki");
        robot.clickOn("#app-name").write("Wiki");
        set("#app-external-url", "http://wiki");
        assertThat(fx(() -> robot.lookup("#app-external-url-error").queryLabeled().getText())).contains("https://");
        set("#app-external-url", external);
        set("#app-internal-url", sample.baseUri().toString());
        assertThat(fx(() -> robot.lookup("#app-save").queryButton().isDisabled())).isFalse();
        robot.clickOn("#app-save");
        await("the app in the table", () -> fx(() -> apps().stream().anyMatch(a -> a.name().equals("Wiki"))));
        // Enum values read as words in the table and the editor alike.
        assertThat(column("#apps-table", "Pre-authentication")).contains("Passthrough", "Sign-in required")
                .noneMatch(v -> v.equals("PASSTHROUGH") || v.equals("DIRECTORY"));
        await("#app-preauth showing Passthrough", () -> "Passthrough".equals(comboText("#app-preauth")));

        await("the app answering through the proxy", () -> {
            try {
                return stack.http().newRequest(URI.create(external)).timeout(10, TimeUnit.SECONDS).send().getStatus() == 200;
            } catch (Exception e) {
                return false;
            }
        });

        robot.clickOn("#app-test");
        await("the test result", () -> {
            String r = fx(() -> robot.lookup("#app-test-result").queryLabeled().getText());
            return r.startsWith("HTTP") || r.contains("cannot test");
        });
        String r = fx(() -> robot.lookup("#app-test-result").queryLabeled().getText());
        if (r.startsWith("HTTP")) {
            assertThat(r).startsWith("HTTP 200 in ");
        }
    }

    @Test
    @Order(3)
    void assignsAGroupAndApprovesAnAccessRequest() throws Exception {
        robot.press(KeyCode.F5).release(KeyCode.F5);
        await("principals", () -> fx(() -> principals().getItems().stream().anyMatch(p -> p.toString().equals("Group: Finance"))));
        interact(() -> {
            TableView<AppView> t = robot.lookup("#apps-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(a -> a.name().equals("Payroll")).findFirst().orElseThrow());
            var c = principals();
            c.getSelectionModel().select(c.getItems().stream().filter(p -> p.toString().equals("Group: Finance")).findFirst().orElseThrow());
        });
        robot.clickOn("#assign");
        await("the assignment in the table", () -> fx(() -> robot.lookup("#assignments-table").<AssignmentView>queryTableView()
                .getItems().stream().anyMatch(a -> a.principalName().equals("Finance"))));
        // Dave asked for access on the sign-in host: approving assigns him.
        await("dave's access request", () -> fx(() -> robot.lookup("#requests-table").<AccessRequestView>queryTableView()
                .getItems().stream().anyMatch(r -> r.upn().equals("dave.schmidt@corp.example"))));
        interact(() -> {
            TableView<AccessRequestView> t = robot.lookup("#requests-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(r -> r.upn().startsWith("dave")).findFirst().orElseThrow());
        });
        robot.clickOn("#request-approve");
        await("dave assigned", () -> fx(() -> robot.lookup("#assignments-table").<AssignmentView>queryTableView()
                .getItems().stream().anyMatch(a -> a.principalName().equals("dave.schmidt@corp.example"))));
        assertThat(column("#assignments-table", "Type")).contains("Group", "User").doesNotContain("GROUP", "USER");
        String payrollId = fx(() -> apps().stream().filter(a -> a.name().equals("Payroll")).findFirst().orElseThrow().id());
        assertThat(stack.adminApi().apps().assignments(payrollId)).extracting(AssignmentView::principalName).contains("Finance");
    }

    @Test
    @Order(4)
    void showsAConnectorTurnInactiveWhenItStops() throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        await("two active connectors", () -> count(ConnectorStatus.ACTIVE) == 2);
        stack.connectors().get(1).close();
        // Inactive after three missed heartbeats (2 s each); the screen refreshes itself every 3 s.
        await("a connector shown inactive", () -> count(ConnectorStatus.INACTIVE) == 1 && count(ConnectorStatus.ACTIVE) == 1);
        await("the status in words", () -> column("#connectors-table", "Status").containsAll(List.of("Active", "Inactive")));

        // A dialog's form follows the same rule: OK on an empty name shows its error and keeps the dialog open.
        robot.clickOn("#group-new");
        await("the new group dialog", () -> robot.lookup("#new-connector-group-name").tryQuery().isPresent());
        assertThat(shown("#new-connector-group-name-error")).isFalse();
        robot.clickOn("#form-ok");
        await("the name's error", () -> shown("#new-connector-group-name-error"));
        assertThat(text("#new-connector-group-name-error")).startsWith("Name is required");
        set("#new-connector-group-name", "Lab");
        robot.clickOn("#form-ok");
        await("the dialog closed", () -> robot.lookup("#new-connector-group-name").tryQuery().isEmpty());
        await("the new group", () -> fx(() -> robot.lookup("#groups-table").<ConnectorGroupView>queryTableView()
                .getItems().stream().anyMatch(g -> g.name().equals("Lab"))));
        interact(() -> {
            TableView<ConnectorGroupView> t = robot.lookup("#groups-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(g -> g.name().equals("Lab")).findFirst().orElseThrow());
        });
        robot.clickOn("#group-delete");
        robot.clickOn("OK");
        await("the group deleted", () -> fx(() -> robot.lookup("#groups-table").<ConnectorGroupView>queryTableView()
                .getItems().stream().noneMatch(g -> g.name().equals("Lab"))));
        interact(() -> robot.lookup("#groups-table").queryTableView().getSelectionModel().clearSelection());

        // Move the stopped connector to the branch office group.
        interact(() -> {
            TableView<ConnectorView> t = robot.lookup("#connectors-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(c -> c.status() == ConnectorStatus.INACTIVE).findFirst().orElseThrow());
        });
        robot.clickOn("#connector-move");
        await("the move dialog", () -> robot.lookup("#dialog-choice").tryQuery().isPresent());
        interact(() -> robot.lookup("#dialog-choice").<String>queryComboBox().setValue("Branch office"));
        robot.clickOn("OK");
        await("the connector in its new group", () -> fx(() -> robot.lookup("#connectors-table").<ConnectorView>queryTableView()
                .getItems().stream().anyMatch(c -> c.groupName().equals("Branch office"))));

        // A registration token comes with the install command, which asks for it: the token is shown apart, each with its Copy.
        robot.clickOn("#registration-token");
        await("the install command", () -> robot.lookup("#install-command").tryQuery().isPresent());
        String command = fx(() -> ((TextField) robot.lookup("#install-command").query()).getText());
        String token = fx(() -> ((TextField) robot.lookup("#install-token").query()).getText());
        assertThat(token).startsWith("dbreg_");
        assertThat(command).startsWith("drawbridge-connector register --server ").contains("--ca-sha256 ").endsWith(" --token -")
                .doesNotContain("dbreg_").doesNotContain(token);
        assertThat(fx(() -> ((TextField) robot.lookup("#install-command").query()).isEditable())).isFalse();
        robot.clickOn("#install-token-copy");
        assertThat(fx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(token);
        robot.clickOn("#install-command-copy");
        assertThat(fx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(command);
        robot.clickOn("Close");
    }

    @Test
    @Order(5)
    void filtersTheSignInLog() throws Exception {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT6).release(KeyCode.DIGIT6, KeyCode.CONTROL);
        await("sign-in log rows", () -> signIns().size() >= 3);
        assertThat(fx(() -> signIns().stream().map(SignInLogEntry::upn).distinct().count())).isGreaterThan(1);
        robot.clickOn("#sign-ins-filter-upn").write("bob.keller@corp.example");
        robot.type(KeyCode.ENTER);
        await("only bob's rows", () -> {
            List<SignInLogEntry> rows = signIns();
            return !rows.isEmpty() && rows.stream().allMatch(e -> "bob.keller@corp.example".equals(e.upn()));
        });
        await("#sign-ins-filter-result showing Any result", () -> "Any result".equals(comboText("#sign-ins-filter-result")));
        assertThat(fx(() -> robot.lookup("#sign-ins-filter-result").<String>queryComboBox().getItems().stream()
                .map(robot.lookup("#sign-ins-filter-result").<String>queryComboBox().getConverter()::toString).toList()))
                .containsExactly("Any result", "Succeeded", "Failed", "Denied", "Interrupted");
        interact(() -> robot.lookup("#sign-ins-filter-result").<String>queryComboBox().setValue("DENIED"));
        await("bob's denials", () -> {
            List<SignInLogEntry> rows = signIns();
            return !rows.isEmpty() && rows.stream().allMatch(e -> e.result() == SignInResult.DENIED);
        });
        await("#sign-ins-filter-result showing Denied", () -> "Denied".equals(comboText("#sign-ins-filter-result")));
        await("the result in words", () -> !column("#sign-ins-table", "Result").isEmpty()
                && column("#sign-ins-table", "Result").stream().allMatch("Denied"::equals));
        assertThat(column("#sign-ins-table", "Client")).allMatch(c -> c.equals("Browser") || c.equals("Native app"));
        interact(() -> {
            robot.lookup("#sign-ins-filter-result").<String>queryComboBox().setValue("");
            ((TextField) robot.lookup("#sign-ins-filter-upn").query()).setText("");
        });
    }

    @Test
    @Order(6)
    void securityReaderFindsEditButtonsDisabled() throws Exception {
        int status = stack.api("POST", "auth/token", Map.of("username", "nobody@corp.example", "password", "x")).status();
        if (status == 404) {
            // The server has no admin sign-in yet: check the same guards on a console built for a reader's permissions.
            var perms = Permissions.of(List.of(AdminRole.SECURITY_READER));
            Node view = fx(() -> new AppsView(new AppsViewModel(
                    new Session(null, null, "reader", List.of(), perms, Optional.empty()),
                    null, null), perms).root());
            interact(() -> {
                new Scene(new StackPane(view), 1000, 700);
                view.applyCss();
            });
            assertDenied(view, "#app-new", "Requires the Application administrator role");
            assertDenied(view, "#app-delete", "Requires the Application administrator role");
            assertDenied(view, "#assign", "Requires the Application administrator or Cloud application administrator role");
            return;
        }
        String reader = "rita.reader@corp.example";
        stack.adminApi().users().setRoles(DemoData.userId(stack, reader), new RolesBody(List.of(AdminRole.SECURITY_READER)));
        robot.clickOn("#sign-out");
        await("the sign-in form", () -> robot.lookup("#sign-in").tryQuery().isPresent());
        robot.clickOn("#use-token");
        set("#username", reader);
        set("#password", PASSWORD);
        robot.clickOn("#sign-in");
        await("the main window", () -> robot.lookup("#nav-dashboard").tryQuery().isPresent());
        assertThat(fx(() -> robot.lookup("#signed-in-as").queryLabeled().getText())).contains("Security reader");
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        await("apps", () -> fx(() -> !apps().isEmpty()));
        Node root = fx(() -> console.stage().getScene().getRoot());
        assertDenied(root, "#app-new", "Requires the Application administrator role");
        assertDenied(root, "#app-delete", "Requires the Application administrator role");
        assertDenied(root, "#assign", "Requires the Application administrator or Cloud application administrator role");
        assertDenied(root, "#app-save", "Requires the Application administrator or Cloud application administrator role");
        assertDenied(root, "#app-icon-set", "Requires the Application administrator or Cloud application administrator role");
        assertDenied(root, "#owner-add", "Requires the Application administrator or Cloud application administrator role");
        // Single sign-on is a proxy setting (PROXY_SETTINGS_WRITE): not a cloud application administrator's either.
        assertDenied(root, "#sso-save", "Requires the Application administrator role");
        assertDenied(root, "#sso-add", "Requires the Application administrator role");
        assertDenied(root, "#sso-shared-set", "Requires the Application administrator role");
        assertDenied(root, "#sso-saml-import", "Requires the Application administrator role");
        // The reader sees the native clients (OAUTH_CLIENTS_READ) but may change none.
        robot.clickOn("Native clients");
        await("the native clients", () -> shown("#oauth-clients-table"));
        assertDenied(root, "#oauth-client-new", "Requires the Application administrator or Cloud application administrator role");
        assertDenied(root, "#oauth-client-save", "Requires the Application administrator or Cloud application administrator role");
        assertThat(fx(() -> robot.lookup("#oauth-client-name").query().isDisabled())).isTrue();
        robot.clickOn("Published apps");
        String directoryWrite = new Permissions(Set.of())
                .denied(AdminRole.Permission.DIRECTORY_WRITE).orElseThrow();
        interact(() -> console.mainWindow().show("Users & groups"));
        robot.clickOn("Directory sync");
        await("the sync form", () -> robot.lookup("#sync-save").tryQuery().isPresent());
        assertDenied(fx(() -> console.stage().getScene().getRoot()), "#sync-save", directoryWrite);
        assertDenied(fx(() -> console.stage().getScene().getRoot()), "#sync-run", directoryWrite);
        robot.clickOn("External sign-in");
        await("the provider form", () -> robot.lookup("#idp-save").tryQuery().isPresent());
        assertDenied(fx(() -> console.stage().getScene().getRoot()), "#idp-save", directoryWrite);
        assertThat(fx(() -> robot.lookup("#idp-issuer").query().isDisabled())).isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        await("connectors", () -> robot.lookup("#connector-revoke").tryQuery().isPresent());
        assertDenied(fx(() -> console.stage().getScene().getRoot()), "#connector-revoke", "Requires the Application administrator role");
        for (String id : List.of("#kerberos-save", "#kerberos-remove", "#kerberos-keytab-choose", "#kerberos-kdc-add")) {
            assertDenied(fx(() -> console.stage().getScene().getRoot()), id, "Requires the Application administrator role");
        }
        // Revoking the reader's sessions ends the console session at the next refresh (connectors: every 3 s).
        stack.adminApi().users().revokeSessions(DemoData.userId(stack, reader));
        await("the sign-in form after revocation", () -> robot.lookup("#sign-in").tryQuery().isPresent());
        assertThat(fx(() -> robot.lookup("#sign-in-error").queryLabeled().getText())).contains("no longer accepts your sign-in");
        // Back to the global administrator for the screenshots.
        robot.clickOn("#use-token");
        set("#token", stack.adminToken());
        robot.clickOn("#sign-in");
        await("the main window", () -> robot.lookup("#nav-dashboard").tryQuery().isPresent());
    }

    @Test
    @Order(7)
    void setsAnAppIconAndAddsAndRemovesAnOwner() throws Exception {
        interact(() -> console.mainWindow().show("Applications"));
        await("apps", () -> fx(() -> apps().stream().anyMatch(a -> a.name().equals("Payroll"))));
        interact(() -> {
            TableView<AppView> t = robot.lookup("#apps-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(a -> a.name().equals("Payroll")).findFirst().orElseThrow());
        });
        String payrollId = fx(() -> apps().stream().filter(a -> a.name().equals("Payroll")).findFirst().orElseThrow().id());
        await("no icon yet", () -> text("#app-icon-status").startsWith("No icon"));
        assertThat(text("#app-icon-letter")).isEqualTo("P");
        assertThat(fx(() -> robot.lookup("#app-icon-remove").queryButton().isDisabled())).isTrue();

        // Set icon… opens a file chooser, which a headless test cannot drive: the view model gets the file it would.
        Path png = DemoData.icon(dir.resolve("payroll.png"), "P");
        interact(() -> appsScreen().viewModel().icon().upload(png));
        await("the icon set", () -> text("#app-icon-status").startsWith("PNG, "));
        assertThat(fx(() -> robot.lookup("#app-icon-letter").queryLabeled().getText())).isEmpty();
        assertThat(fx(() -> robot.lookup("#app-icon-remove").queryButton().isDisabled())).isFalse();
        var served = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/apps/" + payrollId + "/icon"))
                .headers(h -> h.put("Authorization", "Bearer " + stack.adminToken())).timeout(10, TimeUnit.SECONDS).send();
        assertThat(served.getStatus()).isEqualTo(200);
        assertThat(served.getMediaType()).isEqualTo("image/png");
        assertThat(served.getContent()).isEqualTo(Files.readAllBytes(png));

        // Not an image: the server's sentence shows under the icon, which stays.
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        interact(() -> appsScreen().viewModel().icon().upload(text));
        await("the server's refusal", () -> text("#app-icon-error").contains("notes.png"));
        assertThat(text("#app-icon-error")).contains("neither a PNG nor an SVG");
        assertThat(text("#app-icon-status")).startsWith("PNG, ");

        robot.clickOn("#app-icon-remove");
        await("the icon removed", () -> text("#app-icon-status").startsWith("No icon"));
        assertThat(stack.api("GET", "apps/" + payrollId + "/icon", null).status()).isEqualTo(404);

        // Owners sit at the bottom of the editor.
        interact(() -> ((ScrollPane) robot.lookup("#app-editor-scroll").query()).setVvalue(1));
        set("#owner-user", "carol.nguyen@corp.example");
        await("the owner button enabled", () -> fx(() -> !robot.lookup("#owner-add").queryButton().isDisabled()));
        closeNotifications();
        robot.clickOn("#owner-add");
        await("carol an owner", () -> fx(() -> owners().stream().anyMatch(u -> u.upn().equals("carol.nguyen@corp.example"))));
        assertThat(stack.adminApi().apps().owners(payrollId)).extracting(UserView::upn).containsExactly("carol.nguyen@corp.example");
        interact(() -> robot.lookup("#owners-table").queryTableView().getSelectionModel().select(0));
        closeNotifications();
        robot.clickOn("#owner-remove");
        await("no owners", () -> fx(() -> owners().isEmpty()));
        assertThat(stack.adminApi().apps().owners(payrollId)).isEmpty();
        // Payroll keeps an icon for the screenshots.
        interact(() -> appsScreen().viewModel().icon().upload(png));
        await("the icon set again", () -> text("#app-icon-status").startsWith("PNG, "));
    }

    @Test
    @Order(8)
    void searchesUsersOnTheServer() throws Exception {
        interact(() -> console.mainWindow().show("Users & groups"));
        await("users", () -> fx(() -> users().size() >= 6));
        robot.clickOn("#user-search").write("nguyen");
        await("only carol", () -> fx(() -> users().size() == 1 && users().getFirst().upn().equals("carol.nguyen@corp.example")));
        assertThat(text("#users-count")).isEqualTo("1 user");
        assertThat(fx(() -> robot.lookup("#users-more").query().isVisible())).isFalse();
        set("#user-search", "");
        await("everyone again", () -> fx(() -> users().size() >= 6));
    }

    @Test
    @Order(9)
    void configuresDirectorySyncAndRunsIt() throws Exception {
        var ldap = DemoData.ldap();
        try {
            interact(() -> console.mainWindow().show("Users & groups"));
            robot.clickOn("Directory sync");
            await("the sync form", () -> text("#sync-state").startsWith("Not configured"));
            set("#sync-url", "127.0.0.1:" + ldap.getListenPort());
            assertThat(text("#sync-url-error")).isEqualTo("URL must start with ldap:// or ldaps://");
            assertThat(shown("#sync-user-base-error")).isFalse();
            set("#sync-url", "ldap://127.0.0.1:" + ldap.getListenPort());
            set("#sync-bind-dn", "cn=sync,dc=corp,dc=example");
            // The password field is untouched: its error shows once a save is tried, which sends nothing.
            assertThat(shown("#sync-bind-password-error")).isFalse();
            robot.clickOn("#sync-save");
            await("the errors of a tried save", () -> shown("#sync-bind-password-error"));
            assertThat(text("#sync-bind-password-error")).contains("password of the bind DN");
            assertThat(text("#sync-user-base-error")).startsWith("User base is required");
            assertThat(text("#sync-state")).startsWith("Not configured");
            set("#sync-bind-password", "sync-secret");
            set("#sync-user-base", "ou=people,dc=corp,dc=example");
            set("#sync-user-filter", "(objectClass=inetOrgPerson)");
            set("#sync-upn-attribute", "mail");
            set("#sync-group-base", "ou=groups,dc=corp,dc=example");
            set("#sync-group-filter", "(objectClass=groupOfNames)");
            // The on-premises identity: Active Directory's attributes until told otherwise; this directory's login name is uid.
            assertThat(fx(() -> ((TextField) robot.lookup("#sync-onprem-upn-attribute").query()).getText())).isEqualTo("userPrincipalName");
            assertThat(fx(() -> ((TextField) robot.lookup("#sync-sam-account-name-attribute").query()).getText())).isEqualTo("sAMAccountName");
            set("#sync-sam-account-name-attribute", "uid");
            assertThat(fx(() -> robot.lookup("#sync-run").queryButton().isDisabled())).isTrue();
            robot.clickOn("#sync-save");
            await("saved", () -> text("#sync-state").startsWith("Configured"));
            // The bind password is write-only: not shown, not sent back.
            assertThat(fx(() -> ((TextField) robot.lookup("#sync-bind-password").query()).getText())).isEmpty();
            assertThat(fx(() -> ((TextField) robot.lookup("#sync-bind-password").query()).getPromptText())).contains("stored");
            assertThat(stack.api("GET", "directory-sync", null).body().path("bindPassword").asText()).isEqualTo("********");

            robot.clickOn("#sync-run");
            await("the sync result", () -> text("#sync-result").startsWith("Synced") || text("#sync-result").startsWith("Failed"));
            assertThat(text("#sync-result")).isEqualTo("Synced: 2 users created, 0 updated, 0 disabled; 1 group created, 0 updated");
            robot.clickOn("Users");
            await("the synced users", () -> fx(() -> users().stream().map(UserView::upn).toList()
                    .containsAll(List.of("frank@ldap.corp.example", "gina@ldap.corp.example"))));
            assertThat(fx(() -> users().stream().filter(u -> u.upn().equals("frank@ldap.corp.example")).findFirst().orElseThrow()
                    .samAccountName())).isEqualTo("frank");
            assertThat(stack.api("GET", "directory-sync", null).body().path("samAccountNameAttribute").asText()).isEqualTo("uid");
        } finally {
            ldap.shutDown(true);
        }
    }

    @Test
    @Order(10)
    void configuresAnExternalIdentityProvider() throws Exception {
        interact(() -> console.mainWindow().show("Users & groups"));
        robot.clickOn("External sign-in");
        await("the provider form", () -> text("#idp-state").startsWith("Not configured"));
        set("#idp-issuer", "http://idp.corp.example/realms/corp");
        assertThat(text("#idp-issuer-error")).startsWith("Issuer must start with https://");
        // A loopback issuer needs nobody to answer for the settings to be saved.
        set("#idp-issuer", "http://127.0.0.1:9/realms/corp");
        set("#idp-client-id", "drawbridge");
        assertThat(shown("#idp-client-secret-error")).isFalse();
        robot.clickOn("#idp-save");
        await("the errors of a tried save", () -> shown("#idp-client-secret-error"));
        assertThat(text("#idp-client-secret-error")).startsWith("Client secret is required");
        assertThat(text("#idp-state")).startsWith("Not configured");
        set("#idp-client-secret", "provider-secret");
        set("#idp-display-name", "Contoso ID");
        set("#idp-groups-claim", "groups");
        assertThat(fx(() -> robot.lookup("#idp-save").queryButton().isDisabled())).isFalse();
        robot.clickOn("#idp-save");
        await("saved", () -> text("#idp-state").contains("Sign in with Contoso ID"));
        JsonNode saved = stack.api("GET", "identity-providers/oidc", null).body();
        assertThat(saved.path("clientSecret").asText()).isEqualTo("********");
        String redirect = fx(() -> ((TextField) robot.lookup("#idp-redirect-uri").query()).getText());
        assertThat(redirect).isEqualTo(saved.path("redirectUri").asText()).startsWith("https://");
        assertThat(fx(() -> ((TextField) robot.lookup("#idp-client-secret").query()).getText())).isEmpty();
        assertThat(fx(() -> ((TextField) robot.lookup("#idp-client-secret").query()).getPromptText())).contains("stored");
        robot.clickOn("#idp-redirect-copy");
        assertThat(fx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(redirect);

        // A second provider, with an email domain for home-realm discovery; the list offers both.
        robot.clickOn("#idp-new");
        await("an empty form", () -> text("#idp-state").startsWith("Not configured"));
        set("#idp-id", "partner");
        set("#idp-issuer", "http://127.0.0.1:9/realms/partner");
        set("#idp-client-id", "drawbridge");
        set("#idp-client-secret", "partner-secret");
        set("#idp-display-name", "Partner ID");
        set("#idp-email-domains", "partner.example");
        robot.clickOn("#idp-save");
        await("saved", () -> text("#idp-state").contains("Sign in with Partner ID"));
        JsonNode partner = stack.api("GET", "identity-providers/partner", null).body();
        assertThat(partner.path("emailDomains").toString()).isEqualTo("[\"partner.example\"]");
        assertThat(fx(() -> ((TextField) robot.lookup("#idp-id").query()).isEditable())).isFalse();
        assertThat(fx(() -> ((ComboBox<?>) robot.lookup("#idp-providers").query()).getItems().size())).isEqualTo(2);

        // The notice belongs to this screen: the next screen's status bar does not repeat it.
        assertThat(text("#status-line")).startsWith("Identity provider saved");
        interact(() -> console.mainWindow().show("Applications"));
        await("the apps screen", () -> robot.lookup("#apps-table").tryQuery().isPresent());
        assertThat(text("#status-line")).isEqualTo("Ready");
    }

    @Test
    @Order(11)
    void createsAPolicyPickingAppsAndLocationsInTheDialog() throws Exception {
        interact(() -> console.mainWindow().show("Conditional access"));
        await("the policies", () -> fx(() -> !robot.lookup("#policies-table").queryTableView().getItems().isEmpty()));
        robot.clickOn("#policy-new");
        await("the policy dialog", () -> robot.lookup("#policy-name").tryQuery().isPresent());
        assertThat(shown("#policy-name-error")).isFalse();
        await("the state in words", () -> "Report-only".equals(comboText("#policy-state")));
        robot.clickOn("#form-ok");
        await("the name's error", () -> shown("#policy-name-error"));
        assertThat(text("#policy-name-error")).startsWith("Name is required");
        set("#policy-name", "Payroll needs MFA");
        interact(() -> {
            CheckComboBox<String> apps = robot.lookup("#policy-apps").query();
            assertThat(apps.getItems().stream().map(apps.getConverter()::toString)).contains("Payroll", "Wiki");
            apps.getCheckModel().check(apps.getItems().stream().filter(i -> apps.getConverter().toString(i).equals("Payroll"))
                    .findFirst().orElseThrow());
            CheckComboBox<String> where = robot.lookup("#policy-exclude-locations").query();
            assertThat(where.getItems().stream().map(where.getConverter()::toString)).startsWith("Trusted locations", "Untrusted locations");
            where.getCheckModel().check("TRUSTED");
        });
        robot.clickOn("#form-ok");
        await("the dialog closed", () -> robot.lookup("#policy-name").tryQuery().isEmpty());
        await("the new policy", () -> column("#policies-table", "Policy").contains("Payroll needs MFA"));
        AccessPolicy p = stack.adminApi().policies().list().stream()
                .filter(x -> x.name().equals("Payroll needs MFA")).findFirst().orElseThrow();
        String payrollId = stack.adminApi().apps().list(Paging.LARGEST).items().stream()
                .filter(x -> x.name().equals("Payroll")).findFirst().orElseThrow().id();
        // Sent as the API wants it: the app's id, the TRUSTED keyword, ALL for "All users".
        assertThat(p.apps()).containsExactly(payrollId);
        assertThat(p.excludeLocations()).containsExactly("TRUSTED");
        assertThat(p.users()).containsExactly("ALL");
        assertThat(p.state()).isEqualTo(AccessPolicy.State.REPORT_ONLY);
        assertThat(column("#policies-table", "Apps")).contains("Payroll");
        // Back to the demo's policies for the screenshots.
        stack.adminApi().policies().delete(p.id());
    }

    @Test
    @Order(12)
    void registersANativeClientInItsTab() throws Exception {
        interact(() -> console.mainWindow().show("Applications"));
        await("the apps screen", () -> robot.lookup("#apps-table").tryQuery().isPresent());
        robot.clickOn("Native clients");
        await("the native clients", () -> shown("#oauth-clients-table"));
        robot.clickOn("#oauth-client-new");
        assertThat(shown("#oauth-client-name-error")).isFalse();
        // A tried Register shows every error and sends nothing.
        robot.clickOn("#oauth-client-save");
        await("the name's error", () -> shown("#oauth-client-name-error"));
        assertThat(text("#oauth-client-redirect-uris-error")).startsWith("Add at least one redirect URI");
        set("#oauth-client-id", "com.example.console");
        set("#oauth-client-name", "Console test client");
        set("#oauth-client-redirect-new", "https://app.example.com/callback");
        robot.clickOn("#oauth-client-redirect-add");
        await("the redirect URI's error", () -> text("#oauth-client-redirect-new-error").contains("uses https"));
        set("#oauth-client-redirect-new", "http://127.0.0.1/callback");
        robot.clickOn("#oauth-client-redirect-add");
        await("the redirect URI listed", () -> fx(() -> robot.lookup("#oauth-client-redirect-uris").<String>queryListView().getItems()
                .equals(List.of("http://127.0.0.1/callback"))));
        robot.clickOn("#oauth-client-save");
        await("the new client", () -> column("#oauth-clients-table", "Client ID").contains("com.example.console"));
        assertThat(column("#oauth-clients-table", "Apps")).contains("Any app");
        assertThat(column("#oauth-clients-table", "Grants")).contains("Sign-in (code + PKCE), Stay signed in (refresh tokens)");
        // What the server stored: the id typed, both grants, any app as an explicit empty list.
        var stored = stack.api("GET", "oauth-clients/com.example.console", null);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().path("redirectUris").toString()).isEqualTo("[\"http://127.0.0.1/callback\"]");
        assertThat(stored.body().path("grants").toString()).isEqualTo("[\"AUTHORIZATION_CODE\",\"REFRESH_TOKEN\"]");
        assertThat(stored.body().path("appIds").toString()).isEqualTo("[]");
        assertThat(fx(() -> robot.lookup("#oauth-client-id").query().isDisabled())).isTrue();
        snapshot(fx(() -> console.stage().getScene()), "native-clients");
        robot.clickOn("Published apps");
    }

    @Test
    @Order(13)
    void setsHeaderSingleSignOnOnAPreAuthenticatedAppOnly() throws Exception {
        interact(() -> console.mainWindow().show("Applications"));
        await("apps", () -> fx(() -> apps().stream().anyMatch(a -> a.name().equals("Intranet"))));
        // A passthrough app: the section is disabled and says why.
        selectApp("Intranet");
        await("the reason single sign-on is off", () -> shown("#sso-unavailable"));
        assertThat(text("#sso-unavailable")).contains("needs pre-authentication", "Sign-in required");
        assertThat(fx(() -> robot.lookup("#sso-method").query().isDisabled())).isTrue();

        selectApp("Payroll");
        String payrollId = fx(() -> apps().stream().filter(a -> a.name().equals("Payroll")).findFirst().orElseThrow().id());
        await("the section available", () -> !shown("#sso-unavailable") && !fx(() -> robot.lookup("#sso-method").query().isDisabled()));
        assertThat(comboText("#sso-method")).isEqualTo("None");
        interact(() -> robot.lookup("#sso-method").<ComboBox<SsoMethod>>query().setValue(SsoMethod.HEADERS));
        await("the first header row", () -> robot.lookup("#sso-name-0").tryQuery().isPresent());
        assertThat(shown("#sso-row-error-0")).isFalse();
        // Checked as the admin types, with the server's rules: a reserved name in another spelling.
        set("#sso-name-0", "x_forwarded_for");
        await("the row's error", () -> shown("#sso-row-error-0"));
        assertThat(text("#sso-row-error-0")).contains("'x_forwarded_for' is reserved");
        assertThat(fx(() -> robot.lookup("#sso-name-0").query().getStyleClass().contains("invalid"))).isTrue();
        set("#sso-name-0", "X-Remote-User");
        await("the error gone", () -> !shown("#sso-row-error-0"));
        interact(() -> robot.lookup("#sso-add").queryButton().fire());
        await("the second row", () -> robot.lookup("#sso-name-1").tryQuery().isPresent());
        set("#sso-name-1", "X-Groups");
        interact(() -> robot.lookup("#sso-source-1").<ComboBox<HeaderSource>>query().setValue(HeaderSource.GROUPS));
        interact(() -> ((CheckBox) robot.lookup("#sso-lower-1").query()).setSelected(true));
        set("#sso-separator-1", ";");
        assertThat(comboText("#sso-source-1")).isEqualTo("Groups");
        interact(() -> robot.lookup("#sso-save").queryButton().fire());
        SsoSettings expected = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, null, ";")));
        await("the settings stored", () -> stack.adminApi().apps().sso(payrollId).equals(expected));
        assertThat(stack.adminApi().apps().get(payrollId).ssoMethod()).isEqualTo(SsoMethod.HEADERS);
        interact(() -> {
            Node section = robot.lookup("#sso-section").query();
            ScrollPane scroll = robot.lookup("#app-editor-scroll").query();
            scroll.setVvalue(section.getBoundsInParent().getMinY() / Math.max(1, scroll.getContent().getBoundsInLocal().getHeight()
                    - scroll.getViewportBounds().getHeight()));
        });
        snapshot(fx(() -> console.stage().getScene()), "app-single-sign-on");
        interact(() -> ((ScrollPane) robot.lookup("#app-editor-scroll").query()).setVvalue(0));
    }

    /** Selects the app named {@code name} in the apps table. */
    private static void selectApp(String name) throws Exception {
        interact(() -> {
            TableView<AppView> t = robot.lookup("#apps-table").queryTableView();
            t.getSelectionModel().select(t.getItems().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow());
        });
    }

    @Test
    @Order(14)
    void setsKerberosSingleSignOnAndTheConnectorGroupsKerberosSettings() throws Exception {
        KerberosConsoleSteps.appSingleSignOn(stack);
        KerberosConsoleSteps.groupSettings(stack, dir);
    }

    @Test
    @Order(15)
    void setsSamlFromServiceProviderMetadataAndASharedCredential() throws Exception {
        SsoConsoleSteps.samlAndStoredPasswords(stack, dir);
    }

    @Test
    @Order(16)
    void savesAScreenshotOfEveryScreen() throws Exception {
        Path out = screenshots();
        record Shot(String screen, String file, String ready) {
        }
        List<Shot> shots = List.of(
                new Shot("Dashboard", "dashboard", "#group-card-Default"),
                new Shot("Applications", "applications", "#apps-table"),
                new Shot("Connectors", "connectors", "#connectors-table"),
                new Shot("Users & groups", "users-and-groups", "#users-table"),
                new Shot("Conditional access", "conditional-access", "#policies-table"),
                new Shot("Logs", "logs", "#sign-ins-table"),
                new Shot("Certificates", "certificates", "#certificates-table"),
                new Shot("Domains", "domains", "#domains-table"));
        for (Shot s : shots) {
            // The notices of the steps before (popups near the lower right) would cover buttons and the screenshots.
            interact(() -> List.copyOf(Window.getWindows()).stream().filter(w -> w instanceof PopupWindow).forEach(Window::hide));
            interact(() -> console.mainWindow().show(s.screen()));
            await(s.screen(), () -> robot.lookup(s.ready()).tryQuery().isPresent());
            if (s.ready().endsWith("-table")) {
                awaitOrNot(() -> fx(() -> !robot.lookup(s.ready()).queryTableView().getItems().isEmpty()
                        || !robot.lookup(s.ready()).queryTableView().getPlaceholder().toString().contains("Loading")));
            }
            if (s.file().equals("applications")) {
                interact(() -> {
                    ((ScrollPane) robot.lookup("#app-editor-scroll").query()).setVvalue(0);
                    TableView<AppView> t = robot.lookup("#apps-table").queryTableView();
                    t.getSelectionModel().select(t.getItems().stream().filter(a -> a.name().equals("Payroll")).findFirst().orElseThrow());
                });
                await("assignments", () -> fx(() -> !robot.lookup("#assignments-table").queryTableView().getItems().isEmpty()));
                robot.clickOn("#app-test");
                await("the test result", () -> fx(() -> robot.lookup("#app-test-result").queryLabeled().getText().startsWith("HTTP")));
            }
            if (s.file().equals("users-and-groups")) {
                interact(() -> robot.lookup(n -> n instanceof TabPane p
                        && p.getTabs().stream().anyMatch(t -> "users-tab".equals(t.getId())))
                        .queryAs(TabPane.class).getSelectionModel().select(0));
            }
            if (s.file().equals("dashboard")) {
                awaitOrNot(() -> fx(() -> robot.lookup("#sign-in-chart").tryQuery().isPresent()));
            }
            snapshot(fx(() -> console.stage().getScene()), s.file());
            assertThat(out.resolve(s.file() + ".png")).isNotEmptyFile();
        }
        interact(() -> console.mainWindow().show("Users & groups"));
        robot.clickOn("Directory sync");
        await("the sync form", () -> text("#sync-state").startsWith("Configured"));
        snapshot(fx(() -> console.stage().getScene()), "directory-sync");
        robot.clickOn("External sign-in");
        await("the provider form", () -> text("#idp-state").contains("Sign in with"));
        snapshot(fx(() -> console.stage().getScene()), "external-sign-in");
        robot.clickOn("Users");
    }
}
