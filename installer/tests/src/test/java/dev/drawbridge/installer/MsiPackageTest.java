package dev.drawbridge.installer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's MSI as wixl built it, read with msitools: its File table holds every jar the .deb's connector runs
 * with, the launcher and the service wrapper; ServiceInstall and ServiceControl the DrawbridgeConnector service
 * (automatic, as LocalService, stopped and removed with the product, not started before registration); Upgrade the
 * connector's one UpgradeCode; the launch conditions JAVA_HOME and a real service wrapper; msiextract the files.
 */
class MsiPackageTest {
    static final String UPGRADE_CODE = "{7D6C1E0B-5A3F-4E8B-9B1D-2F4C8A6E0D11}";

    @BeforeAll
    static void tools() {
        Packages.assumeTool("msiinfo", "msitools");
    }

    static List<List<String>> rows(String table) throws Exception {
        // msiinfo export: a header line of names, one of types, one with the table's name, then one row per line.
        return Packages.run(List.of("msiinfo", "export", Packages.msi().toString(), table)).ok().out().lines().skip(3)
                .map(l -> List.of(l.split("\t", -1))).toList();
    }

    @Test
    void itsTablesHoldTheFilesTheServiceAndTheUpgradeCode() throws Exception {
        assertThat(Packages.run(List.of("msiinfo", "tables", Packages.msi().toString())).ok().out().lines())
                .contains("File", "ServiceInstall", "ServiceControl", "Upgrade", "LaunchCondition");
        List<String> files = rows("File").stream().map(r -> r.get(2).replaceFirst("^[^|]*\\|", "")).toList();
        List<String> jars;
        try (Stream<Path> input = Files.list(Packages.INSTALLER.resolve("connector/target/input"))) {
            jars = input.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        assertThat(jars).contains("connector-" + Packages.VERSION + ".jar", "cli-config-" + Packages.VERSION + ".jar");
        assertThat(files).containsAll(jars).contains("drawbridge-connector-service.exe", "drawbridge-connector-service.xml",
                "drawbridge-connector.cmd", "logback.xml", "connector.yaml.example");

        List<String> service = rows("ServiceInstall").getFirst();
        assertThat(service.subList(1, 6)).containsExactly("DrawbridgeConnector", "Drawbridge connector", "16", "2", "1");
        assertThat(service.get(8)).isEqualTo("NT AUTHORITY\\LocalService");
        List<String> control = rows("ServiceControl").getFirst();
        assertThat(control.get(1)).isEqualTo("DrawbridgeConnector");
        // 162 = stop on install and uninstall (2 + 32), delete on uninstall (128); no start: it needs registering first.
        assertThat(Integer.parseInt(control.get(2))).isEqualTo(2 | 32 | 128);

        assertThat(rows("Upgrade")).isNotEmpty().allSatisfy(r -> assertThat(r.getFirst()).isEqualTo(UPGRADE_CODE));
        assertThat(rows("Property")).contains(List.of("UpgradeCode", UPGRADE_CODE));
        assertThat(rows("LaunchCondition").stream().map(List::getFirst)).contains("Installed OR %JAVA_HOME",
                "Installed OR SERVICEWRAPPER = \"winsw\"");
    }

    @Test
    void msiextractListsTheInstalledFiles() throws Exception {
        Packages.assumeTool("msiextract", "msitools");
        assertThat(Packages.run(List.of("msiextract", "-l", Packages.msi().toString())).ok().out().lines())
                .contains("Drawbridge/Connector/drawbridge-connector.cmd", "Drawbridge/Connector/drawbridge-connector-service.exe",
                        "Drawbridge/Connector/lib/connector-" + Packages.VERSION + ".jar");
    }
}
