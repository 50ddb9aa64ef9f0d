package dev.drawbridge.console;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleOptionsTest {
    @Test
    void parsesServerTokenAndCaFile() {
        ConsoleOptions o = ConsoleOptions.parse(List.of("--server", "https://admin.localhost:8443", "--token=dbadm_x",
                "--ca-file", "ca.pem"));
        assertThat(o.server()).contains("https://admin.localhost:8443");
        assertThat(o.token()).contains("dbadm_x");
        assertThat(o.caFile()).contains(Path.of("ca.pem"));
    }

    @Test
    void namesTheBadOption() {
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--sever", "x"))).hasMessage("unknown option --sever");
        assertThatThrownBy(() -> ConsoleOptions.parse(List.of("--server"))).hasMessage("--server needs a value");
    }
}
