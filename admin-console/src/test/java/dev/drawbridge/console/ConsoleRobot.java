package dev.drawbridge.console;

import dev.drawbridge.console.apps.AppsScreen;
import dev.drawbridge.console.connectors.ConnectorsScreen;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.UserView;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.stage.PopupWindow;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ConsoleSystemTest} does to the console's window: read and set nodes on the FX thread, await a
 * condition with a timeout (the failure lists the console's notices), check a denied button, save a screenshot,
 * read what a table shows.
 */
final class ConsoleRobot {
    static final FxRobot robot = new FxRobot();
    /** The console under test, for the notices a failed wait shows. */
    static ConsoleApp console;

    private ConsoleRobot() {
    }

    /**
     * Where screenshots go, by {@code -Ddrawbridge.screenshots}: {@code target} (the default: the module's
     * target/screenshots, so a test run changes no tracked file), {@code docs} (refresh the project's
     * docs/screenshots), or a folder. The POM passes both locations.
     */
    static Path screenshots() throws Exception {
        String where = System.getProperty("drawbridge.screenshots", "target");
        Path out = switch (where) {
            case "target", "" -> Path.of(System.getProperty("drawbridge.screenshots.target", "target/screenshots"));
            case "docs" -> Path.of(System.getProperty("drawbridge.screenshots.docs", "../docs/screenshots"));
            default -> Path.of(where);
        };
        Files.createDirectories(out);
        return out;
    }

    /** Saves a PNG of a scene (a node snapshot, which works headless too). */
    static void snapshot(Scene scene, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = fx(() -> scene.snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", screenshots().resolve(name + ".png").toFile());
    }

    static void assertDenied(Node root, String id, String reason) {
        ButtonBase b = (ButtonBase) root.lookup(id);
        assertThat(b).as(id).isNotNull();
        assertThat(b.isDisabled()).as(id + " disabled").isTrue();
        assertThat(b.getProperties().get(Guard.DENIED)).as(id + " reason").isEqualTo(reason);
        assertThat(b.getTooltip().getText()).isEqualTo(reason);
    }

    /** Notifications pop up over the bottom-right corner, where the owner buttons are: close them before clicking there. */
    static void closeNotifications() throws Exception {
        interact(() -> List.copyOf(Window.getWindows()).stream().filter(w -> w instanceof PopupWindow)
                .forEach(Window::hide));
    }

    static String text(String query) throws Exception {
        return fx(() -> robot.lookup(query).queryLabeled().getText());
    }

    static void set(String query, String text) throws Exception {
        interact(() -> ((TextField) robot.lookup(query).query()).setText(text));
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    static void interact(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Check c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            WaitForAsyncUtils.waitForFxEvents();
            if (c.ok()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 30 s waiting for " + what
                        + (console == null ? "" : "; notices: " + console.notices().history()));
            }
            Thread.sleep(50);
        }
    }

    static void awaitOrNot(Check c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!c.ok() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Whether the node is shown (it and its parents visible). */
    static boolean shown(String query) throws Exception {
        return fx(() -> robot.lookup(query).tryQuery().map(n -> {
            for (Node p = n; p != null; p = p.getParent()) {
                if (!p.isVisible()) {
                    return false;
                }
            }
            return true;
        }).orElse(false));
    }

    /** The text a combo box shows for its value (what its button cell, a child of the combo box, renders). */
    static String comboText(String query) throws Exception {
        return fx(() -> robot.lookup(query).<ComboBox<?>>query().getChildrenUnmodifiable().stream()
                .filter(n -> n instanceof ListCell<?>).map(n -> ((ListCell<?>) n).getText())
                .findFirst().orElse(null));
    }

    /** The texts the rendered cells of a table's column show, top to bottom. */
    static List<String> column(String table, String title) throws Exception {
        return fx(() -> {
            TableView<?> t = robot.lookup(table).queryTableView();
            return t.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                    .filter(c -> c.getTableColumn() != null && title.equals(c.getTableColumn().getText()) && !c.isEmpty()
                            && c.getTableRow() != null && c.getTableRow().getItem() != null)
                    .sorted(Comparator.comparingInt(TableCell::getIndex))
                    .map(Labeled::getText).toList();
        });
    }

    // --- what the console's tables show ---

    static AppsScreen appsScreen() {
        return (AppsScreen) console.mainWindow().screens().stream()
                .filter(s -> s instanceof AppsScreen).findFirst().orElseThrow();
    }

    static ConnectorsScreen connectorsScreen() {
        return (ConnectorsScreen) console.mainWindow().screens().stream()
                .filter(s -> s instanceof ConnectorsScreen).findFirst().orElseThrow();
    }

    /** Selects the tab with id {@code tabId} in the tab pane that holds it. */
    static void selectTab(String tabId) throws Exception {
        interact(() -> {
            TabPane p = robot.lookup(n -> n instanceof TabPane t && t.getTabs().stream().anyMatch(x -> tabId.equals(x.getId())))
                    .queryAs(TabPane.class);
            p.getSelectionModel().select(p.getTabs().stream().filter(x -> tabId.equals(x.getId())).findFirst().orElseThrow());
        });
    }

    static List<UserView> owners() {
        return List.copyOf(robot.lookup("#owners-table").<UserView>queryTableView().getItems());
    }

    static List<UserView> users() {
        return List.copyOf(robot.lookup("#users-table").<UserView>queryTableView().getItems());
    }

    static List<AppView> apps() {
        return List.copyOf(robot.lookup("#apps-table").<AppView>queryTableView().getItems());
    }

    @SuppressWarnings("unchecked")
    static ComboBox<Object> principals() {
        return (ComboBox<Object>) robot.lookup("#assign-principal").query();
    }

    static List<SignInLogEntry> signIns() throws Exception {
        return fx(() -> List.copyOf(robot.lookup("#sign-ins-table").<SignInLogEntry>queryTableView().getItems()));
    }

    static long count(ConnectorStatus s) throws Exception {
        return fx(() -> robot.lookup("#connectors-table").<ConnectorView>queryTableView().getItems().stream()
                .filter(c -> c.status() == s).count());
    }
}
