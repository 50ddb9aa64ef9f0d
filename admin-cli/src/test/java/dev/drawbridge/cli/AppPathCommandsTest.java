package dev.drawbridge.cli;

import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code apps paths set}: the path and its options as parsed ({@code --users} and {@code --policies} split on commas),
 * {@code --pre-auth} in any case or {@code inherit}, anything else a usage error naming the option; a path is matched
 * against the stored ones without its trailing slash.
 */
class AppPathCommandsTest {
    @Test
    void optionsAreParsed() {
        AppPathCommands.Set set = new AppPathCommands.Set();
        new CommandLine(set).parseArgs("HR", "/admin/", "--users", "Admins,alice@corp.example", "--policies", "p1", "--pre-auth", "directory");
        assertThat(set.app).isEqualTo("HR");
        assertThat(set.path).isEqualTo("/admin/");
        assertThat(set.users).containsExactly("Admins", "alice@corp.example");
        assertThat(set.policies).containsExactly("p1");
        assertThat(AppPathCommands.plain(set.path)).isEqualTo("/admin");
        assertThat(AppPathCommands.plain("/")).isEqualTo("/");
    }

    @Test
    void preAuthenticationIsAModeOrInherit() throws Exception {
        assertThat(AppPathCommands.Set.preAuthentication("passthrough")).isEqualTo(PreAuthentication.PASSTHROUGH);
        assertThat(AppPathCommands.Set.preAuthentication("DIRECTORY")).isEqualTo(PreAuthentication.DIRECTORY);
        assertThat(AppPathCommands.Set.preAuthentication("inherit")).isNull();
        assertThat(AppPathCommands.Set.preAuthentication(null)).isNull();
        assertThatThrownBy(() -> AppPathCommands.Set.preAuthentication("open")).isInstanceOf(CliException.class)
                .hasMessageContaining("--pre-auth");
    }
}
