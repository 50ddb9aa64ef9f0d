package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.proxy.store.ConflictException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an upload refuses, each class with its status and one readable sentence, storing nothing and leaving no
 * temporary file: a wrong content type (415), a body over the limit, declared or streamed (413), an empty body, a file
 * that is not a zip, names outside {@code lib/*.jar} (traversal, absolute, other files), duplicate entries, a zip bomb,
 * no descriptor, another product, an invalid descriptor (400), a version uploaded already (409).
 */
class BundleUploadsTest {
    @TempDir
    Path dir;
    RolloutFixture f;
    byte[] jar;

    @BeforeEach
    void open() throws Exception {
        f = new RolloutFixture(dir, "h2");
        jar = "PK\u0005\u0006".getBytes(StandardCharsets.ISO_8859_1);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private ConnectorUpdateView upload(String contentType, byte[] body) throws Exception {
        return f.uploads.upload(contentType, Optional.of((long) body.length), new ByteArrayInputStream(body), "admin");
    }

    private static Map.Entry<String, byte[]> e(String name, byte[] data) {
        return new SimpleEntry<>(name, data);
    }

    private Map.Entry<String, byte[]> descriptor(String product, String version) {
        return e(UpdateBundle.DESCRIPTOR, Bundles.descriptor(product, version).getBytes(StandardCharsets.ISO_8859_1));
    }

    private void refused(byte[] body, int status, String sentence) throws Exception {
        refused("application/zip", body, status, sentence);
    }

    private void refused(String contentType, byte[] body, int status, String sentence) throws Exception {
        long tempsBefore = temps();
        assertThatThrownBy(() -> upload(contentType, body)).as(sentence).isInstanceOfSatisfying(BundleUploads.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.getMessage()).contains(sentence);
        });
        assertThat(f.store.list()).isEmpty();
        assertThat(temps()).as("temporary files left").isEqualTo(tempsBefore);
    }

    private long temps() throws IOException {
        try (Stream<Path> s = Files.list(f.uploadsDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith("drawbridge-update-")).count();
        }
    }

    @Test
    void aValidBundleIsStoredWithItsHashAndSize() throws Exception {
        byte[] bundle = Bundles.valid(dir, "1.2.3-rc.1");
        ConnectorUpdateView v = upload("Application/Zip; charset=binary", bundle);
        assertThat(v.version()).isEqualTo("1.2.3-rc.1");
        assertThat(v.size()).isEqualTo(bundle.length);
        assertThat(v.uploadedBy()).isEqualTo("admin");
        assertThat(f.store.list()).extracting(UpdateStore.Bundle::view).containsExactly(v);
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        byte[] bundle = Bundles.valid(dir, "1.0.0");
        for (String ct : new String[]{null, "", "application/json", "application/octet-stream", "application/zipx", "multipart/form-data"}) {
            refused(ct, bundle, 415, "Content-Type: application/zip");
        }
    }

    @Test
    void aBodyOverTheLimitIs413DeclaredOrStreamed() throws Exception {
        assertThatThrownBy(() -> f.uploads.upload("application/zip", Optional.of(UpdateBundle.MAX_BUNDLE_SIZE + 1),
                InputStream.nullInputStream(), "admin")).isInstanceOfSatisfying(BundleUploads.Refused.class,
                r -> assertThat(r.status()).isEqualTo(413));
        // No length declared (or a wrong one): counted while streaming.
        BundleUploads small = new BundleUploads(f.store, f.key, f.clock, 1 << 20, Optional.of(f.uploadsDir()));
        byte[] big = new byte[(1 << 20) + 1];
        long before = temps();
        for (Optional<Long> declared : List.of(Optional.<Long>empty(), Optional.of(10L))) {
            assertThatThrownBy(() -> small.upload("application/zip", declared, new ByteArrayInputStream(big), "admin"))
                    .isInstanceOfSatisfying(BundleUploads.Refused.class, r -> {
                        assertThat(r.status()).isEqualTo(413);
                        assertThat(r.getMessage()).isEqualTo("an update bundle is at most 1 MiB");
                    });
        }
        assertThat(temps()).isEqualTo(before);
    }

    @Test
    void anEmptyBodyOrAFileThatIsNoZipIs400() throws Exception {
        refused(new byte[0], 400, "the body is empty");
        refused("not a zip at all".getBytes(StandardCharsets.UTF_8), 400, "the bundle has no " + UpdateBundle.DESCRIPTOR);
        byte[] valid = Bundles.valid(dir, "1.0.0");
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
        refused(truncated, 400, "the bundle");
    }

    @Test
    void namesOutsideLibJarsAreRefused() throws Exception {
        for (String name : List.of("../evil.jar", "lib/../../evil.jar", "/etc/cron.d/x", "lib/sub/a.jar", "lib/a.class", "bin/java",
                "lib/a.jar/", "lib\\a.jar", "LIB/a.jar", "lib/a b.jar", "lib/.jar", "README")) {
            refused(Bundles.zip(List.of(descriptor("drawbridge-connector", "1.0.0"), e(name, jar))), 400,
                    "a bundle holds only " + UpdateBundle.DESCRIPTOR + " and lib/<name>.jar");
        }
    }

    @Test
    void duplicateEntriesAreRefused() throws Exception {
        byte[] zip = Bundles.zip(List.of(descriptor("drawbridge-connector", "1.0.0"), e("lib/a.jar", jar), e("lib/b.jar", jar)));
        // The same name twice: rename b to a in the local header and the central directory.
        String text = new String(zip, StandardCharsets.ISO_8859_1).replace("lib/b.jar", "lib/a.jar");
        refused(text.getBytes(StandardCharsets.ISO_8859_1), 400, "holds 'lib/a.jar' twice");
        byte[] twoDescriptors = new String(Bundles.zip(List.of(descriptor("drawbridge-connector", "1.0.0"), e("lib/a.jar", jar),
                e("drawbridge-update.propertiez", "product=x".getBytes(StandardCharsets.ISO_8859_1)))), StandardCharsets.ISO_8859_1)
                .replace("drawbridge-update.propertiez", UpdateBundle.DESCRIPTOR).getBytes(StandardCharsets.ISO_8859_1);
        refused(twoDescriptors, 400, "twice");
    }

    @Test
    void aZipBombIsRefusedBeyondTheLimits() throws Exception {
        // 600 MiB of zeros compress to well under a megabyte: beyond the unpacked limit.
        Path bomb = dir.resolve("bomb.zip");
        try (var zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry(UpdateBundle.DESCRIPTOR));
            zip.write(Bundles.descriptor("drawbridge-connector", "1.0.0").getBytes(StandardCharsets.ISO_8859_1));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("lib/zeros.jar"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 600; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        byte[] body = Files.readAllBytes(bomb);
        assertThat(body.length).isLessThan(2 << 20);
        refused(body, 400, "unpacks beyond the bundle's limit of 512 MiB");
        // Too many entries.
        List<Map.Entry<String, byte[]>> many = new ArrayList<>();
        many.add(descriptor("drawbridge-connector", "1.0.0"));
        for (int i = 0; i <= UpdateBundle.MAX_ENTRIES; i++) {
            many.add(e("lib/j" + i + ".jar", jar));
        }
        refused(Bundles.zip(many), 400, "more than " + UpdateBundle.MAX_ENTRIES + " entries");
    }

    @Test
    void aMissingOrWrongDescriptorIsRefused() throws Exception {
        refused(Bundles.zip(List.of(e("lib/a.jar", jar))), 400, "the bundle has no " + UpdateBundle.DESCRIPTOR);
        refused(Bundles.zip(List.of(descriptor("drawbridge-connector", "1.0.0"))), 400, "the bundle has no jars under lib/");
        refused(Bundles.zip(List.of(descriptor("drawbridge-server", "1.0.0"), e("lib/a.jar", jar))), 400,
                "product is 'drawbridge-server', not drawbridge-connector");
        refused(Bundles.zip(List.of(descriptor("drawbridge-connector", "1.0"), e("lib/a.jar", jar))), 400,
                "version: '1.0' is not a version");
        refused(Bundles.zip(List.of(e(UpdateBundle.DESCRIPTOR, "product=drawbridge-connector\nversion=1.0.0\nmain-class=Main\njava=25\n"
                .getBytes(StandardCharsets.ISO_8859_1)), e("lib/a.jar", jar))), 400, "main-class: 'Main' is not a class name");
    }

    @Test
    void aVersionUploadedAlreadyIs409() throws Exception {
        upload("application/zip", Bundles.valid(dir, "1.0.0"));
        byte[] again = Bundles.valid(Files.createTempDirectory(dir, "again"), "1.0.0");
        assertThatThrownBy(() -> upload("application/zip", again)).isInstanceOfSatisfying(ConflictException.class, c -> {
            assertThat(c.field()).isEqualTo("version");
            assertThat(c.getMessage()).isEqualTo("version 1.0.0 is uploaded already; delete it first to replace it");
        });
        assertThat(f.store.list()).hasSize(1);
    }
}
