package dev.drawbridge.installer;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packages' postinst, assembled from the source tree as build/package.sh assembles it (maintainer-lib.sh pasted in),
 * run with {@code DPKG_ROOT} against a scratch root that already has an account of the service's name which is not a
 * system one: a person's login (uid 1000, a shell, a home), or root's uid. The postinst refuses to adopt it, as Debian's
 * {@code adduser --system} does, instead of handing it the service's private folder and the settings file's group (the
 * database password, the CA and keys) and running the service as it. No package build needed; root needed (chown).
 */
class MaintainerScriptsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"server,drawbridge,1000,etc/drawbridge/server.yaml", "connector,drawbridge-connector,1001,etc/drawbridge-connector/connector.yaml",
            "server,drawbridge,0,etc/drawbridge/server.yaml"})
    void anAccountOfTheServicesNameThatIsNotASystemOneIsRefused(String program, String user, int uid, String settings) throws Exception {
        assumeTrue(Packages.ROOT, "the postinst chowns for real: the tests run as root on CI");
        Path root = scratchRoot(user, uid);
        Path file = root.resolve(settings);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "database-url: jdbc:postgresql://db/drawbridge?password=secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        Packages.Result r = postinst(program, root);

        assertThat(r.exit()).as("postinst configure: %s%s", r.out(), r.err()).isNotZero();
        assertThat(r.err()).contains("a user named '" + user + "' exists already and is not a system user (uid " + uid + ")",
                "dpkg --configure -a");
        assertThat(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as("the settings' group").isEqualTo(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(root.resolve("var/lib/" + user)).as("no private folder handed to that account").doesNotExist();
        assertThat(Files.readString(root.resolve("etc/passwd"))).contains(user + ":x:" + uid + ":");
    }

    @ParameterizedTest
    @CsvSource({"server,drawbridge,etc/drawbridge/server.yaml", "connector,drawbridge-connector,etc/drawbridge-connector/connector.yaml"})
    void aSystemAccountMadeBeforeIsKept(String program, String user, String settings) throws Exception {
        assumeTrue(Packages.ROOT, "the postinst chowns for real: the tests run as root on CI");
        Path root = scratchRoot(user, 990);
        Path file = root.resolve(settings);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# settings\n");

        Packages.Result r = postinst(program, root).ok();

        assertThat(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as(r.out()).isEqualTo(990);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        Path state = root.resolve("var/lib/" + user);
        assertThat(Files.getAttribute(state, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(990);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    /** The postinst of {@code program} as package.sh assembles it, run as 'configure' (first install) against {@code root}. */
    private Packages.Result postinst(String program, Path root) throws Exception {
        String lib = Files.readString(Packages.INSTALLER.resolve("build/maintainer-lib.sh"));
        String script = Files.readString(Packages.INSTALLER.resolve(program + "/src/deb/resources/postinst")).replace("#MAINTAINER_LIB#\n", lib);
        Path postinst = Files.writeString(dir.resolve(program + "-postinst"), script);
        return Packages.run(List.of("sh", postinst.toString(), "configure", ""), Map.of("DPKG_ROOT", root.toString()), Duration.ofMinutes(1));
    }

    /** A root whose account files have root and {@code user} (uid and gid {@code uid}; a login shell and home unless a system uid). */
    private Path scratchRoot(String user, int uid) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path etc = Files.createDirectories(root.resolve("etc"));
        String login = uid >= 1000 ? "/home/" + user + ":/bin/bash" : "/var/lib/" + user + ":/usr/sbin/nologin";
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n" + user + ":x:" + uid + ":" + uid + "::" + login + "\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n" + (uid == 0 ? "" : user + ":x:" + uid + ":\n"));
        Files.writeString(etc.resolve("shadow"), "root:*:19000:0:99999:7:::\n" + user + ":*:19000:0:99999:7:::\n");
        Files.writeString(etc.resolve("gshadow"), "root:*::\n");
        return root;
    }
}
