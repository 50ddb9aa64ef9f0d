package dev.drawbridge.connector.update;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The supervisor's command for the connector child: the running runtime's {@code bin/java} (the package's runtime, which
 * bundles do not replace), the supervisor's own JVM options (the package's {@code -D} settings, memory), the launch's
 * class path and main class, and {@code run} with the supervisor's options minus {@code --auto-update}; the system
 * property {@value #WORKER_PROPERTY} tells the child that a supervisor runs it (a property, not an option, so that no
 * settings file or environment variable can claim it).
 */
public final class ChildCommand implements Function<Launch, ProcessBuilder> {
    /** The system property that makes {@code run} the supervised connector (it updates, and confirms a trial). */
    public static final String WORKER_PROPERTY = "drawbridge.connector.supervised";

    private final Path java;
    private final List<String> jvmOptions;
    private final List<String> runArguments;

    public ChildCommand(Path java, List<String> jvmOptions, List<String> runArguments) {
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.runArguments = List.copyOf(runArguments);
    }

    /**
     * The command of this process's runtime and JVM options, for the options {@code run} was given ({@code args} after
     * {@code run}).
     */
    public static ChildCommand forThisProcess(List<String> args) {
        Path home = Path.of(System.getProperty("java.home"));
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path java = home.resolve("bin").resolve(windows ? "java.exe" : "java");
        return new ChildCommand(java, jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()), runArguments(args));
    }

    /** The JVM options a child takes over: all but the class path (each launch has its own) and a debugger's port. */
    static List<String> jvmOptions(List<String> given) {
        List<String> out = new ArrayList<>();
        for (String o : given) {
            if (o.startsWith("-Djava.class.path=") || o.startsWith("-agentlib:jdwp") || o.startsWith("-Xrunjdwp")
                    || o.startsWith("-D" + WORKER_PROPERTY + "=")) {
                continue;
            }
            out.add(o);
        }
        out.add("-D" + WORKER_PROPERTY + "=true");
        return out;
    }

    /** Whether a supervisor runs this process. */
    public static boolean supervised() {
        return Boolean.getBoolean(WORKER_PROPERTY);
    }

    /** {@code run}'s options for the child: {@code --auto-update} (in any spelling picocli takes) removed. */
    static List<String> runArguments(List<String> args) {
        List<String> out = new ArrayList<>();
        out.add("run");
        for (String a : args) {
            if (a.equals("--auto-update") || a.startsWith("--auto-update=")) {
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** The command for {@code launch}; a main class starting with {@code -} (a JVM option, not a class) is refused. */
    @Override
    public ProcessBuilder apply(Launch launch) {
        if (launch.mainClass().startsWith("-")) {
            throw new IllegalArgumentException("main class '" + launch.mainClass() + "' is an option, not a class name");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, launch.classPath().stream().map(Path::toString).toList()));
        cmd.add(launch.mainClass());
        cmd.addAll(runArguments);
        return new ProcessBuilder(cmd);
    }

    /** The whole command for {@code launch}, for tests and the log. */
    public List<String> command(Launch launch) {
        return apply(launch).command();
    }
}
