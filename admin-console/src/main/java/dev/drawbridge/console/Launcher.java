package dev.drawbridge.console;

import dev.drawbridge.model.DrawbridgeVersion;
import javafx.application.Application;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point of the admin console. A separate class because a main class that extends {@link Application}
 * refuses to start when JavaFX is on the class path rather than the module path. Before opening the window it
 * checks what would otherwise end in a stack trace (a bad option, an unreadable CA file, no display) and answers
 * each with one line, "error: " and what to do: exit 2 for the command line, 1 for the rest.
 */
public final class Launcher {
    /** {@link #check} lets the console open its window. */
    static final int LAUNCH = -1;

    private Launcher() {
    }

    public static void main(String[] args) {
        int code = check(List.of(args), System.getenv(), System.getProperty("glass.platform"), System.out, System.err);
        if (code != LAUNCH) {
            System.exit(code);
        }
        try {
            Application.launch(ConsoleApp.class, args);
        } catch (RuntimeException | Error e) {
            System.err.println("error: the console could not open its window (" + reason(e) + "): run it in a desktop session, "
                    + "or administer with bin/drawbridge.");
            String d = System.getenv("DRAWBRIDGE_DEBUG");
            if (d != null && !d.isBlank() && !d.equals("0")) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    /**
     * Checks the command line and the environment; returns the exit code to stop with, or {@link #LAUNCH}.
     *
     * @param glassPlatform JavaFX's {@code glass.platform} ({@code Monocle} needs no display), or null
     */
    static int check(List<String> args, Map<String, String> env, String glassPlatform, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(ConsoleOptions.USAGE);
            return 0;
        }
        if (args.contains("--version") || args.contains("-V")) {
            out.println("drawbridge-console " + DrawbridgeVersion.current());
            return 0;
        }
        ConsoleOptions options;
        try {
            options = ConsoleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + "; see 'drawbridge-console --help'.");
            return 2;
        }
        if (options.caFile().isPresent() && !Files.isReadable(options.caFile().get())) {
            err.println("error: cannot read the --ca-file " + options.caFile().get() + ": give the server's CA "
                    + "(<data dir>/pki/server-ca.pem), or leave it out to be asked whether to trust the server.");
            return 2;
        }
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        boolean headless = "Monocle".equals(glassPlatform);
        if (linux && !headless && blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            err.println("error: there is no display to open the console on (DISPLAY is not set): run it in a desktop session "
                    + "(or over ssh -X), or administer with bin/drawbridge.");
            return 1;
        }
        return LAUNCH;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String reason(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage().replaceAll("\\s+", " ").strip();
    }
}
