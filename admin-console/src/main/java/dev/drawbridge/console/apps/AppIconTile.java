package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.Icon;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;

import java.io.ByteArrayInputStream;
import java.util.Locale;

/**
 * A 48×48 tile: the app's PNG icon; for an SVG icon (JavaFX draws no SVG) a tile marked "SVG"; without an icon
 * the first letter of the name, as My Apps shows it.
 */
final class AppIconTile extends StackPane {
    private final ImageView view = new ImageView();
    private final Label letter = new Label();

    AppIconTile(ObservableValue<Icon> image, ObservableValue<String> name) {
        setId("app-icon");
        getStyleClass().add("app-icon");
        setMinSize(48, 48);
        setMaxSize(48, 48);
        view.setFitWidth(44);
        view.setFitHeight(44);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        letter.setId("app-icon-letter");
        getChildren().addAll(letter, view);
        Runnable update = () -> show(image.getValue(), name.getValue());
        image.addListener((o, was, now) -> update.run());
        name.addListener((o, was, now) -> update.run());
        update.run();
    }

    private void show(Icon b, String name) {
        view.setImage(null);
        getStyleClass().removeAll("app-icon-letter", "app-icon-svg");
        if (b != null && !b.mediaType().contains("svg")) {
            Image img = new Image(new ByteArrayInputStream(b.bytes()));
            if (!img.isError()) {
                view.setImage(img);
                letter.setText("");
                return;
            }
        }
        if (b != null) {
            getStyleClass().add("app-icon-svg");
            letter.setText("SVG");
            return;
        }
        getStyleClass().add("app-icon-letter");
        String n = name == null ? "" : name.strip();
        letter.setText(n.isEmpty() ? "?" : n.substring(0, n.offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT));
    }
}
