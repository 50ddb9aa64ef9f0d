package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Connectors as their own processes, the way the package installs them: the connector's runtime class path only (written
 * by the connector module's build: target/runtime-classpath.txt), class directories of this build jarred, with the packages'
 * logging settings, started as {@code ConnectorCli run --auto-update}; and update bundles made of the same jars, with a first jar that says which
 * version they are (docs/updates.md).
 */
public final class ConnectorProcesses implements AutoCloseable {
    public static final String MAIN = "dev.drawbridge.connector.cli.ConnectorCli";
    /** The packages' logging settings (INFO, Jetty at WARN), as installed next to the jars. */
    public static final Path LOGGING = Path.of("..", "installer", "build", "logback.xml").toAbsolutePath().normalize();
    private final Path work;
    private final List<Path> jars;
    private final List<Process> started = new ArrayList<>();

    public ConnectorProcesses(Path work) throws IOException {
        this.work = work;
        this.jars = runtimeJars("connector", work);
    }

    /**
     * The jars of {@code module} as its package installs them: its runtime class path (written by the module's build:
     * target/runtime-classpath.txt), the class directories of this build among it jarred into {@code work}.
     */
    public static List<Path> runtimeJars(String module, Path work) throws IOException {
        Files.createDirectories(work);
        Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
        Path listed = target.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(listed)) {
            throw new IllegalStateException(listed + " is missing: build the " + module + " module with Maven first");
        }
        List<Path> all = new ArrayList<>();
        all.add(target.resolve("classes"));
        for (String e : Files.readString(listed).strip().split(File.pathSeparator)) {
            all.add(Path.of(e));
        }
        List<Path> out = new ArrayList<>();
        for (Path p : all) {
            out.add(Files.isDirectory(p) ? jarred(p, work) : p);
        }
        return List.copyOf(out);
    }

    /** Registers a connector in {@code group} (null: the default group) into {@code stateDir}, in this JVM. */
    static void register(DrawbridgeStack stack, String group, Path stateDir) throws Exception {
        RegistrationTokenView t = stack.registrationToken(group, 10);
        Registration.register(stack.adminUrl(), t.token(), t.serverCaSha256(), "test").save(stateDir);
    }

    /** Starts {@code run --auto-update} on {@code stateDir} with the installed jars; its output goes to {@code log}. */
    Process supervisor(Path stateDir, Path log, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-Dlogback.configurationFile=" + LOGGING, "-cp", String.join(File.pathSeparator, jars.stream().map(Path::toString).toList())));
        // The transport this run of the tests is for (the supervisor passes its -D options on to the connector it runs).
        cmd.add("-D" + TransportChoice.PROPERTY + "=" + TransportChoice.Mode.fromSystemProperty().value());
        cmd.addAll(List.of(MAIN, "run", "--auto-update", "--state-dir", stateDir.toString()));
        cmd.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_"));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Starts {@code drawbridge-connector ARGS} with the installed jars, its standard input a pipe; its output goes to {@code log}. */
    public Process command(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-Dlogback.configurationFile=" + LOGGING, "-cp", String.join(File.pathSeparator, jars.stream().map(Path::toString).toList()),
                MAIN));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_"));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** A bundle of {@code version} made of the installed jars but those whose file name contains {@code without}. */
    Path bundle(String version, String without) throws IOException {
        Path versionJar = work.resolve("0-version-" + version + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(versionJar))) {
            out.putNextEntry(new JarEntry("dev/drawbridge/model/version.properties"));
            out.write(("version=" + version + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        List<Path> in = new ArrayList<>(List.of(versionJar));
        jars.stream().filter(j -> without == null || !j.getFileName().toString().contains(without)).forEach(in::add);
        Path bundle = work.resolve("drawbridge-connector-update-" + version + (without == null ? "" : "-without-" + without) + ".zip");
        UpdateBundle.write(bundle, version, MAIN, Runtime.version().feature(), in);
        return bundle;
    }

    private static Path jarred(Path classes, Path work) throws IOException {
        // .../<module>/target/classes → <module>-classes.jar
        Path jar = work.resolve(classes.getParent().getParent().getFileName() + "-classes.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> all = Files.walk(classes)) {
            // Directory entries too, as Maven's jars have: ClassLoader.getResources("db/migration") (Flyway's scan) finds a
            // directory of a jar only by its entry.
            for (Path f : all.filter(p -> !p.equals(classes)).sorted().toList()) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                if (Files.isDirectory(f)) {
                    out.putNextEntry(new JarEntry(name + "/"));
                } else {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(f, out);
                }
            }
        }
        return jar;
    }

    /** SIGTERM to every supervisor started (each stops its child), then whatever is left is killed. */
    @Override
    public void close() throws Exception {
        for (Process p : started) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
