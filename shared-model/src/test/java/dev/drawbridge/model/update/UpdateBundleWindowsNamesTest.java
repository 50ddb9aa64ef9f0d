package dev.drawbridge.model.update;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bundle is unpacked on Windows (NTFS, case-insensitive; DOS device names) as well as on Linux, so {@link UpdateBundle}
 * checks names as Windows sees them too (found by a security review: it checked them as Linux does). Two names that differ only in case ({@code lib/A.jar},
 * {@code lib/a.jar}) are "no duplicates" to the check and the same file to NTFS: the second silently overwrites the
 * first, and the class path lists one file twice. Names such as {@code lib/CON.jar}, {@code lib/nul.jar} or
 * {@code lib/COM1.jar} are device names on Windows before 11. Each of these must be refused by inspect (the server's
 * upload check) and by extract (the connector's).
 */
class UpdateBundleWindowsNamesTest {
    @TempDir
    Path dir;

    private Path bundle(String... jars) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(b)) {
            zip.putNextEntry(new ZipEntry(UpdateBundle.DESCRIPTOR));
            zip.write(("product=" + UpdateBundle.PRODUCT + "\nversion=1.0.0\nmain-class=a.B\njava=25\n").getBytes(StandardCharsets.ISO_8859_1));
            zip.closeEntry();
            for (String j : jars) {
                zip.putNextEntry(new ZipEntry(j));
                zip.write(("jar " + j).getBytes(StandardCharsets.ISO_8859_1));
                zip.closeEntry();
            }
        }
        Path p = Files.createTempFile(dir, "bundle", ".zip");
        Files.write(p, b.toByteArray());
        return p;
    }

    @Test
    void namesThatAreOneFileOrADeviceOnWindowsAreRefused() throws Exception {
        List<String[]> cases = List.of(
                new String[]{"lib/A.jar", "lib/a.jar"},
                new String[]{"lib/Connector.jar", "lib/CONNECTOR.JAR"},
                new String[]{"lib/CON.jar"},
                new String[]{"lib/nul.jar"},
                new String[]{"lib/COM1.jar"},
                new String[]{"lib/aux.jar"},
                new String[]{"lib/LPT1.jar"},
                new String[]{"lib/PRN.jar"},
                new String[]{"lib/Nul.jar"},
                new String[]{"lib/com9.jar"},
                new String[]{"lib/lpt0.jar"},
                new String[]{"lib/con.tar.jar"},
                new String[]{"lib/a.jar", "lib/b.jar", "lib/A.JAR"});
        List<String> accepted = new ArrayList<>();
        for (String[] jars : cases) {
            Path b = bundle(jars);
            boolean inspected;
            try {
                UpdateBundle.inspect(b);
                inspected = true;
            } catch (UpdateBundle.InvalidBundleException e) {
                inspected = false;
            }
            boolean extracted;
            try {
                UpdateBundle.extract(b, Files.createTempDirectory(dir, "x").resolve("v"));
                extracted = true;
            } catch (UpdateBundle.InvalidBundleException e) {
                extracted = false;
            }
            if (inspected || extracted) {
                accepted.add(String.join(" + ", jars) + (inspected ? " (inspect)" : "") + (extracted ? " (extract)" : ""));
            }
        }
        assertThat(accepted).as("bundles whose names collide or are devices on Windows").isEmpty();
    }

    @Test
    void namesThatOnlyStartLikeADeviceAreAccepted() throws Exception {
        String[] jars = {"lib/console.jar", "lib/nullaway-0.1.jar", "lib/com10.jar", "lib/auxiliary.jar", "lib/lpt.jar", "lib/prn-2.jar",
                "lib/a.jar", "lib/b.jar"};
        assertThat(UpdateBundle.inspect(bundle(jars)).jars()).hasSize(jars.length);
        assertThat(UpdateBundle.extract(bundle(jars), dir.resolve("ok")).jars()).hasSize(jars.length);
    }

    @Test
    void onlyQualifiedClassNamesAreValidMainClasses() {
        assertThat(UpdateBundle.validMainClass("dev.drawbridge.connector.Main")).isTrue();
        for (String bad : new String[]{null, "", " ", "Main", "-javaagent:/tmp/a.jar", "--add-opens=x", "a.B run", "a.B\u0000", "a..B", ".a.B",
                "a.B.", "a/B", "1a.B"}) {
            assertThat(UpdateBundle.validMainClass(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
