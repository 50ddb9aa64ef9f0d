package dev.drawbridge.console;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testfx.api.FxToolkit;

/**
 * What the console's robot tests (TestFX; headless Monocle) share: the toolkit's primary stage for the class, cleaned up
 * after it; the fake admin API the screens talk to, the synchronous tasks they run on, and the stage a test shows.
 */
abstract class RobotTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterAll
    static void close() throws Exception {
        FxToolkit.cleanupStages();
    }
}
