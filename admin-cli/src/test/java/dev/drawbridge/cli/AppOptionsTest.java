package dev.drawbridge.cli;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apps publish} and {@code apps update} options applied to an app: {@code --[no-]translate-links} sets link
 * translation, and an update that does not name it keeps the app's value (an update never turns it off by omission).
 */
class AppOptionsTest {
    private static AppCommands.AppOptions options(String... args) {
        AppCommands.AppOptions o = new AppCommands.AppOptions();
        new CommandLine(o).parseArgs(args);
        return o;
    }

    private static AppSpec app(Boolean translateLinks) {
        return new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", "Default", null, true,
                PreAuthentication.DIRECTORY, null, false, translateLinks);
    }

    @Test
    void translateLinksIsSetClearedOrKept() {
        assertThat(options("--translate-links").apply(app(false)).translateLinksInBody()).isTrue();
        assertThat(options("--no-translate-links").apply(app(true)).translateLinksInBody()).isFalse();
        assertThat(options("--name", "Benefits (HR)").apply(app(true)).translateLinksInBody()).isTrue();
        assertThat(options("--name", "Benefits (HR)").apply(app(true)).name()).isEqualTo("Benefits (HR)");
        assertThat(options().apply(app(null)).translateLinksInBody()).isNull();
    }

    @Test
    void translateLinksInScriptsIsSetClearedOrKept() {
        AppSpec on = new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", "Default", null, true,
                PreAuthentication.DIRECTORY, null, false, true, true);
        assertThat(options("--translate-links", "--translate-links-in-scripts").apply(app(false)).translateLinksInScripts()).isTrue();
        assertThat(options("--no-translate-links-in-scripts").apply(on).translateLinksInScripts()).isFalse();
        assertThat(options("--name", "Benefits (HR)").apply(on).translateLinksInScripts()).isTrue();
        assertThat(options().apply(app(null)).translateLinksInScripts()).isNull();
    }
}
