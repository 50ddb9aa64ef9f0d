package dev.drawbridge.connector.update;

import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateVersions;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The version store, {@code <state-dir>/updates} (0700, files 0600, each written to a temporary file then renamed):
 * <ul>
 *   <li>{@code versions/<v>/}: an unpacked bundle ({@code lib/*.jar}, its descriptor, {@value #JARS}: the class path
 *       in the bundle's order), unpacked into {@code versions/<v>.partial} and renamed when complete; the supervisor
 *       keeps the current version and the previous one only;</li>
 *   <li>{@code current}: the version the supervisor runs and the installed (package) version when it was chosen;
 *       absent: the installed jars;</li>
 *   <li>{@code next}: written by a connector that verified and unpacked a version and drained (then it exits 75);</li>
 *   <li>{@code healthy}: written by a connector whose tunnels all connected (confirms a trial);</li>
 *   <li>{@code rolled-back}: written by the supervisor for the version it went back to (the version tried, why).</li>
 * </ul>
 */
public final class UpdateFiles {
    /** The class path of an unpacked version: one jar name (under {@code lib/}) per line, in the bundle's order. */
    public static final String JARS = "jars.list";
    private static final Pattern JAR = Pattern.compile("[A-Za-z0-9._+-]{1,120}\\.jar");

    /** The version the supervisor runs, chosen while the package installed {@code installed}. */
    public record Current(String version, String installed) {
    }

    /** The version a trial of failed, and why. */
    public record RolledBack(String attempted, String reason) {
    }

    private final Path root;

    public UpdateFiles(Path stateDir) {
        this.root = stateDir.resolve("updates");
    }

    public Path root() {
        return root;
    }

    public Path versions() {
        return root.resolve("versions");
    }

    /** The directory of an unpacked version (it may not exist). */
    public Path version(String v) {
        return versions().resolve(checked(v));
    }

    /** Where a version is unpacked before it is complete. */
    public Path partial(String v) {
        return versions().resolve(checked(v) + ".partial");
    }

    /** Where a bundle is downloaded to. */
    public Path download(String v) {
        return root.resolve("download-" + checked(v) + ".zip.partial");
    }

    /** Creates the store's directories (0700). */
    public void ensure() throws IOException {
        for (Path d : List.of(root, versions())) {
            Files.createDirectories(d);
            if (posix()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    public Optional<Current> current() {
        return read("current").flatMap(p -> {
            String v = p.getProperty("version", ""), installed = p.getProperty("installed", "");
            return UpdateVersions.valid(v) && !installed.isBlank() ? Optional.of(new Current(v, installed)) : Optional.empty();
        });
    }

    public void setCurrent(String v, String installed) throws IOException {
        write("current", Map.of("version", checked(v), "installed", installed));
    }

    public void clearCurrent() throws IOException {
        Files.deleteIfExists(root.resolve("current"));
    }

    public Optional<String> next() {
        return versionIn("next");
    }

    public void writeNext(String v) throws IOException {
        write("next", Map.of("version", checked(v)));
    }

    public void clearNext() throws IOException {
        Files.deleteIfExists(root.resolve("next"));
    }

    public Optional<String> healthy() {
        return versionIn("healthy");
    }

    public void writeHealthy(String v) throws IOException {
        write("healthy", Map.of("version", checked(v)));
    }

    public void clearHealthy() throws IOException {
        Files.deleteIfExists(root.resolve("healthy"));
    }

    public Optional<RolledBack> rolledBack() {
        return read("rolled-back").flatMap(p -> {
            String v = p.getProperty("attempted", "");
            return UpdateVersions.valid(v) ? Optional.of(new RolledBack(v, p.getProperty("reason", ""))) : Optional.empty();
        });
    }

    public void writeRolledBack(String attempted, String reason) throws IOException {
        write("rolled-back", Map.of("attempted", checked(attempted), "reason", reason));
    }

    public void clearRolledBack() throws IOException {
        Files.deleteIfExists(root.resolve("rolled-back"));
    }

    /**
     * The main class and class path of an unpacked version, checked: its descriptor names this version and a main class
     * that is a class name ({@link UpdateBundle#validMainClass}: never a JVM option), every jar of its list is a plain
     * name that exists under {@code lib/}.
     */
    public Launch launch(String v) throws UpdateException {
        Path dir = version(v);
        try {
            Properties d = new Properties();
            try (var in = Files.newBufferedReader(dir.resolve(UpdateBundle.DESCRIPTOR), StandardCharsets.ISO_8859_1)) {
                d.load(in);
            }
            if (!v.equals(d.getProperty("version", "").strip())) {
                throw new UpdateException("version " + v + " in " + dir + " is damaged (its descriptor names another version)");
            }
            List<Path> cp = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(JARS))) {
                String name = line.strip();
                if (name.isEmpty()) {
                    continue;
                }
                Path jar = dir.resolve("lib").resolve(name);
                if (!JAR.matcher(name).matches() || !Files.isRegularFile(jar)) {
                    throw new UpdateException("version " + v + " in " + dir + " is damaged (" + name + " is missing)");
                }
                cp.add(jar);
            }
            if (cp.isEmpty()) {
                throw new UpdateException("version " + v + " in " + dir + " is damaged (it lists no jars)");
            }
            // The class name becomes an argument of the child's java command: only a class name, never an option.
            String main = d.getProperty("main-class", "").strip();
            if (!UpdateBundle.validMainClass(main)) {
                throw new UpdateException("version " + v + " in " + dir + " is damaged (its descriptor names no valid main class)");
            }
            return new Launch(v, main, cp);
        } catch (NoSuchFileException e) {
            throw new UpdateException("version " + v + " is not unpacked in " + dir, e);
        } catch (IOException e) {
            throw new UpdateException("cannot read version " + v + " in " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** Removes every unpacked version (and leftover part) but those of {@code keep}. */
    public void prune(Set<String> keep) throws IOException {
        if (!Files.isDirectory(versions())) {
            return;
        }
        List<Path> gone = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(versions())) {
            for (Path p : s) {
                if (!keep.contains(p.getFileName().toString())) {
                    gone.add(p);
                }
            }
        }
        for (Path p : gone) {
            deleteTree(p);
        }
    }

    /** Deletes a file or a directory with everything in it, if it exists. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Writes {@code content} to {@code file} (0600) through a temporary file renamed over it. */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (posix()) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private Optional<String> versionIn(String name) {
        return read(name).map(p -> p.getProperty("version", "")).filter(UpdateVersions::valid);
    }

    private Optional<Properties> read(String name) {
        try {
            String s = Files.readString(root.resolve(name));
            Properties p = new Properties();
            p.load(new StringReader(s));
            return Optional.of(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void write(String name, Map<String, String> values) throws IOException {
        ensure();
        Properties p = new Properties();
        p.putAll(values);
        StringWriter w = new StringWriter();
        p.store(w, null);
        writeAtomically(root.resolve(name), w.toString());
    }

    private static String checked(String v) {
        if (!UpdateVersions.valid(v)) {
            throw new IllegalArgumentException("'" + v + "' is not a version");
        }
        return v;
    }
}
