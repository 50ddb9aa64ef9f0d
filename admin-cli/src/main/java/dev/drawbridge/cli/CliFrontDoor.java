package dev.drawbridge.cli;

import picocli.CommandLine;

/**
 * How the admin CLI's command line answers a mistake: one line naming it and the command's {@code --help}, exit 2,
 * instead of picocli's message followed by the whole usage; and a failure nobody foresaw as one sentence (its stack
 * trace only with {@code DRAWBRIDGE_DEBUG=1}). The server's own front door ({@code drawbridge-server}) works alike.
 */
final class CliFrontDoor {
    private CliFrontDoor() {
    }

    /** Sets the usage-error handler on {@code cl} (and so on its subcommands); returns it. */
    static CommandLine configure(CommandLine cl) {
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("error: " + TerminalText.oneLine(usageProblem(e)) + "; see '" + c.getCommandSpec().qualifiedName() + " --help'.");
            c.getErr().flush();
            return CliException.USAGE;
        });
        return cl;
    }

    /** One sentence for a failure nobody foresaw: what failed, and the root cause's first sentence. */
    static String unexpected(String what, Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + firstSentence(root.getMessage());
        return what + " (" + detail + "); set DRAWBRIDGE_DEBUG=1 to see the stack trace.";
    }

    /** Prints the stack trace on stderr when {@code DRAWBRIDGE_DEBUG} is set (to anything but 0 or empty). */
    static void debug(Throwable e) {
        String d = System.getenv("DRAWBRIDGE_DEBUG");
        if (d != null && !d.isBlank() && !d.equals("0")) {
            e.printStackTrace();
        }
    }

    private static String usageProblem(CommandLine.ParameterException e) {
        String m = oneLine(String.valueOf(e.getMessage()));
        // picocli ends some messages with a period; the sentence goes on.
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }

    private static String firstSentence(String message) {
        String s = oneLine(message == null ? "" : message);
        int end = s.indexOf(". ");
        return end > 0 ? s.substring(0, end) : s.replaceAll("\\.$", "");
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
