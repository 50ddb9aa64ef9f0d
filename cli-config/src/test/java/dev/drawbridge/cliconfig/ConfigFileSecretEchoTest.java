package dev.drawbridge.cliconfig;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A settings file that is not valid YAML, or that breaks a rule of its own, is refused with a sentence naming the file and
 * line, never with the text of the line: the line may be the one with the database password, and the sentence goes to
 * the journal (or a terminal), which more users read than the 0640 file.
 */
class ConfigFileSecretEchoTest {
    static final String SECRET = "s3cretPW";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            "database-url: \"jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "database-url: 'jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "database-url: jdbc:postgresql://db/x?password=" + SECRET + "\n  port: 1\n",
            "database-url: [jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "database-url: {jdbc:postgresql://db/x?password=" + SECRET + "}\n",
            "database-url: jdbc:postgresql://db/x?password=" + SECRET + "\ndatabase-url: x\n",
            "database-url: jdbc:postgresql://db/x?password=" + SECRET + "\n---\nport: 1\n",
            "\tdatabase-url: jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "database-url: &a jdbc:postgresql://db/x?password=" + SECRET + "\nother: *a\n",
            "database-url: !!binary jdbc:postgresql://db/x?password=" + SECRET + " : x\n",
            "jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "- jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "database-url: @jdbc:postgresql://db/x?password=" + SECRET + "\n",
            "? database-url: jdbc:postgresql://db/x?password=" + SECRET + "\n: x\n"})
    void aRefusalNamesTheLineNotItsText(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("server.yaml"), yaml);
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class).hasMessageContaining(file.toString())
                .hasMessageNotContaining(SECRET).hasMessageNotContaining("postgresql");
    }
}
