package dev.drawbridge.installer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review (issue 11): the Windows service (LocalService) reads its settings from
 * {@code %ProgramData%\Drawbridge\Connector\connector.yaml} and writes its logs to {@code ...\Connector\logs}, places the MSI
 * never creates. By Windows' default ACL on ProgramData, every local user may create folders and files there (and owns
 * what they create): an unprivileged user who creates that connector.yaml first sets the service's {@code upstream-ca}
 * (their own CA trusted for https:// internal apps: the connector then sends users' single sign-on credentials, passwords,
 * Kerberos tickets, identity headers, to a man in the middle), {@code outbound-proxy}, {@code management-bind 0.0.0.0} or
 * {@code state-dir}; one who creates the logs folder first owns and reads the service's logs. Either the settings and logs
 * live where only administrators may create files (the install folder under Program Files), or the MSI creates the
 * ProgramData folder with a locked ACL (LockPermissions / MsiLockPermissionsEx).
 */
class MsiSettingsAclReviewTest {
    private static final Pattern CONFIG = Pattern.compile("-Ddrawbridge\\.config=\"([^\"]+)\"");
    private static final Pattern LOGPATH = Pattern.compile("<logpath>([^<]+)</logpath>");

    @BeforeAll
    static void tools() {
        Packages.assumeTool("msiinfo", "msitools");
    }

    @Test
    void theServicesSettingsAndLogsAreWhereOnlyAdministratorsCreateFiles() throws Exception {
        String xml = Files.readString(Packages.INSTALLER.resolve("connector/src/msi/drawbridge-connector-service.xml"));
        List<String> paths = new ArrayList<>();
        for (Pattern p : List.of(CONFIG, LOGPATH)) {
            Matcher m = p.matcher(xml);
            assertThat(m.find()).as(p.pattern()).isTrue();
            paths.add(m.group(1));
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
            boolean adminOnly = path.startsWith("%BASE%") || path.startsWith("%ProgramFiles%");
            assertThat(adminOnly || path.startsWith("%ProgramData%") && programDataLocked)
                    .as("%s: in ProgramData, which every local user may write, without a folder the MSI locks down", path).isTrue();
        }
    }
}
