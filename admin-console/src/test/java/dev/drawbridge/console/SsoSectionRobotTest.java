package dev.drawbridge.console;

import dev.drawbridge.console.apps.AppsView;
import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextInputControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.drawbridge.console.ConsoleRobot.assertDenied;
import static dev.drawbridge.console.ConsoleRobot.comboText;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.set;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static dev.drawbridge.console.ConsoleRobot.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single sign-on section in a real window (TestFX; headless Monocle without a display), over the console's fake admin
 * API: what the admin sees and does — a login form's path refused as typed and fixed, the shared credential set through a
 * password field that empties once sent, the settings saved; SAML filled from a real mellon metadata file, an attribute
 * added, saved; Test as user with its headers table and problems in red; and a security reader who sees every setting
 * disabled with the role that would allow it, but exports the IdP metadata and tests as a user. Saves a screenshot of
 * each part (see {@link ConsoleRobot#screenshots()}).
 */
class SsoSectionRobotTest extends RobotTest {
    static final UserView ALICE = new UserView("u-alice", "alice@contoso.com", "Alice Liddell", "alice@contoso.com", "Finance", true,
            true, false, null, List.of("Finance"), Instant.EPOCH, "alice@corp.contoso.com", "alice");
    static final AppView SP = new AppView("sp", "Expenses", "https://sp.localhost:8443/", "http://expenses.corp.local/", "g1", "Default",
            BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);

    AppsViewModel vm;
    @TempDir
    Path dir;

    /** The Applications screen of a session with {@code perms}, in a window within Monocle's 1280×800 screen, SP selected. */
    void open(Permissions perms) throws Exception {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
        api.apps.put(SP.id(), SP);
        api.users.put(ALICE.id(), ALICE);
        vm = new AppsViewModel(api.session(perms), tasks, tasks);
        stage = FxToolkit.setupStage(s -> {
            Scene scene = new Scene((Parent) new AppsView(vm, perms).root(), 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource("console.css").toExternalForm());
            s.setScene(scene);
            s.show();
        });
        interact(() -> {
            vm.refresh();
            vm.apps().selectedProperty().set(SP);
        });
    }

    /** Scrolls the editor so that {@code query} is at the top of the window. */
    static void scrollTo(String query) throws Exception {
        interact(() -> {
            Node n = robot.lookup(query).query();
            ScrollPane scroll = robot.lookup("#app-editor-scroll").query();
            double y = scroll.getContent().sceneToLocal(n.localToScene(0, 0)).getY();
            scroll.setVvalue(y / Math.max(1, scroll.getContent().getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight()));
        });
    }

    static <T> void choose(String query, T value) throws Exception {
        interact(() -> robot.lookup(query).<ComboBox<T>>query().setValue(value));
    }

    static void fire(String query) throws Exception {
        interact(() -> robot.lookup(query).queryButton().fire());
    }

    static boolean disabled(String query) throws Exception {
        return fx(() -> robot.lookup(query).query().isDisabled());
    }

    @Test
    void aLoginFormWithASharedCredentialIsCheckedSetAndSaved() throws Exception {
        open(Permissions.ALL);
        choose("#sso-method", SsoMethod.FORMS);
        assertThat(comboText("#sso-method")).isEqualTo("Stored passwords (login form)");
        assertThat(shown("#sso-login-path")).isTrue();
        // No red before typing; the rule's error under the field as typed, the field marked.
        assertThat(shown("#sso-login-path-error")).isFalse();
        set("#sso-login-path", "login?next=/");
        assertThat(shown("#sso-login-path-error")).isTrue();
        assertThat(text("#sso-login-path-error")).startsWith("loginPath is the login form's path on the backend");
        assertThat(fx(() -> robot.lookup("#sso-login-path").query().getStyleClass().contains("invalid"))).isTrue();
        set("#sso-login-path", "/login");
        assertThat(shown("#sso-login-path-error")).isFalse();

        assertThat(shown("#sso-shared-username")).isFalse();
        choose("#sso-credentials", Credentials.SHARED);
        assertThat(shown("#sso-shared-username")).isTrue();
        assertThat(fx(() -> (Object) robot.lookup("#sso-shared-password").query())).isInstanceOf(PasswordField.class);
        set("#sso-shared-username", "svc-expenses");
        set("#sso-shared-password", "correct horse");
        scrollTo("#sso-section");
        snapshot(stage.getScene(), "app-sso-forms");
        fire("#sso-shared-set");
        assertThat(api.sharedCredentials.get("sp")).isEqualTo(new SharedCredential("svc-expenses", "correct horse"));
        assertThat(fx(() -> robot.lookup("#sso-shared-password").<TextInputControl>query().getText())).isEmpty();
        assertThat(text("#sso-shared-status")).startsWith("Set: every user signs in to the app as svc-expenses.");

        fire("#sso-save");
        assertThat(api.sso.get("sp")).isEqualTo(SsoSettings.forms(new FormsSso("/login", null, null, Credentials.SHARED)));
    }

    @Test
    void samlIsFilledFromAMellonMetadataFileCompletedAndSaved() throws Exception {
        open(Permissions.ALL);
        choose("#sso-method", SsoMethod.SAML);
        assertThat(shown("#sso-saml-import")).isTrue();
        Path file = dir.resolve("mellon.xml");
        try (InputStream in = getClass().getResourceAsStream("apps/sso/mellon-sp-metadata.xml")) {
            Files.write(file, in.readAllBytes());
        }
        // A file chooser is native: the test hands the file to the view model, as the chooser would.
        interact(() -> vm.sso().saml().importMetadata(file));
        assertThat(fx(() -> robot.lookup("#sso-saml-entity-id").<TextInputControl>query().getText()))
                .isEqualTo("https://sp.localhost:8443/mellon/metadata");
        assertThat(fx(() -> robot.lookup("#sso-saml-certificate").<TextArea>query().getText())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(text("#sso-saml-metadata-status")).startsWith("Read from mellon.xml");
        fire("#sso-saml-attribute-add");
        set("#sso-attribute-name-0", "groups");
        choose("#sso-attribute-source-0", HeaderSource.GROUPS);
        assertThat(comboText("#sso-attribute-source-0")).isEqualTo("Groups");
        assertThat(disabled("#sso-attribute-claim-0")).isTrue();
        scrollTo("#sso-section");
        snapshot(stage.getScene(), "app-saml-sso");
        fire("#sso-save");
        assertThat(api.sso.get("sp").saml().spEntityId()).isEqualTo("https://sp.localhost:8443/mellon/metadata");
        assertThat(api.sso.get("sp").saml().attributes()).extracting(a -> a.name() + "=" + a.source()).containsExactly("groups=GROUPS");
    }

    @Test
    void testAsUserShowsTheHeadersAsATableAndTheProblemsInRed() throws Exception {
        api.sso.put("sp", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                HeaderRule.of("X-On-Prem", HeaderSource.SAM_ACCOUNT_NAME), new HeaderRule("X-Department", HeaderSource.CLAIM, "cost_center",
                        false, false, null, null))));
        open(Permissions.ALL);
        assertThat(shown("#sso-test-summary")).isFalse();
        set("#sso-test-search", "alice");
        interact(() -> robot.lookup("#sso-test-search").<TextInputControl>query().fireEvent(new ActionEvent()));
        assertThat(fx(() -> robot.lookup("#sso-test-user").<ComboBox<UserView>>query().getValue())).isEqualTo(ALICE);
        fire("#sso-test-run");
        assertThat(shown("#sso-test-headers")).isTrue();
        List<SsoPreview.Header> rows = fx(() -> List.copyOf(robot.lookup("#sso-test-headers").<SsoPreview.Header>queryTableView().getItems()));
        assertThat(rows).containsExactly(new SsoPreview.Header("X-Remote-User", "alice@contoso.com"), new SsoPreview.Header("X-On-Prem", "alice"));
        assertThat(text("#sso-test-problems")).startsWith("2 problems: single sign-on would fail or be incomplete for this user.")
                .contains("• alice@contoso.com is not assigned to Expenses", "• header X-Department is not sent");
        assertThat(fx(() -> robot.lookup("#sso-test-problems").query().getStyleClass())).contains("sso-problems");
        scrollTo("#sso-test-search");
        snapshot(stage.getScene(), "app-sso-test-as-user");

        // The settings change: the answer says it is of other settings now.
        assertThat(shown("#sso-test-stale")).isFalse();
        set("#sso-name-1", "X-Sam");
        assertThat(shown("#sso-test-stale")).isTrue();
    }

    @Test
    void aSecurityReaderSeesEverySettingDisabledButExportsAndTestsAsAUser() throws Exception {
        api.sso.put("sp", SsoSettings.basic(BasicSso.SHARED));
        open(Permissions.of(List.of(AdminRole.SECURITY_READER)));
        Node root = fx(() -> stage.getScene().getRoot());
        assertThat(comboText("#sso-method")).isEqualTo("Stored passwords (HTTP Basic)");
        assertThat(disabled("#sso-method")).isTrue();
        assertThat(disabled("#sso-credentials")).isTrue();
        assertThat(disabled("#sso-shared-password")).isTrue();
        assertDenied(root, "#sso-save", "Requires the Application administrator role");
        assertDenied(root, "#sso-shared-set", "Requires the Application administrator role");
        assertDenied(root, "#sso-shared-remove", "Requires the Application administrator role");
        interact(() -> vm.sso().methodProperty().set(SsoMethod.SAML));
        assertDenied(root, "#sso-saml-import", "Requires the Application administrator role");
        assertDenied(root, "#sso-saml-attribute-add", "Requires the Application administrator role");
        assertThat(disabled("#sso-saml-entity-id")).isTrue();
        // Reading is theirs: the IdP metadata and the test.
        assertThat(disabled("#sso-saml-idp-metadata")).isFalse();
        assertThat(disabled("#sso-test-search")).isFalse();
        interact(() -> vm.sso().methodProperty().set(SsoMethod.BASIC));
        set("#sso-test-search", "alice@contoso.com");
        assertThat(disabled("#sso-test-run")).isFalse();
        fire("#sso-test-run");
        assertThat(text("#sso-test-stored")).isEqualTo("No: set the shared user name and password");
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso") || c.startsWith("apps.setSharedCredential"));
        assertThat(fx(() -> robot.lookup("#sso-test-headers").<TableView<?>>query().isVisible())).isFalse();
    }
}
