package dev.drawbridge.cli;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code apps publish} and {@code apps update} options applied to an app: {@code --[no-]translate-links} sets link
 * translation, and an update that does not name it keeps the app's value (an update never turns it off by omission);
 * {@code --throttle} and {@code --backend-timeout} set, keep or remove ({@code default}) the app's own limits, and a
 * malformed value is a usage error naming the option.
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
    void translateLinksIsSetClearedOrKept() throws Exception {
        assertThat(options("--translate-links").apply(app(false)).translateLinksInBody()).isTrue();
        assertThat(options("--no-translate-links").apply(app(true)).translateLinksInBody()).isFalse();
        assertThat(options("--name", "Benefits (HR)").apply(app(true)).translateLinksInBody()).isTrue();
        assertThat(options("--name", "Benefits (HR)").apply(app(true)).name()).isEqualTo("Benefits (HR)");
        assertThat(options().apply(app(null)).translateLinksInBody()).isNull();
    }

    @Test
    void translateLinksInScriptsIsSetClearedOrKept() throws Exception {
        AppSpec on = new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", "Default", null, true,
                PreAuthentication.DIRECTORY, null, false, true, true);
        assertThat(options("--translate-links", "--translate-links-in-scripts").apply(app(false)).translateLinksInScripts()).isTrue();
        assertThat(options("--no-translate-links-in-scripts").apply(on).translateLinksInScripts()).isFalse();
        assertThat(options("--name", "Benefits (HR)").apply(on).translateLinksInScripts()).isTrue();
        assertThat(options().apply(app(null)).translateLinksInScripts()).isNull();
    }

    private static AppSpec limited(AppThrottle throttle, Integer seconds) {
        return new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", "Default", null, true,
                PreAuthentication.DIRECTORY, null, false, null, throttle, seconds);
    }

    @Test
    void limitsAreSetKeptOrRemoved() throws Exception {
        AppSpec set = options("--throttle", "50/120", "--backend-timeout", "300").apply(limited(null, null));
        assertThat(set.throttle()).isEqualTo(new AppThrottle(50, 120));
        assertThat(set.backendTimeoutSeconds()).isEqualTo(300);
        assertThat(options("--throttle", "40").apply(limited(null, null)).throttle()).isEqualTo(new AppThrottle(40, 80));
        assertThat(options("--backend-timeout", "90s").apply(limited(null, null)).backendTimeoutSeconds()).isEqualTo(90);
        AppSpec kept = options("--name", "x").apply(limited(new AppThrottle(5, 6), 400));
        assertThat(kept.throttle()).isEqualTo(new AppThrottle(5, 6));
        assertThat(kept.backendTimeoutSeconds()).isEqualTo(400);
        AppSpec removed = options("--throttle", "default", "--backend-timeout", "DEFAULT").apply(limited(new AppThrottle(5, 6), 400));
        assertThat(removed.throttle()).isNull();
        assertThat(removed.backendTimeoutSeconds()).isNull();
    }

    @Test
    void malformedLimitsAreUsageErrorsNamingTheOption() {
        for (String bad : new String[] {"fast", "1/2/3", "5/", "/5", ""}) {
            assertThatThrownBy(() -> options("--throttle", bad).apply(limited(null, null))).as(bad)
                    .isInstanceOf(CliException.class).hasMessageContaining("--throttle");
        }
        for (String bad : new String[] {"5m", "long", "", "1.5"}) {
            assertThatThrownBy(() -> options("--backend-timeout", bad).apply(limited(null, null))).as(bad)
                    .isInstanceOf(CliException.class).hasMessageContaining("--backend-timeout");
        }
    }
}
