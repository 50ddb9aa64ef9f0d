package dev.drawbridge.testsupport.process;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Test servers run as children that cannot outlive their lifeline: a server that exits early says why (and whether its
 * port was taken, so that callers retry); a started one runs as nobody when the tests are root and is gone after close.
 */
class ServerProcessTest {
    @Test
    void aServerThatExitsBeforeItIsReadySaysWhy() throws Exception {
        Path dir = RunAs.privateDirectory("srv");
        ServerProcess.Exited exited = catchThrowableOfType(ServerProcess.Exited.class, () -> ServerProcess.start("fake", List.of("sh", "-c",
                "echo 'bind: Address already in use'; exit 3"), Map.of(), dir, dir.resolve("out.log"), Duration.ofSeconds(5), () -> false));
        assertThat(exited).isNotNull();
        assertThat(exited.getMessage()).contains("fake exited with 3", "Address already in use");
        assertThat(exited.portTaken()).isTrue();

        ServerProcess.Exited other = catchThrowableOfType(ServerProcess.Exited.class, () -> ServerProcess.start("fake", List.of("sh", "-c",
                "echo 'no such schema'; exit 1"), Map.of(), dir, dir.resolve("out.log"), Duration.ofSeconds(5), () -> false));
        assertThat(other.portTaken()).isFalse();
    }

    @Test
    void aRunningServerIsStoppedByClose() throws Exception {
        Path dir = RunAs.privateDirectory("srv");
        Path log = dir.resolve("out.log");
        ServerProcess server = ServerProcess.start("sleeper", List.of("sh", "-c", "id -u; exec sleep 60"), Map.of(), dir, log,
                Duration.ofSeconds(5), () -> Files.exists(log) && Files.readString(log).endsWith("\n"));
        ProcessHandle handle = ProcessHandle.of(server.pid()).orElseThrow();
        assertThat(server.isAlive()).isTrue();
        server.close();
        assertThat(handle.isAlive()).isFalse();
        assertThat(server.log().strip()).isEqualTo(RunAs.dropsToNobody() ? "65534" : String.valueOf(new UnixSystem().getUid()));
    }
}
