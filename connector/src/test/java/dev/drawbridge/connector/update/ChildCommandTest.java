package dev.drawbridge.connector.update;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's command for its child: same runtime and settings, the launch's class path, never a supervisor again. */
class ChildCommandTest {
    @Test
    void theChildRunsTheLaunchWithTheSupervisorsOptionsButNotAsASupervisor() {
        ChildCommand c = new ChildCommand(Path.of("/rt/bin/java"), ChildCommand.jvmOptions(List.of("-Xmx256m", "-Ddrawbridge.config=/etc/c.yaml",
                "-Djava.class.path=/opt/app/a.jar", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-Ddrawbridge.connector.supervised=false")),
                ChildCommand.runArguments(List.of("--auto-update", "--state-dir", "/var/lib/c", "--auto-update=true", "--tunnels", "2")));
        Launch l = new Launch("9.9.9", "dev.example.Main", List.of(Path.of("/s/9.9.9/lib/0.jar"), Path.of("/s/9.9.9/lib/a.jar")));
        assertThat(c.command(l)).containsExactly("/rt/bin/java", "-Xmx256m", "-Ddrawbridge.config=/etc/c.yaml",
                "-Ddrawbridge.connector.supervised=true", "-cp", "/s/9.9.9/lib/0.jar" + File.pathSeparator + "/s/9.9.9/lib/a.jar",
                "dev.example.Main", "run", "--state-dir", "/var/lib/c", "--tunnels", "2");
    }
}
