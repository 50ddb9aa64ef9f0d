package dev.drawbridge.installer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Windows service (LocalService) and {@code drawbridge-connector.cmd} read their settings, keep their identity and
 * write their logs only where no unprivileged local user may create files first. By Windows' default ACL on ProgramData,
 * every local user may create folders and files there (and owns what they create): one who creates the service's
 * connector.yaml first sets its {@code upstream-ca} (their own CA trusted for https:// internal apps: the connector then
 * sends users' single sign-on credentials to a man in the middle), {@code outbound-proxy}, {@code management-bind} or
 * {@code state-dir}; one who creates its logs folder first owns and reads its logs. Admin-only places: the install folder
 * under Program Files ({@code %BASE%}), the service account's own profile (LocalService, SYSTEM and Administrators
 * only), or a ProgramData folder the MSI creates with a locked ACL (LockPermissions / MsiLockPermissionsEx).
 */
class MsiServicePathsTest {
    private static final Pattern CONFIG = Pattern.compile("-Ddrawbridge\\.config=\"([^\"]+)\"");
    private static final Pattern LOGPATH = Pattern.compile("<logpath>([^<]+)</logpath>");
    private static final Pattern STATE_DIR = Pattern.compile("DRAWBRIDGE_CONNECTOR_STATE_DIR\"? value=\"([^\"]+)\"");
    private static final Pattern CMD_STATE_DIR = Pattern.compile("set \"DRAWBRIDGE_CONNECTOR_STATE_DIR=([^\"]+)\"");
    private static final String SERVICE_PROFILE = "%SystemRoot%\\ServiceProfiles\\LocalService\\";

    @BeforeAll
    static void tools() {
        Packages.assumeTool("msiinfo", "msitools");
    }

    @Test
    void theServicesSettingsIdentityAndLogsAreWhereOnlyAdministratorsCreateFiles() throws Exception {
        String xml = Files.readString(Packages.INSTALLER.resolve("connector/src/msi/drawbridge-connector-service.xml"));
        String cmd = Files.readString(Packages.INSTALLER.resolve("connector/src/msi/drawbridge-connector.cmd"));
        List<String> paths = new ArrayList<>();
        for (Pattern p : List.of(CONFIG, LOGPATH, STATE_DIR)) {
            paths.add(first(p, xml));
        }
        for (Pattern p : List.of(CONFIG, CMD_STATE_DIR)) {
            paths.add(first(p, cmd).replace("%BASE%", "%BASE%\\"));
        }
        Set<String> tables = Set.copyOf(Packages.run(List.of("msiinfo", "tables", Packages.msi().toString())).ok().out().lines().toList());
        Set<String> locked = new HashSet<>();
        for (String table : List.of("LockPermissions", "MsiLockPermissionsEx")) {
            if (tables.contains(table)) {
                int column = table.equals("LockPermissions") ? 0 : 1;
                locked.addAll(MsiPackageTest.rows(table).stream().map(r -> r.get(column)).collect(Collectors.toSet()));
            }
        }
        boolean programDataLocked = MsiPackageTest.rows("Directory").stream()
                .anyMatch(r -> r.get(1).equals("CommonAppDataFolder") && locked.contains(r.get(0)));
        for (String path : paths) {
            boolean adminOnly = path.startsWith("%BASE%\\") || path.startsWith("%ProgramFiles%\\") || path.startsWith(SERVICE_PROFILE);
            assertThat(adminOnly || path.startsWith("%ProgramData%") && programDataLocked)
                    .as("%s: in ProgramData, which every local user may write, without a folder the MSI locks down", path).isTrue();
        }
    }

    @Test
    void theSettingsExampleSuggestsNoPathUnderProgramData() throws Exception {
        String example = Files.readString(Packages.INSTALLER.resolve("connector/src/msi/connector.yaml.example"));
        assertThat(example.lines().filter(l -> l.matches("#\\s*[a-z-]+:.*"))).as("the example's keys")
                .isNotEmpty().noneMatch(l -> l.toLowerCase(Locale.ROOT).contains("programdata"));
    }

    private static String first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(p.pattern()).isTrue();
        return m.group(1);
    }
}
