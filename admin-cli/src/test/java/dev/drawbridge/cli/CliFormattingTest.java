package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The CLI's pieces that need no server: tables, --since, masking, the stored login. */
class CliFormattingTest {
    static JsonNode json(String s) throws Exception {
        return Output.JSON.readTree(s);
    }

    @Test
    void tablesAlignColumnsAndFormatValues() throws Exception {
        JsonNode page = json("""
                {"items": [{"name": "HR", "on": true, "at": "2026-11-25T08:00:00.123456Z", "tags": ["a", "b"]},
                           {"name": "Payroll portal", "on": false, "at": null, "tags": []}], "total": 2}""");
        String t = Table.render(List.of(Table.Column.of("NAME", "name"), Table.Column.of("ON", "on"), Table.Column.of("AT", "at"),
                Table.Column.of("TAGS", "tags"), Table.Column.optional("GONE", "missing")), Output.items(page));
        assertThat(t).isEqualTo("""
                NAME            ON   AT                    TAGS
                HR              yes  2026-11-25T08:00:00Z  a,b
                Payroll portal  no   -                     -
                """);
    }

    @Test
    void keyValuesFlattenNestedObjects() throws Exception {
        assertThat(Table.keyValues(json("{\"id\": \"1\", \"access\": {\"assignmentRequired\": true}}")).lines().toList())
                .containsExactly("id:" + " ".repeat(25) + "1", "access.assignmentRequired:  yes");
    }

    @Test
    void sinceTakesDurationsAndInstants() throws Exception {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertThat(LogCommands.since("1h", now)).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(LogCommands.since("1h30m", now)).isEqualTo(Instant.parse("2026-11-25T10:30:00Z"));
        assertThat(LogCommands.since("2d", now)).isEqualTo(Instant.parse("2026-11-23T12:00:00Z"));
        assertThat(LogCommands.since("PT15M", now)).isEqualTo(Instant.parse("2026-11-25T11:45:00Z"));
        assertThat(LogCommands.since("2026-11-01T00:00:00Z", now)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        CliException e = catchThrowableOfType(CliException.class, () -> LogCommands.since("an hour", now));
        assertThat(e.exitCode()).isEqualTo(2);
    }

    @Test
    void secretsAreMasked() {
        assertThat(Secrets.mask("refused dbadm_abcdefghijklmnop and dbreg_zyxwvutsrqpo", null))
                .isEqualTo("refused dbadm_*** and dbreg_***");
        assertThat(Secrets.mask("Authorization: Bearer abc.def.ghi-123", null)).isEqualTo("Authorization: Bearer ***");
        assertThat(Secrets.mask("send it as Bearer <token>", null)).isEqualTo("send it as Bearer <token>");
        assertThat(Secrets.mask("x my-own-secret-value y", "my-own-secret-value")).isEqualTo("x *** y");
    }

    @Test
    void credentialsGoOnlyToHttpsOrLoopback(@TempDir Path dir) throws Exception {
        DrawbridgeCli cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.toString()), InputStream.nullInputStream());
        CommandLine.populateCommand(cli, "--server", "http://admin.example.com:8080", "--token", "t");
        CliException e = catchThrowableOfType(CliException.class, () -> Settings.resolve(cli, true));
        assertThat(e.getMessage()).contains("plain http");
        CommandLine.populateCommand(cli, "--server", "http://admin.localhost:8080", "--token", "t");
        assertThat(Settings.resolve(cli, true).token()).contains("t");
        CommandLine.populateCommand(cli, "--server", "admin.example.com", "--token", "t");
        assertThat(catchThrowableOfType(CliException.class, () -> Settings.resolve(cli, true)).exitCode()).isEqualTo(2);
    }

    @Test
    void storedLoginIsOwnerOnlyAndBoundToItsServer(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("drawbridge");
        StoredLogin login = new StoredLogin(URI.create("https://admin.example.com:8443"), "dbadm_secret", null, "alice", List.of(), null);
        login.write(config);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve(StoredLogin.FILE)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rwx------");
        assertThat(StoredLogin.read(config)).contains(login);
        assertThat(login.toString()).doesNotContain("dbadm_secret");
        assertThat(login.isFor(URI.create("https://ADMIN.example.com:8443/api/v1/"))).isTrue();
        assertThat(login.isFor(URI.create("https://admin.example.com/"))).isFalse();
        assertThat(login.isFor(URI.create("http://admin.example.com:8443/"))).isFalse();
    }
}
