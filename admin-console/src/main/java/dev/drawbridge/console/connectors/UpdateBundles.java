package dev.drawbridge.console.connectors;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.BundleFile;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.ConnectorUpdateView;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The connector update bundles the server hosts ({@code /connector-updates}): the list (version, size, SHA-256,
 * uploaded at and by), Upload (a file streamed to the server, which checks and signs it) and Delete. Upload and Delete
 * need CONNECTOR_UPDATES_WRITE (global administrators); the view guards them. A refused upload leaves the server's
 * sentence in {@link #problemProperty()} until the next upload.
 */
public final class UpdateBundles {
    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<ConnectorUpdateView> bundles = new Listing<>(ConnectorUpdateView::version);
    private final ReadOnlyBooleanWrapper uploading = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final Runnable uploaded;

    /** {@code changed} runs after an upload or a deletion (the rollouts' targets may have changed). */
    UpdateBundles(AdminApi api, Tasks tasks, Notices notices, Runnable changed) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.uploaded = changed;
    }

    public Listing<ConnectorUpdateView> bundles() {
        return bundles;
    }

    void refresh() {
        bundles.load(tasks, notices, "connector updates", () -> api.connectorUpdates().list());
    }

    /** True while an upload runs (one at a time). */
    public ReadOnlyBooleanProperty uploadingProperty() {
        return uploading.getReadOnlyProperty();
    }

    /** What the running upload sends ("Uploading x.zip (12.5 MiB)…"); empty otherwise. */
    public ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** Why the last upload was refused, in the server's (or the file check's) words; empty after a success. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Uploads the bundle {@code file} (checked first: a regular, non-empty file within the server's limit). */
    public void upload(Path file) {
        if (file == null || uploading.get()) {
            return;
        }
        BundleFile bundle;
        try {
            bundle = BundleFile.of(file);
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
            notices.error("Cannot upload " + file.getFileName(), e.getMessage());
            return;
        }
        String name = String.valueOf(file.getFileName());
        problem.set("");
        uploading.set(true);
        progress.set("Uploading " + name + " (" + size(bundle.size()) + ")…");
        tasks.runQuietly("upload connector update " + name, () -> api.connectorUpdates().upload(bundle), v -> {
            uploading.set(false);
            progress.set("");
            notices.info("Connector update uploaded", "Version " + v.version() + " is signed; connector groups that do not pin a"
                    + " version update to it, one connector at a time.");
            bundles.selectedProperty().set(v);
            refresh();
            uploaded.run();
        }, e -> {
            uploading.set(false);
            progress.set("");
            problem.set(Failures.message(e));
            notices.error("Could not upload " + name, problem.get());
        });
    }

    /** Deletes the bundle {@code v} (the server refuses while a group pins it or a connector is updating to it). */
    public void delete(ConnectorUpdateView v) {
        if (v == null) {
            return;
        }
        tasks.run("delete connector update " + v.version(), () -> {
            api.connectorUpdates().delete(v.version());
            return v;
        }, gone -> {
            bundles.selectedProperty().set(null);
            notices.info("Connector update deleted", "Version " + gone.version());
            refresh();
            uploaded.run();
        });
    }

    /** A size for people: bytes, KiB or MiB with one decimal. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        return bytes < 1L << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
