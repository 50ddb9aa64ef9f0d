package dev.drawbridge.connector.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jpackage recipe for a Windows build machine (docs/install.md, "On a Windows build machine") cannot run here, so it is
 * held to the Linux build it mirrors (installer/build/package.sh): the same runtime modules, jlinked with the same options
 * (so {@code java.exe} stays: the auto-update supervisor starts its child with it), the same Java options, the launcher's
 * arguments {@code run --auto-update}, settings beside the launcher; every file it names exists; and the WinSW description
 * it installs runs that launcher with the same state and log folders as the wixl-built MSI's service.
 */
class WindowsRecipeTest {
    private static final Path ROOT = Path.of("..");

    private static String recipe() throws Exception {
        String install = Files.readString(ROOT.resolve("docs/install.md"));
        int at = install.indexOf("**On a Windows build machine**");
        assertThat(at).as("docs/install.md's Windows recipe").isNotNegative();
        int start = install.indexOf("```bat", at), end = install.indexOf("```", start + 6);
        return install.substring(start, end).replace("^\n", " ");
    }

    private static String group(String pattern, String text) {
        Matcher m = Pattern.compile(pattern).matcher(text);
        assertThat(m.find()).as(pattern).isTrue();
        return m.group(1);
    }

    @Test
    void theRecipeIsTheDebsBuildForWindows() throws Exception {
        String recipe = recipe();
        String linux = Files.readString(ROOT.resolve("installer/build/package.sh"));
        assertThat(group("set BASE=(\\S+)", recipe)).as("the runtime's modules").isEqualTo(group("\nbase=(\\S+)", linux));
        String jlinkOptions = group("jlink\" --add-modules \"\\$base\" (--strip-debug[^\"]*?) --output", linux);
        assertThat(recipe).contains("jlink --add-modules %BASE% " + jlinkOptions + " --output installer\\connector\\target\\win-runtime")
                .doesNotContain("--strip-native-commands")
                .contains("--runtime-image installer\\connector\\target\\win-runtime")
                .contains("--arguments \"run --auto-update\"")
                .contains("--main-class dev.drawbridge.connector.cli.ConnectorCli")
                .contains("--java-options \"-Ddrawbridge.config=$APPDIR\\..\\connector.yaml\"")
                .doesNotContain("--launcher-as-service").doesNotContain("--resource-dir");
        for (String option : new String[]{"--enable-native-access=ALL-UNNAMED", "-XX:+ExitOnOutOfMemoryError"}) {
            assertThat(linux).contains("--java-options \"" + option + "\"");
            assertThat(recipe).contains("--java-options \"" + option + "\"");
        }
        Matcher files = Pattern.compile("installer\\\\connector\\\\src\\\\[^\\s,]+").matcher(recipe);
        int named = 0;
        while (files.find()) {
            named++;
            assertThat(ROOT.resolve(files.group().replace('\\', '/'))).as("a file the recipe names").isRegularFile();
        }
        assertThat(named).isPositive();
    }

    @Test
    void itsServiceRunsTheLauncherLikeTheWixlMsisService() throws Exception {
        String jpackage = Files.readString(ROOT.resolve("installer/connector/src/msi/jpackage/drawbridge-connector-service.xml"));
        String wixl = Files.readString(ROOT.resolve("installer/connector/src/msi/drawbridge-connector-service.xml"));
        assertThat(group("<executable>([^<]+)</executable>", jpackage)).isEqualTo("%BASE%\\drawbridge-connector.exe");
        assertThat(group("<arguments>([^<]+)</arguments>", jpackage)).isEqualTo("run --auto-update");
        assertThat(group("<arguments>([^<]+)</arguments>", wixl)).endsWith(" run --auto-update");
        for (String same : new String[]{"<id>([^<]+)</id>", "<logpath>([^<]+)</logpath>", "STATE_DIR\" value=\"([^\"]+)\"",
                "<stoptimeout>([^<]+)</stoptimeout>"}) {
            assertThat(group(same, jpackage)).as(same).isEqualTo(group(same, wixl));
        }
    }
}
