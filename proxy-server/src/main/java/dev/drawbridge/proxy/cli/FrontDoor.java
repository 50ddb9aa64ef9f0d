package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.OptionDefaults;
import picocli.CommandLine;

import java.util.Map;
import java.util.Optional;

/**
 * How the programs' command lines answer a mistake: one line naming it and the command's {@code --help}, exit 2,
 * instead of picocli's message followed by the whole usage; and a failure nobody foresaw as one sentence (its
 * stack trace only with {@code DRAWBRIDGE_DEBUG=1}).
 */
public final class FrontDoor {
    /** Exit code for a bad command line or configuration. */
    public static final int USAGE = 2;

    private FrontDoor() {
    }

    /** Sets both handlers on {@code cl} (and so on its subcommands); returns it. */
    public static CommandLine configure(CommandLine cl, String failureSubject) {
        return configure(cl, failureSubject, new OptionDefaults("DRAWBRIDGE_", Map.of(), Optional.empty()));
    }

    /**
     * Sets both handlers and {@code defaults} (options from the environment and a configuration file) on {@code cl}
     * and its subcommands; a setting the program cannot use is one sentence naming its file and line or variable.
     */
    public static CommandLine configure(CommandLine cl, String failureSubject, OptionDefaults defaults) {
        defaults.install(cl);
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            Optional<String> setting = defaults.explain(e);
            c.getErr().println("error: " + setting.map(FrontDoor::sentence).orElseGet(
                    () -> usageProblem(e) + "; see '" + c.getCommandSpec().qualifiedName() + " --help'."));
            c.getErr().flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parseResult) -> {
            c.getErr().println("error: " + StartupFailures.unexpected(failureSubject, e));
            debug(e);
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** Prints the stack trace on stderr when {@code DRAWBRIDGE_DEBUG} is set (to anything but 0 or empty). */
    public static void debug(Throwable e) {
        String d = System.getenv("DRAWBRIDGE_DEBUG");
        if (d != null && !d.isBlank() && !d.equals("0")) {
            e.printStackTrace();
        }
    }

    private static String sentence(String s) {
        String one = StartupFailures.oneLine(s);
        return one.endsWith(".") ? one : one + ".";
    }

    private static String usageProblem(CommandLine.ParameterException e) {
        String m = StartupFailures.oneLine(String.valueOf(e.getMessage()));
        // picocli ends some messages with a period; the sentence goes on.
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }
}
