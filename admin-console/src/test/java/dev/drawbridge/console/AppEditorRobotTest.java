package dev.drawbridge.console;

import dev.drawbridge.console.apps.AppIdentityProviders.Choice;
import dev.drawbridge.console.apps.AppsView;
import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import org.controlsfx.control.CheckComboBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.time.Instant;
import java.util.List;

import static dev.drawbridge.console.ConsoleRobot.column;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.set;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static dev.drawbridge.console.ConsoleRobot.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app editor in a real window (TestFX; headless Monocle), over the console's fake admin API, clicked as an admin would:
 * the identity providers' checklist (configured providers by name and id, "Every provider" when none is ticked, a deleted
 * provider the app names shown ticked and gone once unticked, the ticks saved), and the path rules section (a rule added,
 * one clicked in the table and edited, one removed; the server's field error shown under the row, the table as stored).
 */
class AppEditorRobotTest extends RobotTest {
    static final PathPolicy ADMIN = new PathPolicy("/admin", null, List.of("g-admins"), List.of());


    @AfterEach
    void hide() throws Exception {
        FxToolkit.cleanupStages();
    }

    static OidcProviderSettings provider(String id, String name) {
        return new OidcProviderSettings("https://" + id + ".example.com", "console", "********", name, List.of("openid"), "email",
                null, true, null, false, id, List.of());
    }

    private void open(List<String> offered) throws Exception {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
        api.providers.put("corp", provider("corp", "Corp sign-in"));
        api.providers.put("partner", provider("partner", "Partner"));
        AppView hr = new AppView("hr", "HR", "https://hr.apps.example.com/", "http://hr.corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, new AccessSettings(true, true, true, false, offered),
                Instant.EPOCH, Instant.EPOCH);
        api.apps.put(hr.id(), hr);
        api.paths.put(hr.id(), new PathPolicies(List.of(ADMIN)));
        AppsViewModel vm = new AppsViewModel(api.session(Permissions.ALL), tasks, tasks);
        stage = FxToolkit.setupStage(s -> {
            Scene scene = new Scene((Parent) new AppsView(vm, Permissions.ALL).root(), 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource("console.css").toExternalForm());
            s.setScene(scene);
            s.show();
        });
        interact(() -> {
            vm.refresh();
            vm.apps().selectedProperty().set(hr);
        });
    }

    /** What the providers' drop-down shows closed (its title). */
    private static String providersTitle() throws Exception {
        return fx(() -> robot.lookup("#app-identity-providers").<CheckComboBox<Choice>>query().getTitle());
    }

    /** The lines of the providers' open drop-down, as shown. */
    private static List<String> lines() throws Exception {
        return fx(() -> robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof Choice).queryAllAs(ListCell.class).stream()
                .filter(Node::isVisible).map(Labeled::getText).filter(t -> t != null && !t.isEmpty()).distinct().toList());
    }

    /** Clicks the line of the open drop-down that shows {@code label}. */
    private static void clickLine(String label) throws Exception {
        Node cell = fx(() -> robot.lookup(n -> n instanceof ListCell<?> c && c.getItem() instanceof Choice && label.equals(c.getText()))
                .query());
        robot.clickOn(cell);
        interact(() -> { });
    }

    private static void save() throws Exception {
        interact(() -> robot.lookup("#app-save").queryButton().fire());
    }

    @Test
    void theProvidersAreAChecklistByNameAndWhatIsTickedIsSaved() throws Exception {
        open(List.of());
        assertThat(providersTitle()).isEqualTo("Sign-in: Every provider");
        robot.clickOn("#app-identity-providers");
        interact(() -> { });
        assertThat(lines()).containsExactly("Corp sign-in (corp)", "Partner (partner)");
        clickLine("Partner (partner)");
        snapshot(stage.getScene(), "app-identity-providers");
        robot.type(KeyCode.ESCAPE);
        interact(() -> { });
        assertThat(providersTitle()).isEqualTo("Sign-in: Partner (partner)");
        save();
        assertThat(api.apps.get("hr").access().identityProviders()).containsExactly("partner");
    }

    @Test
    void aDeletedProviderIsShownTickedAndLeavesOnceUnticked() throws Exception {
        open(List.of("corp", "gone"));
        assertThat(providersTitle()).isEqualTo("Sign-in: Corp sign-in (corp), gone (deleted provider)");
        save();
        assertThat(api.apps.get("hr").access().identityProviders()).as("not silently dropped").containsExactly("corp", "gone");

        robot.clickOn("#app-identity-providers");
        interact(() -> { });
        assertThat(lines()).containsExactly("Corp sign-in (corp)", "Partner (partner)", "gone (deleted provider)");
        clickLine("gone (deleted provider)");
        assertThat(fx(() -> robot.lookup("#app-identity-providers").<CheckComboBox<Choice>>query().getItems()))
                .extracting(Choice::id).containsExactly("corp", "partner");
        robot.type(KeyCode.ESCAPE);
        interact(() -> { });
        assertThat(providersTitle()).isEqualTo("Sign-in: Corp sign-in (corp)");
        save();
        assertThat(api.apps.get("hr").access().identityProviders()).containsExactly("corp");
    }

    /** Scrolls the editor so that {@code query} is in view. */
    private static void scrollTo(String query) throws Exception {
        interact(() -> {
            Node n = robot.lookup(query).query();
            ScrollPane scroll = robot.lookup("#app-editor-scroll").query();
            double y = scroll.getContent().sceneToLocal(n.localToScene(0, 0)).getY();
            scroll.setVvalue(y / Math.max(1, scroll.getContent().getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight()));
        });
    }

    /** Clicks the path rules table's row whose path is {@code path}. */
    private static void clickRule(String path) throws Exception {
        Node cell = fx(() -> robot.lookup("#path-rules-table").lookup(".table-cell").lookup((Labeled l) -> path.equals(l.getText()))
                .query());
        robot.clickOn(cell);
        interact(() -> { });
    }

    @Test
    void pathRulesAreAddedEditedAndRemovedAndTheServersErrorShowsUnderTheRow() throws Exception {
        open(List.of());
        scrollTo("#path-rules");
        assertThat(column("#path-rules-table", "Path")).containsExactly("/admin");

        // Add: typed into the row, Save rule.
        robot.clickOn("#path-rule-path").write("/public");
        interact(() -> robot.lookup("#path-rule-preauth").<ComboBox<String>>query().setValue("PASSTHROUGH"));
        robot.clickOn("#path-rule-save");
        interact(() -> { });
        PathPolicy open = new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of());
        assertThat(api.paths.get("hr").paths()).containsExactly(ADMIN, open);
        assertThat(column("#path-rules-table", "Path")).containsExactly("/admin", "/public");
        assertThat(column("#path-rules-table", "Pre-authentication")).containsExactly("(the app's)", "PASSTHROUGH");
        assertThat(fx(() -> robot.lookup("#path-rule-path").queryTextInputControl().getText())).as("the row emptied").isEmpty();

        // Edit: the rule clicked in the table loads into the row; its users changed and saved.
        clickRule("/admin");
        assertThat(fx(() -> robot.lookup("#path-rule-users").queryTextInputControl().getText())).isEqualTo("g-admins");
        set("#path-rule-users", "g-admins, alice@contoso.com");
        robot.clickOn("#path-rule-save");
        interact(() -> { });
        assertThat(api.paths.get("hr").paths()).containsExactly(open, new PathPolicy("/admin", null, List.of("g-admins", "alice@contoso.com"),
                List.of()));
        assertThat(column("#path-rules-table", "Users and groups")).containsExactly("(the app's)", "g-admins, alice@contoso.com");

        // The server's refusal: its field error under the row, the table as stored.
        api.fail("apps.setPaths", 400, "about:blank", "invalid", new Problem.FieldError("paths[2].users", "no user or group 'nobody'"));
        set("#path-rule-path", "/reports");
        set("#path-rule-users", "nobody");
        robot.clickOn("#path-rule-save");
        interact(() -> { });
        assertThat(shown("#path-rule-error")).isTrue();
        assertThat(text("#path-rule-error")).isEqualTo("paths[2].users: no user or group 'nobody'");
        Bounds row = fx(() -> robot.lookup("#path-rule-users").query().localToScene(robot.lookup("#path-rule-users").query().getBoundsInLocal()));
        Bounds error = fx(() -> robot.lookup("#path-rule-error").query().localToScene(robot.lookup("#path-rule-error").query().getBoundsInLocal()));
        assertThat(error.getMinY()).as("under the row").isGreaterThan(row.getMaxY());
        assertThat(column("#path-rules-table", "Path")).containsExactly("/public", "/admin");
        snapshot(stage.getScene(), "app-path-rules");
        api.recover("apps.setPaths");

        // Remove: the rule clicked, Remove rule.
        clickRule("/public");
        robot.clickOn("#path-rule-remove");
        interact(() -> { });
        assertThat(api.paths.get("hr").paths()).extracting(PathPolicy::path).containsExactly("/admin");
        assertThat(column("#path-rules-table", "Path")).containsExactly("/admin");
        assertThat(shown("#path-rule-error")).as("cleared by the stored change").isFalse();
    }
}
