package dev.drawbridge.console.apps;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.api.Api;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AppIconTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(new Session(api, "admin", List.of(), Permissions.ALL, Optional.empty()), tasks, tasks);

    void select() {
        api.answer("GET apps?limit=1000", Map.of("items", List.of(AppsViewModelTest.app("hr", "HR")), "offset", 0, "limit", 1000, "total", 1))
                .answer("GET apps/hr/assignments", List.of()).answer("GET apps/hr/owners", List.of())
                .answer("GET access-requests?status=PENDING", List.of());
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
        api.answer("PUT apps/hr/icon", new Api.Binary("application/json", new byte[0]));
        vm.icon().upload(file);
        assertThat(api.calls).contains("PUT apps/hr/icon (image/png)");
        assertThat(api.bodies.getLast()).isEqualTo(PNG);
        assertThat(vm.icon().imageProperty().get().bytes()).isEqualTo(PNG);
        assertThat(vm.icon().statusProperty().get()).isEqualTo("PNG, 12 bytes");

        api.answer("DELETE apps/hr/icon", new Api.Binary("", new byte[0]));
        vm.icon().remove();
        assertThat(api.calls).contains("DELETE apps/hr/icon");
        assertThat(vm.icon().imageProperty().get()).isNull();
    }

    @Test
    void anExistingIconIsShownAndTheServersRefusalIsSaid(@TempDir Path dir) throws Exception {
        api.answer("GET apps/hr/icon", new Api.Binary("image/svg+xml; charset=utf-8", "<svg/>".getBytes(StandardCharsets.UTF_8)));
        select();
        assertThat(vm.icon().statusProperty().get()).isEqualTo("SVG, 6 bytes");

        Path big = Files.write(dir.resolve("huge.png"), PNG);
        api.fail("PUT apps/hr/icon", 400, "about:blank", "invalid icon",
                new Problem.FieldError("icon", "the icon is larger than 256 KiB (300000 bytes)"));
        vm.icon().upload(big);
        assertThat(vm.icon().errorProperty().get()).isEqualTo("The server refused huge.png: the icon is larger than 256 KiB (300000 bytes)");
        assertThat(vm.icon().statusProperty().get()).isEqualTo("SVG, 6 bytes");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not set the icon"));
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
