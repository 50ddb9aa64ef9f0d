package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.console.session.ChosenFile;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.FxTasks;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The icon of the selected app ({@code /apps/{id}/icon}): loaded with the app (404: none, the view shows a letter
 * tile), set from a PNG or SVG file, removed. The server checks the bytes; its sentence (too large, not an image)
 * shows under the icon.
 */
public final class AppIcon {
    /** The largest icon the server takes. */
    static final int MAX_ICON = 256 * 1024;

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final ObjectProperty<Icon> image = new SimpleObjectProperty<>();
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private String appId;

    AppIcon(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
    }

    /** The icon's bytes and type; null when the app has none. */
    public ObjectProperty<Icon> imageProperty() {
        return image;
    }

    /** E.g. "PNG, 1.2 KiB" or "No icon: My Apps shows the first letter". */
    public StringProperty statusProperty() {
        return status;
    }

    /** Why the last upload was refused; empty when it was not. */
    public StringProperty errorProperty() {
        return error;
    }

    void load(String id) {
        appId = id;
        image.set(null);
        error.set("");
        status.set(id == null ? "" : "Loading…");
        if (id == null) {
            return;
        }
        tasks.runQuietly("load the icon", () -> api.apps().icon(id), b -> {
            if (id.equals(appId)) {
                show(b);
            }
        }, e -> {
            if (!id.equals(appId)) {
                return;
            }
            if (Failures.notFound(e)) {
                show(null);
            } else {
                status.set("");
                notices.error("Could not load the icon", FxTasks.message(e));
            }
        });
    }

    void clear() {
        load(null);
    }

    private void show(Icon b) {
        image.set(b);
        status.set(b == null ? "No icon: My Apps shows the first letter of the name"
                : (b.mediaType().contains("svg") ? "SVG" : "PNG") + ", " + size(b.bytes().length));
    }

    static String size(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    /** The Content-Type to send: by the file's first bytes (PNG signature, an svg element), else by its name. */
    static String contentType(Path file, byte[] body) {
        if (body.length >= 8 && (body[0] & 0xff) == 0x89 && body[1] == 'P' && body[2] == 'N' && body[3] == 'G') {
            return "image/png";
        }
        String head = new String(body, 0, Math.min(body.length, 1024), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (head.contains("<svg") || name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        // Neither: send it as what the name says and let the server explain.
        return name.endsWith(".png") ? "image/png" : "application/octet-stream";
    }

    /**
     * Reads {@code file} and puts it as the icon of the selected app. Only a regular file of at most {@value #MAX_ICON} bytes
     * (the server's limit) is read: a larger file, a directory or a device is refused here with a sentence.
     */
    public void upload(Path file) {
        String id = appId;
        if (id == null) {
            return;
        }
        error.set("");
        byte[] body;
        switch (ChosenFile.read(file, MAX_ICON, "a PNG or SVG image file", "an icon")) {
            case ChosenFile.Refused r -> {
                error.set(r.sentence());
                return;
            }
            case ChosenFile.Bytes b -> body = b.bytes();
        }
        tasks.runQuietly("set the icon", () -> {
            String type = contentType(file, body);
            Icon icon = new Icon(type, body);
            api.apps().setIcon(id, icon);
            return icon;
        }, b -> {
            if (id.equals(appId)) {
                show(b);
            }
            notices.info("Icon set", file.getFileName() + " (" + size(b.bytes().length) + ")");
        }, e -> {
            String why = Failures.problem(e).flatMap(p -> p.errors().stream().findFirst()).map(f -> f.message())
                    .orElse(FxTasks.message(e));
            if (id.equals(appId)) {
                error.set("The server refused " + file.getFileName() + ": " + why);
            }
            notices.error("Could not set the icon", why);
        });
    }

    /** Removes the icon of the selected app. */
    public void remove() {
        String id = appId;
        if (id == null || image.get() == null) {
            return;
        }
        tasks.run("remove the icon", () -> {
            api.apps().removeIcon(id);
            return id;
        }, gone -> {
            if (gone.equals(appId)) {
                show(null);
                error.set("");
            }
            notices.info("Icon removed", "My Apps shows the first letter of the name");
        });
    }
}
