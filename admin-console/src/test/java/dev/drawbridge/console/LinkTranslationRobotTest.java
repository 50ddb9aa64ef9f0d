package dev.drawbridge.console;

import dev.drawbridge.console.apps.AppsView;
import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoMethod;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.time.Instant;

import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link translation checkboxes of the app editor in a real window (TestFX; headless Monocle), over the console's fake
 * admin API: "… and in scripts and JSON" is disabled until "Links in the app's pages" is ticked; both are saved; unticking
 * the pages' box disables the scripts' one and saves both off (the server refuses scripts alone); an app loaded with both
 * on shows both ticked.
 */
class LinkTranslationRobotTest extends RobotTest {
    static final AppView BENEFITS = new AppView("benefits", "Benefits", "https://benefits.localhost:8443/", "http://benefits/", "g1",
            "Default", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);


    private void open(AppView app) throws Exception {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
        api.apps.put(app.id(), app);
        AppsViewModel vm = new AppsViewModel(api.session(Permissions.ALL), tasks, tasks);
        stage = FxToolkit.setupStage(s -> {
            Scene scene = new Scene((Parent) new AppsView(vm, Permissions.ALL).root(), 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource("console.css").toExternalForm());
            s.setScene(scene);
            s.show();
        });
        interact(() -> {
            vm.refresh();
            vm.apps().selectedProperty().set(app);
        });
    }

    private static CheckBox box(String query) throws Exception {
        return fx(() -> robot.lookup(query).<CheckBox>query());
    }

    private static void toggle(String query) throws Exception {
        interact(() -> robot.lookup(query).<CheckBox>query().fire());
    }

    private static void save() throws Exception {
        interact(() -> robot.lookup("#app-save").queryButton().fire());
    }

    @Test
    void theScriptsBoxFollowsThePagesBoxAndBothAreSaved() throws Exception {
        open(BENEFITS);
        assertThat(fx(() -> box("#app-translate-links").isSelected())).isFalse();
        assertThat(fx(() -> box("#app-translate-links-in-scripts").isDisabled())).as("scripts without pages").isTrue();

        toggle("#app-translate-links");
        assertThat(fx(() -> box("#app-translate-links-in-scripts").isDisabled())).isFalse();
        toggle("#app-translate-links-in-scripts");
        snapshot(stage.getScene(), "app-link-translation");
        save();
        assertThat(api.apps.get("benefits").translateLinksInBody()).isTrue();
        assertThat(api.apps.get("benefits").translateLinksInScripts()).isTrue();

        toggle("#app-translate-links");
        assertThat(fx(() -> box("#app-translate-links-in-scripts").isDisabled())).isTrue();
        save();
        assertThat(api.apps.get("benefits").translateLinksInBody()).isFalse();
        assertThat(api.apps.get("benefits").translateLinksInScripts()).as("never sent alone").isFalse();
    }

    @Test
    void anAppWithBothOnShowsBothTicked() throws Exception {
        open(new AppView(BENEFITS.id(), BENEFITS.name(), BENEFITS.externalUrl(), BENEFITS.internalUrl(), "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH, false,
                SsoMethod.NONE, true, true));
        assertThat(fx(() -> box("#app-translate-links").isSelected())).isTrue();
        assertThat(fx(() -> box("#app-translate-links-in-scripts").isSelected())).isTrue();
        assertThat(fx(() -> box("#app-translate-links-in-scripts").isDisabled())).isFalse();
    }
}
