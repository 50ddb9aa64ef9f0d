package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class AppIconTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(api.session(), tasks, tasks);

    void select() {
        api.apps.put("hr", AppsViewModelTest.app("hr", "HR"));
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
    }

    @Test
    void noIconIsALetterTileAndAPngIsPutWithItsType(@TempDir Path dir) throws Exception {
        select();
        assertThat(vm.icon().imageProperty().get()).isNull();
        assertThat(vm.icon().statusProperty().get()).startsWith("No icon");
        assertThat(tasks.notices).noneMatch(n -> n.startsWith("error") || n.startsWith("warn"));

        Path file = Files.write(dir.resolve("hr.png"), PNG);
        vm.icon().upload(file);
        assertThat(api.body("apps.setIcon hr")).isEqualTo(new Icon("image/png", PNG));
        assertThat(vm.icon().imageProperty().get().bytes()).isEqualTo(PNG);
        assertThat(vm.icon().statusProperty().get()).isEqualTo("PNG, 12 bytes");

        vm.icon().remove();
        assertThat(api.calls()).contains("apps.removeIcon hr");
        assertThat(api.icons).isEmpty();
        assertThat(vm.icon().imageProperty().get()).isNull();
    }

    @Test
    void anExistingIconIsShownAndTheServersRefusalIsSaid(@TempDir Path dir) throws Exception {
        api.icons.put("hr", new Icon("image/svg+xml; charset=utf-8", "<svg/>".getBytes(StandardCharsets.UTF_8)));
        select();
        assertThat(vm.icon().statusProperty().get()).isEqualTo("SVG, 6 bytes");

        Path big = Files.write(dir.resolve("huge.png"), PNG);
        api.fail("apps.setIcon", 400, "about:blank", "invalid icon",
                new Problem.FieldError("icon", "the icon is larger than 256 KiB (300000 bytes)"));
        vm.icon().upload(big);
        assertThat(vm.icon().errorProperty().get()).isEqualTo("The server refused huge.png: the icon is larger than 256 KiB (300000 bytes)");
        assertThat(vm.icon().statusProperty().get()).isEqualTo("SVG, 6 bytes");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not set the icon"));
    }

    /** A file larger than the server takes, a directory or a missing file is refused here: nothing is read past the limit or sent. */
    @Test
    void aFileThatCannotBeAnIconIsRefusedWithoutReadingItWhole(@TempDir Path dir) throws Exception {
        select();
        byte[] big = new byte[AppIcon.MAX_ICON + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        vm.icon().upload(Files.write(dir.resolve("huge.png"), big));
        assertThat(vm.icon().errorProperty().get()).isEqualTo("huge.png is larger than 256 KiB: an icon is at most that.");
        vm.icon().upload(Files.createDirectory(dir.resolve("icons")));
        assertThat(vm.icon().errorProperty().get()).isEqualTo("icons is not a file: choose a PNG or SVG image file.");
        vm.icon().upload(dir.resolve("gone.png"));
        assertThat(vm.icon().errorProperty().get()).isEqualTo("Cannot read gone.png: no such file.");
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setIcon"));

        // Exactly the limit goes.
        vm.icon().upload(Files.write(dir.resolve("max.png"), Arrays.copyOf(big, AppIcon.MAX_ICON)));
        assertThat(api.calls()).contains("apps.setIcon hr");
        assertThat(vm.icon().errorProperty().get()).isEmpty();
    }

    /** A failure other than "no icon" (404) is reported, not shown as a letter tile. */
    @Test
    void anIconThatCannotBeLoadedIsReported() {
        api.fail("apps.icon hr", 403, "https://drawbridge.dev/problems/forbidden", "needs APPS_READ");
        select();
        assertThat(vm.icon().statusProperty().get()).isEmpty();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not load the icon") && n.contains("needs APPS_READ"));
    }

    @Test
    void theContentTypeComesFromTheBytesThenTheName() {
        assertThat(AppIcon.contentType(Path.of("logo.bin"), PNG)).isEqualTo("image/png");
        assertThat(AppIcon.contentType(Path.of("logo.txt"), "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo("image/svg+xml");
        assertThat(AppIcon.contentType(Path.of("logo.svg"), new byte[]{1, 2})).isEqualTo("image/svg+xml");
        assertThat(AppIcon.contentType(Path.of("logo.png"), new byte[]{1, 2})).isEqualTo("image/png");
        assertThat(AppIcon.contentType(Path.of("logo.gif"), new byte[]{1, 2})).isEqualTo("application/octet-stream");
    }
}
