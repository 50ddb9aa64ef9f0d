package dev.drawbridge.installer;

import dev.drawbridge.model.update.UpdateBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb files as built: each one's control fields, file list with modes and owners, conffiles and maintainer
 * scripts; then installed for real with dpkg into a scratch root ({@code dpkg --root DIR --force-script-chrootless}:
 * the maintainer scripts run with DPKG_ROOT set, against that root only) to see what they make (the service users,
 * the 0700 state folders, the settings files readable by the service's group only, the connector enabled and the
 * server not) and what a purge leaves (the server's data, never the connector's identity); and {@code systemd-analyze
 * verify} and {@code security --offline} on the installed units.
 */
class DebPackagesTest {
    @TempDir
    static Path scratch;

    /** One line of {@code dpkg-deb -c}: mode, owner, path (and link target). */
    record Entry(String mode, String owner, String path) {
    }

    static Map<String, Entry> contents(Path deb) throws Exception {
        Map<String, Entry> entries = new HashMap<>();
        for (String line : Packages.run(List.of("dpkg-deb", "-c", deb.toString())).ok().out().lines().toList()) {
            String[] f = line.trim().split("\\s+", 6);
            String path = f[5].replaceFirst("^\\./", "/").replaceFirst(" -> .*$", "");
            entries.put(path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path, new Entry(f[0], f[1], path));
        }
        return entries;
    }

    static String field(Path deb, String name) throws Exception {
        return Packages.run(List.of("dpkg-deb", "-f", deb.toString(), name)).ok().out().strip();
    }

    static String control(Path deb, String file) throws Exception {
        return Packages.run(List.of("dpkg-deb", "--ctrl-tarfile", deb.toString())).exit() == 0
                ? Packages.run(List.of("sh", "-c", "dpkg-deb --ctrl-tarfile \"$0\" | tar -xOf - ./" + file, deb.toString())).ok().out() : "";
    }

    @BeforeAll
    static void tools() {
        Packages.assumeTool("dpkg-deb", "dpkg");
    }

    @Test
    void theConnectorPackageHoldsItsRuntimeServiceCommandAndSettings() throws Exception {
        Path deb = Packages.deb("connector");
        assertThat(field(deb, "Package")).isEqualTo("drawbridge-connector");
        assertThat(field(deb, "Version")).isEqualTo(Packages.VERSION.replace('-', '~') + "-1");
        assertThat(field(deb, "Depends")).as("no desktop libraries on a server").contains("libc6").doesNotContain("libx11", "libgtk", "libasound");
        Map<String, Entry> files = contents(deb);
        assertThat(files.get("/usr/bin/drawbridge-connector")).isEqualTo(new Entry("-rwxr-xr-x", "root/root", "/usr/bin/drawbridge-connector"));
        assertThat(files.get("/opt/drawbridge-connector/bin/drawbridge-connector").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files.get("/lib/systemd/system/drawbridge-connector.service").mode()).isEqualTo("-rw-r--r--");
        assertThat(files.get("/etc/drawbridge-connector/connector.yaml").mode()).as("the postinst narrows it").isEqualTo("-rw-r--r--");
        assertThat(files).containsKeys("/opt/drawbridge-connector/lib/runtime/release", "/opt/drawbridge-connector/lib/app/logback.xml",
                "/usr/share/doc/drawbridge-connector/install.md");
        assertThat(files.values()).allSatisfy(e -> assertThat(e.owner()).as(e.path()).isEqualTo("root/root"));
        assertThat(files.values()).as("nothing writable by group or others, nothing setuid")
                .allSatisfy(e -> assertThat(e.mode().startsWith("l") || e.mode().charAt(5) != 'w' && e.mode().charAt(8) != 'w' && e.mode().indexOf('s') < 0)
                        .as(e.path() + " " + e.mode()).isTrue());
        assertThat(control(deb, "conffiles").lines()).containsExactly("/etc/drawbridge-connector/connector.yaml");
        String postinst = control(deb, "postinst");
        assertThat(postinst).contains("useradd --prefix", "--system", "--shell /usr/sbin/nologin", "db_private_dir /var/lib/drawbridge-connector",
                "db_secret_config /etc/drawbridge-connector/connector.yaml").doesNotContain("#MAINTAINER_LIB#");
        assertThat(control(deb, "prerm")).contains("systemctl stop drawbridge-connector.service");
    }

    /**
     * Auto-update (docs/updates.md): the runtime has bin/java for the supervisor's child JVM, the settings turn it on, the
     * unit takes an update restart as no failure, and the build wrote this version's update bundle, which is valid.
     */
    @Test
    void theConnectorPackageUpdatesItselfAndTheBuildWritesItsUpdateBundle() throws Exception {
        Path deb = Packages.deb("connector");
        Map<String, Entry> files = contents(deb);
        assertThat(files.get("/opt/drawbridge-connector/lib/runtime/bin/java")).as("the runtime's java launcher").isNotNull();
        assertThat(files.get("/opt/drawbridge-connector/lib/runtime/bin/java").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(file(deb, "etc/drawbridge-connector/connector.yaml").lines()).contains("auto-update: true");
        assertThat(file(deb, "lib/systemd/system/drawbridge-connector.service").lines())
                .contains("SuccessExitStatus=143 75", "RestartForceExitStatus=75", "ReadWritePaths=/var/lib/drawbridge-connector",
                        "ProtectSystem=strict", "NoNewPrivileges=yes");

        Path bundle = Packages.INSTALLER.resolve("connector/target/drawbridge-connector-update-" + Packages.VERSION + ".zip");
        UpdateBundle.Descriptor d = UpdateBundle.inspect(bundle);
        assertThat(d.version()).isEqualTo(Packages.VERSION);
        assertThat(d.mainClass()).isEqualTo("dev.drawbridge.connector.cli.ConnectorCli");
        assertThat(d.javaFeature()).isEqualTo(Runtime.version().feature());
        assertThat(d.jars().getFirst()).isEqualTo("connector-" + Packages.VERSION + ".jar");
        List<String> packaged = files.keySet().stream().filter(f -> f.startsWith("/opt/drawbridge-connector/lib/app/") && f.endsWith(".jar"))
                .map(f -> f.substring(f.lastIndexOf('/') + 1)).toList();
        assertThat(d.jars()).as("the same jars as the package").containsExactlyInAnyOrderElementsOf(packaged);
    }

    /** A file of a package's data, as text. */
    static String file(Path deb, String path) throws Exception {
        return Packages.run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xOf - ./" + path, deb.toString())).ok().out();
    }

    @Test
    void theServerPackageHoldsItsRuntimeServiceCommandAndSettings() throws Exception {
        Path deb = Packages.deb("server");
        assertThat(field(deb, "Package")).isEqualTo("drawbridge-server");
        assertThat(field(deb, "Depends")).doesNotContain("libx11", "libgtk");
        Map<String, Entry> files = contents(deb);
        assertThat(files.get("/usr/bin/drawbridge-server").mode()).isEqualTo("-rwxr-xr-x");
        assertThat(files).containsKeys("/lib/systemd/system/drawbridge-server.service", "/etc/drawbridge/server.yaml",
                "/opt/drawbridge-server/lib/runtime/release", "/usr/share/doc/drawbridge-server/install.md");
        assertThat(control(deb, "conffiles").lines()).containsExactly("/etc/drawbridge/server.yaml");
        assertThat(control(deb, "postrm")).as("a purge never deletes the server's data").doesNotContain("rm -rf \"$DPKG_ROOT/var/lib/drawbridge\"");
    }

    @Test
    void theConsolePackageHasADesktopEntryAndGtk() throws Exception {
        Path deb = Packages.deb("console");
        assertThat(field(deb, "Depends")).contains("libgtk-3-0", "libgl1");
        Map<String, Entry> files = contents(deb);
        assertThat(files).containsKeys("/usr/share/applications/drawbridge-console.desktop", "/opt/drawbridge-console/lib/drawbridge-console.png",
                "/opt/drawbridge-console/bin/drawbridge-console", "/usr/bin/drawbridge-console");
        assertThat(files.get("/usr/bin/drawbridge-console").mode()).startsWith("l");
        Path appImage = Packages.INSTALLER.resolve("console/target/drawbridge-console-" + Packages.VERSION + "-linux-x64.tar.gz");
        assertThat(Packages.run(List.of("tar", "-tzf", appImage.toString())).ok().out().lines())
                .contains("drawbridge-console/bin/drawbridge-console", "drawbridge-console/lib/runtime/release");
    }

    @Test
    void installingIntoAScratchRootRunsTheMaintainerScriptsAgainstItOnly() throws Exception {
        assumeTrue(Packages.ROOT, "dpkg --root runs the maintainer scripts' chown and useradd for real: the tests run as root on CI");
        Path root = scratchRoot();
        dpkg(root, "-i", Packages.deb("connector").toString(), Packages.deb("server").toString());

        Map<String, String[]> users = passwd(root);
        assertThat(users).containsKeys("drawbridge-connector", "drawbridge");
        assertThat(users.get("drawbridge-connector")[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(Integer.parseInt(users.get("drawbridge")[2])).as("a system user").isLessThan(1000);
        assertPrivate(root.resolve("var/lib/drawbridge-connector"), users.get("drawbridge-connector")[2]);
        assertPrivate(root.resolve("var/lib/drawbridge"), users.get("drawbridge")[2]);
        PosixFileAttributes cfg = Files.readAttributes(root.resolve("etc/drawbridge/server.yaml"), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(PosixFilePermissions.toString(cfg.permissions())).isEqualTo("rw-r-----");
        assertThat(Files.getAttribute(root.resolve("etc/drawbridge/server.yaml"), "unix:gid"))
                .isEqualTo(Integer.parseInt(users.get("drawbridge")[3]));
        Path wants = root.resolve("etc/systemd/system/multi-user.target.wants");
        assertThat(Files.readSymbolicLink(wants.resolve("drawbridge-connector.service")))
                .isEqualTo(Path.of("/lib/systemd/system/drawbridge-connector.service"));
        assertThat(wants.resolve("drawbridge-server.service")).as("the admin enables the server once configured").doesNotExist();

        Files.writeString(root.resolve("var/lib/drawbridge/db.mv.db"), "data");
        dpkg(root, "--purge", "drawbridge-connector", "drawbridge-server");
        assertThat(root.resolve("var/lib/drawbridge-connector")).doesNotExist();
        assertThat(wants.resolve("drawbridge-connector.service")).doesNotExist();
        assertThat(root.resolve("var/lib/drawbridge/db.mv.db")).as("a purge keeps the server's data").exists();
        assertThat(root.resolve("opt/drawbridge-server")).doesNotExist();
        assertThat(root.resolve("etc/drawbridge/server.yaml")).doesNotExist();
    }

    @Test
    void theUnitsVerifyAndExposeLittle() throws Exception {
        Packages.assumeTool("systemd-analyze", "systemd");
        Path root = Files.createDirectories(scratch.resolve("units"));
        for (String program : List.of("connector", "server")) {
            Packages.run(List.of("dpkg-deb", "-x", Packages.deb(program).toString(), root.toString())).ok();
        }
        // The targets and services the units name, as on the machine they install to.
        Path system = root.resolve("lib/systemd/system");
        try (var units = Files.list(Path.of("/lib/systemd/system"))) {
            for (Path u : units.filter(u -> u.toString().endsWith(".target")).toList()) {
                Files.copy(u, system.resolve(u.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(system.resolve("postgresql.service"), "[Service]\nExecStart=/bin/true\n");
        for (String unit : List.of("drawbridge-connector.service", "drawbridge-server.service")) {
            Packages.Result verify = Packages.run(List.of("systemd-analyze", "verify", "--root=" + root, "/lib/systemd/system/" + unit));
            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(verify.err() + verify.out()).as("no warning about " + unit).isBlank();
            Packages.Result security = Packages.run(List.of("systemd-analyze", "security", "--offline=yes", "--root=" + root, unit));
            String level = security.out().lines().filter(l -> l.contains("Overall exposure level")).findFirst().orElseThrow();
            double exposure = Double.parseDouble(level.replaceAll(".*: ([0-9.]+) .*", "$1"));
            assertThat(exposure).as(unit + ": " + level).isLessThanOrEqualTo(2.0);
        }
    }

    private static void assertPrivate(Path dir, String uid) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString()).isEqualTo("rwx------");
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(Integer.parseInt(uid));
    }

    private static Map<String, String[]> passwd(Path root) throws Exception {
        Map<String, String[]> users = new HashMap<>();
        for (String line : Files.readAllLines(root.resolve("etc/passwd"))) {
            String[] f = line.split(":", -1);
            users.put(f[0], f);
        }
        return users;
    }

    /** An empty system for dpkg: its database, and the account files useradd edits (root's entries only). */
    private static Path scratchRoot() throws Exception {
        Path root = Files.createDirectories(scratch.resolve("root"));
        Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        Files.writeString(admin.resolve("status"), "");
        Files.writeString(admin.resolve("available"), "");
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        Files.writeString(etc.resolve("shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(etc.resolve("gshadow"), "root:*::\n");
        Files.setPosixFilePermissions(etc.resolve("shadow"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(etc.resolve("gshadow"), PosixFilePermissions.fromString("rw-r-----"));
        return root;
    }

    private static void dpkg(Path root, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends",
                "--log=/dev/null", "--no-triggers"));
        cmd.addAll(List.of(args));
        Packages.Result r = Packages.run(cmd);
        assertThat(r.exit()).as("%s: %s%s", cmd, r.out(), r.err()).isZero();
    }
}
