package dev.drawbridge.connector.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code register --token -}: the registration token read where no other user of the machine sees it. A command line is
 * public to every local user ({@code ps}, {@code /proc/PID/cmdline}) for as long as the process runs, and the token is
 * worth a connector: whoever presents it first is registered in its group. From a terminal it is asked for at a prompt
 * that does not echo it (so it lands in no shell history either); otherwise it is the first line of standard input
 * ({@code drawbridge tokens create -q | ...}, a file, a secret store's output).
 */
final class TokenInput {
    /** The {@code --token} value that says: read it. */
    static final String FROM_INPUT = "-";
    /** Far above a real token (dbreg_ and 43 characters). */
    private static final int MAX_BYTES = 4096;

    private TokenInput() {
    }

    /** The token from the terminal's prompt, or from the first line of standard input. */
    static String read() throws IOException {
        Console console = System.console();
        String token;
        if (console != null && console.isTerminal()) {
            char[] typed = console.readPassword("Registration token (not shown): ");
            token = typed == null ? "" : new String(typed);
        } else {
            token = firstLine(System.in);
        }
        token = token.strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("--token - reads the registration token from standard input or a prompt, and got none: "
                    + "paste the token the admin console or 'drawbridge tokens create' shows");
        }
        return token;
    }

    /** The first line of {@code in} (without its end), of at most {@value #MAX_BYTES} bytes. */
    static String firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (line.size() >= MAX_BYTES) {
                throw new IllegalArgumentException("--token -: the first line of standard input is longer than " + MAX_BYTES
                        + " bytes, which no registration token is");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
