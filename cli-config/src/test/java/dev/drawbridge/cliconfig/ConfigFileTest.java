package dev.drawbridge.cliconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What {@link ConfigFile#read} refuses before and while parsing. Jackson's streaming YAML parser does not expand an alias:
 * it hands back the anchor's name as the value, so {@code upstream-ca: *ca} would silently set the option to the relative
 * path {@code ca}; every alias (a value, a list item, a key) is refused naming its line. Only a regular file of at most
 * {@link ConfigFile#MAX_BYTES} is opened: {@code --config /dev/zero} ran out of memory and a FIFO hung.
 */
@Timeout(30)
class ConfigFileTest {
    private static final int MIB = 1 << 20;
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "state-dir: &dir /var/lib/drawbridge-connector\nupstream-ca: *dir\n",
        "state-dir: &dir /var/lib/drawbridge-connector\ntrusted-proxy: [10.0.0.1, *dir]\n",
        "state-dir: &dir /var/lib/drawbridge-connector\ntrusted-proxy:\n  - *dir\n",
        "trusted-proxy: &list [10.0.0.1]\nother: *list\n"})
    void anAliasIsRefusedNamingItsLineNotTakenAsItsAnchorsName(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("connector.yaml"), yaml);
        int line = (int) yaml.lines().takeWhile(l -> !l.contains("*")).count() + 1;
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":" + line).hasMessageContaining("alias");
    }

    @Test
    void anAliasAsAKeyIsRefusedNamingItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("connector.yaml"), "state-dir: &dir tunnels\n*dir : 4\n");
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class).hasMessageContaining(file + ":2: ");
    }

    @Test
    void anAnchorAloneIsHarmlessAndKeepsItsValue() throws Exception {
        Path file = Files.writeString(dir.resolve("connector.yaml"), "state-dir: &dir /var/lib/drawbridge-connector\n");
        assertThat(ConfigFile.read(file).get("state-dir").orElseThrow().values()).containsExactly("/var/lib/drawbridge-connector");
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero here");
        assertThatThrownBy(() -> ConfigFile.read(zero)).isInstanceOf(ConfigException.class)
                .hasMessage("cannot read the configuration file /dev/zero: it is a device, pipe or socket, not a regular file: give a file "
                        + "with --config");
    }

    @Test
    void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("settings.fifo");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "no mkfifo here");
        assertThat(new ProcessBuilder(List.of("/usr/bin/mkfifo", fifo.toString())).inheritIO().start().waitFor()).isZero();
        assertThatThrownBy(() -> ConfigFile.read(fifo)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(fifo + ": it is a device, pipe or socket, not a regular file");
    }

    @Test
    void aFolderIsRefused() {
        assertThatThrownBy(() -> ConfigFile.read(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir + ": it is a folder, not a regular file");
    }

    @Test
    void aFileOverOneMebibyteIsRefusedAndOneOfExactlyThatIsRead() throws Exception {
        assertThat(ConfigFile.MAX_BYTES).isEqualTo(MIB);
        String line = "# " + "x".repeat(1021) + "\n"; // 1 KiB
        Path atCap = Files.writeString(dir.resolve("at-cap.yaml"), line.repeat(MIB / 1024 - 1) + "port: 8443\n"
                + "#".repeat(1024 - "port: 8443\n".length() - 1) + "\n");
        assertThat(Files.size(atCap)).isEqualTo(MIB);
        assertThat(ConfigFile.read(atCap).get("port").orElseThrow().values()).containsExactly("8443");

        Path over = Files.writeString(dir.resolve("over.yaml"), Files.readString(atCap) + "\n");
        assertThatThrownBy(() -> ConfigFile.read(over)).isInstanceOf(ConfigException.class)
                .hasMessage("the configuration file " + over + " is larger than 1024 KiB: a settings file is a few 'key: value' lines");
    }

    @Test
    void invalidUtf8IsStillNamedAsSuch() throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'p', 'o', 'r', 't', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessage("the configuration file " + file + " is not UTF-8 text: save it as UTF-8");
    }
}
