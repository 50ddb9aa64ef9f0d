package dev.drawbridge.model.update;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bundle format: {@link UpdateBundle#write} makes what {@link UpdateBundle#inspect} and {@link UpdateBundle#extract}
 * accept (the same descriptor, the jars byte for byte); each class of invalid bundle is refused by both, with one
 * sentence, and extract writes nothing outside its directory.
 */
class UpdateBundleTest {
    static final String MAIN = "dev.drawbridge.connector.cli.ConnectorCli";
    static final byte[] JAR = "not really a jar".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    static Map.Entry<String, byte[]> e(String name, byte[] data) {
        return new SimpleEntry<>(name, data);
    }

    static Map.Entry<String, byte[]> descriptor(String text) {
        return e(UpdateBundle.DESCRIPTOR, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String text(String product, String version, String main, String java) {
        return "product=" + product + "\nversion=" + version + "\nmain-class=" + main + "\njava=" + java + "\n";
    }

    static final Map.Entry<String, byte[]> GOOD = descriptor(text(UpdateBundle.PRODUCT, "1.0.0", MAIN, "25"));

    Path zip(List<Map.Entry<String, byte[]>> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> en : entries) {
                zip.putNextEntry(new ZipEntry(en.getKey()));
                zip.write(en.getValue());
                zip.closeEntry();
            }
        }
        return bytes(b.toByteArray());
    }

    Path bytes(byte[] content) throws IOException {
        Path p = Files.createTempFile(dir, "bundle", ".zip");
        Files.write(p, content);
        return p;
    }

    /** Both inspect and extract refuse {@code bundle} with a sentence containing {@code sentence}; extract wrote only inside. */
    void refused(Path bundle, String sentence) throws IOException {
        assertThatThrownBy(() -> UpdateBundle.inspect(bundle)).as(sentence).isInstanceOf(UpdateBundle.InvalidBundleException.class)
                .hasMessageContaining(sentence);
        Path out = Files.createTempDirectory(dir, "x").resolve("v");
        assertThatThrownBy(() -> UpdateBundle.extract(bundle, out)).as(sentence).isInstanceOf(UpdateBundle.InvalidBundleException.class)
                .hasMessageContaining(sentence);
        try (Stream<Path> all = Files.walk(out.getParent())) {
            assertThat(all.filter(p -> !p.startsWith(out) && !p.equals(out.getParent()))).as("written outside").isEmpty();
        }
    }

    @Test
    void whatWriteMakesInspectAndExtractAccept() throws Exception {
        Path a = dir.resolve("a-1.jar");
        Path b = dir.resolve("b_2+x.jar");
        Files.write(a, JAR);
        Files.write(b, new byte[]{1, 2, 3});
        Path bundle = dir.resolve("bundle.zip");
        UpdateBundle.write(bundle, "1.4.0-rc.1", MAIN, 25, List.of(a, b));
        UpdateBundle.Descriptor d = UpdateBundle.inspect(bundle);
        assertThat(d).isEqualTo(new UpdateBundle.Descriptor("1.4.0-rc.1", MAIN, 25, List.of("a-1.jar", "b_2+x.jar")));
        Path out = dir.resolve("out");
        assertThat(UpdateBundle.extract(bundle, out)).isEqualTo(d);
        assertThat(Files.readAllBytes(out.resolve("lib/a-1.jar"))).isEqualTo(JAR);
        assertThat(Files.readAllBytes(out.resolve("lib/b_2+x.jar"))).isEqualTo(new byte[]{1, 2, 3});
        assertThat(Files.readString(out.resolve(UpdateBundle.DESCRIPTOR))).contains("version=1.4.0-rc.1");
        assertThatThrownBy(() -> UpdateBundle.extract(bundle, out)).as("the directory must not exist").isInstanceOf(IOException.class);
        // A lib/ directory entry is allowed.
        assertThat(UpdateBundle.inspect(zip(List.of(e("lib/", new byte[0]), GOOD, e("lib/a.jar", JAR)))).jars()).containsExactly("a.jar");
    }

    @Test
    void writeRefusesWhatItCouldNotReadBack() {
        Path jar = dir.resolve("a.jar");
        assertThatThrownBy(() -> UpdateBundle.write(dir.resolve("x.zip"), "1.0", MAIN, 25, List.of(jar))).hasMessageStartingWith("version:");
        assertThatThrownBy(() -> UpdateBundle.write(dir.resolve("x.zip"), "1.0.0", "Main", 25, List.of(jar))).hasMessageStartingWith("main-class:");
        assertThatThrownBy(() -> UpdateBundle.write(dir.resolve("x.zip"), "1.0.0", MAIN, 8, List.of(jar))).hasMessageStartingWith("java:");
        assertThat(dir.resolve("x.zip")).doesNotExist();
    }

    @Test
    void notAZipOrACutOne() throws Exception {
        refused(bytes("plain text".getBytes(StandardCharsets.UTF_8)), "has no " + UpdateBundle.DESCRIPTOR);
        refused(bytes(new byte[0]), "has no " + UpdateBundle.DESCRIPTOR);
        // Cut inside a jar's (incompressible) data; a cut at an entry's end would read as a smaller zip, which the rest refuses.
        byte[] noise = new byte[100_000];
        new Random(1).nextBytes(noise);
        byte[] all = Files.readAllBytes(zip(List.of(GOOD, e("lib/a.jar", noise))));
        refused(bytes(Arrays.copyOf(all, all.length / 2)), "is not a valid zip file");
    }

    @Test
    void namesOtherThanTheDescriptorAndLibJars() throws Exception {
        for (String name : List.of("../evil.jar", "lib/../../evil.jar", "/abs.jar", "lib/sub/a.jar", "lib/a.class", "bin/java", "lib/a.jar/",
                "lib\\a.jar", "LIB/a.jar", "lib/a b.jar", "lib/.jar", "other/", "README", "lib/a\u0000.jar", "lib/ä.jar",
                "drawbridge-update.properties/", "./drawbridge-update.properties")) {
            refused(zip(List.of(GOOD, e("lib/a.jar", JAR), e(name, JAR))), "a bundle holds only");
        }
    }

    @Test
    void duplicatesAndTooManyEntries() throws Exception {
        byte[] two = Files.readAllBytes(zip(List.of(GOOD, e("lib/a.jar", JAR), e("lib/b.jar", JAR))));
        // The same name twice: b renamed to a in both the local header and the central directory.
        byte[] dup = new String(two, StandardCharsets.ISO_8859_1).replace("lib/b.jar", "lib/a.jar").getBytes(StandardCharsets.ISO_8859_1);
        refused(bytes(dup), "holds 'lib/a.jar' twice");
        List<Map.Entry<String, byte[]>> many = new ArrayList<>(List.of(GOOD));
        for (int i = 0; i < UpdateBundle.MAX_ENTRIES; i++) {
            many.add(e("lib/j" + i + ".jar", JAR));
        }
        refused(zip(many), "more than " + UpdateBundle.MAX_ENTRIES + " entries");
        assertThat(UpdateBundle.inspect(zip(many.subList(0, UpdateBundle.MAX_ENTRIES))).jars()).hasSize(UpdateBundle.MAX_ENTRIES - 1);
    }

    @Test
    void aZipBombAndAnOversizedDescriptor() throws Exception {
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry(UpdateBundle.DESCRIPTOR));
            zip.write(GOOD.getValue());
            zip.closeEntry();
            byte[] zeros = new byte[1 << 20];
            for (int j = 0; j < 2; j++) {
                zip.putNextEntry(new ZipEntry("lib/zeros" + j + ".jar"));
                for (int i = 0; i < 300; i++) {
                    zip.write(zeros);
                }
                zip.closeEntry();
            }
        }
        assertThat(Files.size(bomb)).isLessThan(4 << 20);
        refused(bomb, "unpacks beyond the bundle's limit of 512 MiB");
        refused(zip(List.of(descriptor(text(UpdateBundle.PRODUCT, "1.0.0", MAIN, "25") + "#" + "x".repeat(20_000)), e("lib/a.jar", JAR))),
                "unpacks beyond");
        Path big = dir.resolve("big.zip");
        try (var ch = Files.newByteChannel(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ch.position(UpdateBundle.MAX_BUNDLE_SIZE);
            ch.write(ByteBuffer.wrap(new byte[1]));
        }
        refused(big, "larger than 256 MiB");
    }

    @Test
    void theDescriptorMustBeThereAndRight() throws Exception {
        refused(zip(List.of(e("lib/a.jar", JAR))), "has no " + UpdateBundle.DESCRIPTOR);
        refused(zip(List.of(GOOD)), "has no jars under lib/");
        refused(zip(List.of(descriptor(text("drawbridge-server", "1.0.0", MAIN, "25")), e("lib/a.jar", JAR))),
                "product is 'drawbridge-server', not drawbridge-connector");
        refused(zip(List.of(descriptor("version=1.0.0\nmain-class=" + MAIN + "\njava=25\n"), e("lib/a.jar", JAR))), "product is ''");
        refused(zip(List.of(descriptor(text(UpdateBundle.PRODUCT, "1.0", MAIN, "25")), e("lib/a.jar", JAR))), "version: '1.0'");
        refused(zip(List.of(descriptor(text(UpdateBundle.PRODUCT, "1.0.0", "Main", "25")), e("lib/a.jar", JAR))), "main-class: 'Main'");
        refused(zip(List.of(descriptor(text(UpdateBundle.PRODUCT, "1.0.0", MAIN, "twenty-five")), e("lib/a.jar", JAR))),
                "java: 'twenty-five' is not a Java feature version");
        refused(zip(List.of(descriptor(text(UpdateBundle.PRODUCT, "1.0.0", MAIN, "11")), e("lib/a.jar", JAR))), "java: 11");
        refused(zip(List.of(descriptor("product=" + UpdateBundle.PRODUCT + "\nversion=1.0.0\nmain-class=" + MAIN + "\n"), e("lib/a.jar", JAR))),
                "java: ''");
    }
}
