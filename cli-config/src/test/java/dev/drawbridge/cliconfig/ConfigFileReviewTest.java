package dev.drawbridge.cliconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Review (issue 11): Jackson's streaming YAML parser does not expand an alias: it hands back the ANCHOR'S NAME as the
 * value (YAMLParser: AliasEvent → VALUE_STRING of getAnchor()). So {@code upstream-ca: *ca} silently sets the option to the
 * relative path {@code ca} instead of the anchored value, or refusing it: the settings file's promise ("a bad value stops
 * the program with a message naming this file and line") does not hold for aliases. No alias bomb is possible (nothing is
 * expanded), but an alias must be refused, naming its line.
 */
class ConfigFileReviewTest {
    @TempDir
    Path dir;

    @Test
    void anAliasIsRefusedNamingItsLineNotTakenAsItsAnchorsName() throws Exception {
        Path file = Files.writeString(dir.resolve("connector.yaml"), "state-dir: &dir /var/lib/drawbridge-connector\nupstream-ca: *dir\n");
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class).hasMessageContaining(file + ":2");
    }
}
