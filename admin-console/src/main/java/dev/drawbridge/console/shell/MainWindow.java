package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.StatusLine;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The signed-in window: navigation on the left (accelerators Ctrl+1…9), the current
 * screen in the middle, who is signed in and what is running at the top, the last notice at the bottom.
 * Only the visible screen refreshes by itself.
 */
public final class MainWindow {
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final List<Screen> screens;
    private final List<ToggleButton> nav = new ArrayList<>();
    private final ToggleGroup group = new ToggleGroup();
    private Timeline poll;
    private final Timeline tick;
    private final StatusLine status;
    private Screen current;
    private final Consumer<String> onScreenShown;

    public MainWindow(List<Screen> screens, String who, String server, FxTasks tasks, FxNotices notices,
                      Runnable signOut, Consumer<String> onScreenShown) {
        this.screens = List.copyOf(screens);
        this.onScreenShown = onScreenShown;
        root.getStyleClass().add("main-window");

        VBox side = new VBox(4);
        side.getStyleClass().add("nav");
        side.setPadding(new Insets(10));
        Label brand = new Label("Drawbridge");
        brand.getStyleClass().add("brand");
        side.getChildren().add(brand);
        for (int i = 0; i < screens.size(); i++) {
            Screen s = screens.get(i);
            // Screens switch with Ctrl+1…9; mnemonics stay free for the buttons and fields of the screen shown.
            ToggleButton b = new ToggleButton(plain(s.label()));
            b.setMnemonicParsing(false);
            if (i < 9) {
                b.setTooltip(new Tooltip("Ctrl+" + (i + 1)));
            }
            b.setId("nav-" + plain(s.label()).toLowerCase().replace(' ', '-').replace("&", "and"));
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.setToggleGroup(group);
            b.getStyleClass().add("nav-button");
            b.setOnAction(e -> show(s));
            nav.add(b);
            side.getChildren().add(b);
        }
        // A selected toggle stays selected when clicked again.
        group.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null && was != null) {
                was.setSelected(true);
            }
        });
        side.setPrefWidth(210);
        root.setLeft(side);

        ProgressIndicator progress = new ProgressIndicator();
        progress.setId("progress");
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(tasks.runningProperty().greaterThan(0));
        Label working = new Label();
        working.textProperty().bind(tasks.currentProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label user = new Label(who + "  ·  " + server);
        user.setId("signed-in-as");
        Button out = new Button("Sign _out");
        out.setId("sign-out");
        out.setOnAction(e -> signOut.run());
        HBox top = new HBox(10, progress, working, spacer, user, out);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 10, 6, 10));
        top.getStyleClass().add("top-bar");
        root.setTop(top);

        content.setPadding(new Insets(10));
        root.setCenter(content);

        this.status = notices.status();
        Label status = new Label();
        status.setId("status-line");
        status.textProperty().bind(this.status.textProperty());
        status.setTooltip(new Tooltip("Notices of this screen; click to dismiss"));
        this.status.levelProperty().addListener((o, was, now) -> {
            status.getStyleClass().removeAll("status-warning", "status-error");
            if (now == StatusLine.Level.ERROR) {
                status.getStyleClass().add("status-error");
            } else if (now == StatusLine.Level.WARNING) {
                status.getStyleClass().add("status-warning");
            }
        });
        status.setOnMouseClicked(e -> this.status.dismiss());
        // Information notices leave the bar once read.
        tick = new Timeline(new KeyFrame(Duration.seconds(1), e -> this.status.tick()));
        tick.setCycleCount(Timeline.INDEFINITE);
        tick.play();
        HBox bottom = new HBox(status);
        bottom.setPadding(new Insets(3, 10, 3, 10));
        bottom.getStyleClass().add("status-bar");
        root.setBottom(bottom);
    }

    private static String plain(String label) {
        return label.replace("_", "");
    }

    public Node root() {
        return root;
    }

    /** Accelerators Ctrl+1…9 for the screens in order, and F5 to refresh. */
    public void installAccelerators(Scene scene) {
        for (int i = 0; i < screens.size() && i < 9; i++) {
            Screen s = screens.get(i);
            ToggleButton b = nav.get(i);
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.getKeyCode(String.valueOf(i + 1)),
                    KeyCombination.SHORTCUT_DOWN), () -> {
                b.setSelected(true);
                show(s);
            });
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> {
            if (current != null) {
                current.refresh();
            }
        });
    }

    public List<Screen> screens() {
        return screens;
    }

    /** Shows a screen by its plain label ("Applications"); unknown names show the first. */
    public void show(String label) {
        for (int i = 0; i < screens.size(); i++) {
            if (plain(screens.get(i).label()).equalsIgnoreCase(label)) {
                nav.get(i).setSelected(true);
                show(screens.get(i));
                return;
            }
        }
        nav.getFirst().setSelected(true);
        show(screens.getFirst());
    }

    public void show(Screen s) {
        if (poll != null) {
            poll.stop();
            poll = null;
        }
        current = s;
        // The previous screen's notices do not stand under this one.
        status.screenShown(s);
        content.getChildren().setAll(s.view());
        s.refresh();
        s.refreshEvery().ifPresent(every -> {
            poll = new Timeline(new KeyFrame(Duration.millis(every.toMillis()), e -> {
                if (current == s && root.getScene() != null && root.getScene().getWindow() != null
                        && root.getScene().getWindow().isShowing()) {
                    s.refresh();
                }
            }));
            poll.setCycleCount(Timeline.INDEFINITE);
            poll.play();
        });
        onScreenShown.accept(plain(s.label()));
    }

    public Screen current() {
        return current;
    }

    /** Stops refreshing (the window closes or the admin signs out). */
    public void stop() {
        tick.stop();
        if (poll != null) {
            poll.stop();
        }
    }
}
