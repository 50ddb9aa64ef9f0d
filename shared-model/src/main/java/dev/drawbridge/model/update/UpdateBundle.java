package dev.drawbridge.model.update;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A connector update bundle: a zip holding exactly a descriptor, {@value #DESCRIPTOR} ({@code product}, {@code version},
 * {@code main-class}, {@code java}: the Java feature version it needs), and the connector's jars as {@code lib/<name>.jar}
 * (flat; names of letters, digits, {@code . _ + -}). Nothing else: no directories besides {@code lib/}, no other
 * files, no {@code ..}, no duplicates (compared ignoring case: NTFS would make {@code A.jar} and {@code a.jar} one file),
 * no Windows device name ({@code CON}, {@code PRN}, {@code AUX}, {@code NUL}, {@code COM0}-{@code 9}, {@code LPT0}-{@code 9}
 * before the first {@code .}, in any case), at most {@value #MAX_ENTRIES} entries and {@value #MAX_UNPACKED} bytes
 * unpacked. The Java runtime is not in a bundle: it comes with the package (docs/updates.md).
 *
 * <p>The server checks a bundle when an administrator uploads it ({@link #inspect}); the connector checks it again while
 * unpacking ({@link #extract}), after the signed manifest's size and hash matched.
 */
public final class UpdateBundle {
    /** The only product a bundle may name. */
    public static final String PRODUCT = "drawbridge-connector";
    public static final String DESCRIPTOR = "drawbridge-update.properties";
    public static final long MAX_BUNDLE_SIZE = 256L << 20;
    public static final long MAX_UNPACKED = 512L << 20;
    public static final int MAX_ENTRIES = 400;
    private static final Pattern JAR = Pattern.compile("lib/[A-Za-z0-9._+-]{1,120}\\.jar");
    private static final Pattern MAIN_CLASS = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)+");
    /** Names Windows keeps for devices whatever follows the first dot ({@code CON.jar} is the console). */
    private static final Pattern DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?");

    /** What a bundle's descriptor says, and the jars it holds (names without {@code lib/}, in zip order). */
    public record Descriptor(String version, String mainClass, int javaFeature, List<String> jars) {
        public Descriptor {
            if (!UpdateVersions.valid(version)) {
                throw new IllegalArgumentException("version: '" + version + "' is not a version such as 1.4.0");
            }
            if (!validMainClass(mainClass)) {
                throw new IllegalArgumentException("main-class: '" + mainClass + "' is not a class name");
            }
            if (javaFeature < 17 || javaFeature > 99) {
                throw new IllegalArgumentException("java: " + javaFeature + " is not a Java feature version");
            }
            jars = List.copyOf(jars);
        }
    }

    /**
     * Whether {@code name} is a main class a bundle may name: a qualified Java class name (letters, digits, {@code _},
     * {@code $}, dot-separated, at least one package), so never a JVM option or anything else on a command line.
     */
    public static boolean validMainClass(String name) {
        return name != null && MAIN_CLASS.matcher(name).matches();
    }

    /** Why a file is not a valid bundle: one sentence naming the problem. */
    public static final class InvalidBundleException extends Exception {
        public InvalidBundleException(String message) {
            super(message);
        }
    }

    private UpdateBundle() {
    }

    /** Reads and checks the whole bundle, writing nothing. */
    public static Descriptor inspect(Path bundle) throws IOException, InvalidBundleException {
        return walk(bundle, null);
    }

    /**
     * Checks the whole bundle and unpacks its jars into {@code dir} (created; must not exist yet) as {@code dir/lib/*.jar},
     * and the descriptor as {@code dir/}{@value #DESCRIPTOR}. On failure {@code dir} may hold a part: the caller deletes it.
     */
    public static Descriptor extract(Path bundle, Path dir) throws IOException, InvalidBundleException {
        Files.createDirectory(dir);
        Files.createDirectory(dir.resolve("lib"));
        return walk(bundle, dir);
    }

    private static Descriptor walk(Path bundle, Path into) throws IOException, InvalidBundleException {
        if (Files.size(bundle) > MAX_BUNDLE_SIZE) {
            throw new InvalidBundleException("the bundle is larger than " + (MAX_BUNDLE_SIZE >> 20) + " MiB");
        }
        Properties descriptor = null;
        List<String> jars = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long unpacked = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(bundle), StandardCharsets.UTF_8)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (seen.size() >= MAX_ENTRIES) {
                    throw new InvalidBundleException("the bundle has more than " + MAX_ENTRIES + " entries");
                }
                boolean libFolder = name.equals("lib/") && e.isDirectory();
                boolean isDescriptor = name.equals(DESCRIPTOR);
                if (!libFolder && (!isDescriptor && !JAR.matcher(name).matches() || e.isDirectory())) {
                    throw new InvalidBundleException("the bundle holds '" + printable(name) + "': a bundle holds only " + DESCRIPTOR
                            + " and lib/<name>.jar");
                }
                // Case-insensitively: on NTFS two names differing in case are one file (the second would overwrite the first).
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw new InvalidBundleException("the bundle holds '" + printable(name) + "' twice (names are compared ignoring case)");
                }
                if (libFolder) {
                    continue;
                }
                if (!isDescriptor && DEVICE.matcher(name.substring(4)).matches()) {
                    throw new InvalidBundleException("the bundle holds '" + printable(name) + "': a Windows device name cannot be a jar");
                }
                long limit = MAX_UNPACKED - unpacked;
                if (isDescriptor) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    unpacked += copy(zip, b, Math.min(limit, 16 * 1024), name);
                    descriptor = new Properties();
                    descriptor.load(new ByteArrayInputStream(b.toByteArray()));
                    if (into != null) {
                        Files.write(into.resolve(DESCRIPTOR), b.toByteArray());
                    }
                } else if (into != null) {
                    try (OutputStream out = Files.newOutputStream(into.resolve(name))) {
                        unpacked += copy(zip, out, limit, name);
                    }
                    jars.add(name.substring(4));
                } else {
                    unpacked += copy(zip, OutputStream.nullOutputStream(), limit, name);
                    jars.add(name.substring(4));
                }
            }
        } catch (ZipException | EOFException ex) {
            // A truncated or corrupt zip: EOFException comes from the inflater of a cut entry.
            throw new InvalidBundleException("the bundle is not a valid zip file (" + ex.getMessage() + ")");
        }
        if (descriptor == null) {
            throw new InvalidBundleException("the bundle has no " + DESCRIPTOR);
        }
        if (jars.isEmpty()) {
            throw new InvalidBundleException("the bundle has no jars under lib/");
        }
        if (!PRODUCT.equals(descriptor.getProperty("product"))) {
            throw new InvalidBundleException(DESCRIPTOR + ": product is '" + printable(descriptor.getProperty("product")) + "', not "
                    + PRODUCT);
        }
        String java = descriptor.getProperty("java", "").strip();
        if (!java.matches("\\d{1,2}")) {
            throw new InvalidBundleException(DESCRIPTOR + ": java: '" + printable(java) + "' is not a Java feature version such as 25");
        }
        try {
            return new Descriptor(descriptor.getProperty("version"), descriptor.getProperty("main-class"), Integer.parseInt(java), jars);
        } catch (IllegalArgumentException ex) {
            throw new InvalidBundleException(DESCRIPTOR + ": " + ex.getMessage());
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit, String name) throws IOException, InvalidBundleException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > limit) {
                throw new InvalidBundleException("'" + printable(name) + "' unpacks beyond the bundle's limit of " + (MAX_UNPACKED >> 20)
                        + " MiB");
            }
            out.write(buf, 0, r);
        }
        return n;
    }

    /**
     * Writes a bundle of {@code jars} (each stored as {@code lib/<file name>}) for {@code version}, started by
     * {@code mainClass}, needing Java {@code javaFeature}: what the packages build makes, and tests.
     */
    public static void write(Path out, String version, String mainClass, int javaFeature, List<Path> jars) throws IOException {
        new Descriptor(version, mainClass, javaFeature, jars.stream().map(j -> j.getFileName().toString()).toList());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            zip.putNextEntry(new ZipEntry(DESCRIPTOR));
            String d = "product=" + PRODUCT + "\nversion=" + version + "\nmain-class=" + mainClass + "\njava=" + javaFeature + "\n";
            zip.write(d.getBytes(StandardCharsets.ISO_8859_1));
            zip.closeEntry();
            for (Path jar : jars) {
                zip.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                Files.copy(jar, zip);
                zip.closeEntry();
            }
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
