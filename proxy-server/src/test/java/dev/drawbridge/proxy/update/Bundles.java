package dev.drawbridge.proxy.update;

import dev.drawbridge.model.update.UpdateBundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test bundles: valid ones written by {@link UpdateBundle#write} from a small jar, and zips of any entries. */
final class Bundles {
    static final String MAIN = "dev.drawbridge.connector.cli.ConnectorCli";

    private Bundles() {
    }

    /** A valid bundle of {@code version} holding one small jar. */
    static byte[] valid(Path dir, String version) throws IOException {
        return valid(dir, version, new byte[0]);
    }

    /** A valid bundle of {@code version} holding one jar that carries {@code payload} as a resource. */
    static byte[] valid(Path dir, String version, byte[] payload) throws IOException {
        Path jar = dir.resolve("app-" + version + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("dev/drawbridge/model/version.properties"));
            out.write(("version=" + version + "\n").getBytes(StandardCharsets.ISO_8859_1));
            out.closeEntry();
            if (payload.length > 0) {
                out.putNextEntry(new ZipEntry("payload.bin"));
                out.write(payload);
                out.closeEntry();
            }
        }
        Path bundle = dir.resolve("bundle-" + version + ".zip");
        UpdateBundle.write(bundle, version, MAIN, 25, List.of(jar));
        return Files.readAllBytes(bundle);
    }

    /** A descriptor's text. */
    static String descriptor(String product, String version) {
        return "product=" + product + "\nversion=" + version + "\nmain-class=" + MAIN + "\njava=25\n";
    }

    /** A zip of these entries, in order (a name may repeat). */
    static byte[] zip(List<Map.Entry<String, byte[]>> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> e : entries) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return b.toByteArray();
    }
}
