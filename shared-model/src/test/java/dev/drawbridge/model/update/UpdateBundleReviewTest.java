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
 * Review (security): a bundle is unpacked on Windows (NTFS, case-insensitive; DOS device names) as well as on Linux, but
 * {@link UpdateBundle} checks names as Linux sees them. Two names that differ only in case ({@code lib/A.jar},
 * {@code lib/a.jar}) are "no duplicates" to the check and the same file to NTFS: the second silently overwrites the
 * first, and the class path lists one file twice. Names such as {@code lib/CON.jar}, {@code lib/nul.jar} or
 * {@code lib/COM1.jar} are device names on Windows before 11. Each of these must be refused by inspect (the server's
 * upload check) and by extract (the connector's).
 */
class UpdateBundleReviewTest {
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
                new String[]{"lib/aux.jar"});
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
}
