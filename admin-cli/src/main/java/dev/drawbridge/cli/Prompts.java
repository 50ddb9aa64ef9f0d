package dev.drawbridge.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Secrets the CLI reads: from standard input (first line) or typed at the terminal without echo. Never from arguments. */
final class Prompts {
    private Prompts() {
    }

    static String secret(DrawbridgeCli cli, String what, boolean fromStdin, String stdinOption) throws CliException {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(cli.stdin(), StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw CliException.usage(stdinOption + " was given but standard input is empty");
                }
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            } catch (IOException e) {
                throw CliException.usage("cannot read standard input: " + e.getMessage());
            }
        }
        var console = cli.console().orElseThrow(() -> CliException.usage("no terminal to ask for the " + what + "; pipe it in with "
                + stdinOption));
        char[] typed = console.readPassword("%s: ", capitalized(what));
        if (typed == null || typed.length == 0) {
            throw CliException.usage("no " + what + " given");
        }
        return new String(typed);
    }

    static String line(DrawbridgeCli cli, String what, String option) throws CliException {
        var console = cli.console().orElseThrow(() -> CliException.usage("no terminal to ask for the " + what + "; pass " + option));
        String typed = console.readLine("%s: ", capitalized(what));
        if (typed == null || typed.isBlank()) {
            throw CliException.usage("no " + what + " given");
        }
        return typed.strip();
    }

    /**
     * Whether the admin typed yes to {@code question} at the terminal. Without a terminal (a script), the answer is a
     * usage error saying to pass {@code yesOption}: a script must say what it means, it is never taken as yes.
     */
    static boolean confirm(DrawbridgeCli cli, String question, String yesOption) throws CliException {
        var console = cli.console().orElseThrow(() -> CliException.usage(question + " No terminal to ask: pass " + yesOption
                + " to confirm."));
        String typed = console.readLine("%s [y/N] ", question);
        return typed != null && (typed.strip().equalsIgnoreCase("y") || typed.strip().equalsIgnoreCase("yes"));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
