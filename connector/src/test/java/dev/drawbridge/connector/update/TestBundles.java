package dev.drawbridge.connector.update;

import dev.drawbridge.connector.update.fixture.ExitsOne;
import dev.drawbridge.model.update.UpdateBundle;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test bundles made of the connector's own test class path (its runtime jars; class directories jarred), as
 * docs/updates.md describes: a version {@code V} gets a small jar FIRST on its class path holding
 * {@code dev/drawbridge/model/version.properties} with {@code version=V}, so the connector it runs reports V.
 */
final class TestBundles {
    static final String MAIN = "dev.drawbridge.connector.cli.ConnectorCli";
    private static final List<String> TEST_ONLY = List.of("junit", "assertj", "archunit", "surefire", "opentest4j", "apiguardian",
            "byte-buddy", "mockito", "websocket-jetty-server", "websocket-core-server", "jetty-ee");
    private final Path work;
    private final List<Path> runtime;

    TestBundles(Path work) throws IOException {
        this.work = work;
        Files.createDirectories(work);
        this.runtime = runtimeJars();
    }

    /** The class path of this test JVM (surefire's, not its booter jar's). */
    static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** The connector's runtime jars. */
    List<Path> runtime() {
        return runtime;
    }

    /** A bundle of version {@code v}: its version jar, then the connector's runtime jars but those {@code without} names. */
    Path bundle(String v, String without) throws IOException {
        List<Path> jars = new ArrayList<>(List.of(versionJar(v)));
        runtime.stream().filter(j -> without == null || !j.getFileName().toString().contains(without)).forEach(jars::add);
        Path out = work.resolve("bundle-" + v + (without == null ? "" : "-without-" + without) + ".zip");
        UpdateBundle.write(out, v, MAIN, Runtime.version().feature(), jars);
        return out;
    }

    /** A bundle of {@code v} whose main class is {@code main} (a fixture of this package), with a Java feature version. */
    Path bundle(String v, String main, int java) throws IOException {
        List<Path> jars = new ArrayList<>(List.of(versionJar(v), fixtureJar()));
        jars.addAll(runtime);
        Path out = work.resolve("bundle-" + v + "-" + main.substring(main.lastIndexOf('.') + 1) + "-java" + java + ".zip");
        UpdateBundle.write(out, v, main, java, jars);
        return out;
    }

    /** A zip with a valid descriptor and {@code entry} besides it (e.g. a path that climbs out). */
    Path bundleWithEntry(String v, String entry) throws IOException {
        Path out = work.resolve("bundle-" + v + "-odd.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            zip.putNextEntry(new ZipEntry(UpdateBundle.DESCRIPTOR));
            zip.write(("product=drawbridge-connector\nversion=" + v + "\nmain-class=" + MAIN + "\njava=25\n").getBytes(StandardCharsets.ISO_8859_1));
            zip.putNextEntry(new ZipEntry("lib/a.jar"));
            zip.write(new byte[]{1, 2, 3});
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(new byte[]{4, 5, 6});
        }
        return out;
    }

    Path versionJar(String v) throws IOException {
        Path jar = work.resolve("0-version-" + v + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("dev/drawbridge/model/version.properties"));
            out.write(("version=" + v + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        return jar;
    }

    private Path fixtureJar() throws IOException {
        Path jar = work.resolve("fixtures.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Path classes = Path.of(ExitsOne.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path dir = classes.resolve("dev/drawbridge/connector/update/fixture");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                out.putNextEntry(new JarEntry("dev/drawbridge/connector/update/fixture/" + f.getFileName()));
                Files.copy(f, out);
            }
        }
        return jar;
    }

    private List<Path> runtimeJars() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String entry : testClassPath().split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (TEST_ONLY.stream().anyMatch(name::contains) || name.equals("test-classes")) {
                continue;
            }
            if (Files.isDirectory(p)) {
                // target/classes of a module of this build: jarred as <module>-classes.jar
                String module = p.getParent().getParent().getFileName().toString();
                Path jar = work.resolve(module + "-classes.jar");
                jarDirectory(p, jar);
                out.add(jar);
            } else if (name.endsWith(".jar")) {
                out.add(p);
            }
        }
        return out;
    }

    private static void jarDirectory(Path dir, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os); Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
            }
        }
    }
}
