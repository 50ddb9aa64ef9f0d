package dev.drawbridge.console;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Command-line options: {@code --server URL --token T --ca-file PEM} open the console signed in (the demo uses
 * them); {@code --screen NAME} picks the first screen.
 */
public record ConsoleOptions(Optional<String> server, Optional<String> token, Optional<Path> caFile, Optional<String> screen) {
    public static final String USAGE = """
            Usage: drawbridge-console [--server URL] [--token ADMIN_TOKEN] [--ca-file SERVER_CA_PEM] [--screen NAME]
              --server   admin URL, e.g. https://admin.apps.example.com:8443
              --token    sign in with this admin token (the server's bootstrap credential or an issued token)
              --ca-file  trust this CA (server-ca.pem from the server's data directory) without asking
              --screen   first screen: Dashboard, Applications, Connectors, Users, Access, Logs, Certificates
              --version  print the version and exit
            Environment: DRAWBRIDGE_SERVER, DRAWBRIDGE_ADMIN_TOKEN as defaults for --server and --token.""";

    /** Parses the arguments; throws {@link IllegalArgumentException} with a sentence naming the bad one. */
    public static ConsoleOptions parse(List<String> args) {
        String server = System.getenv("DRAWBRIDGE_SERVER"), token = System.getenv("DRAWBRIDGE_ADMIN_TOKEN"), screen = null;
        Path ca = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (List.of("--server", "--token", "--ca-file", "--screen").contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                value = args.get(++i);
            } else {
                value = null;
            }
            switch (name) {
                case "--server" -> server = value;
                case "--token" -> token = value;
                case "--ca-file" -> ca = Path.of(value);
                case "--screen" -> screen = value;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new ConsoleOptions(blank(server), blank(token), Optional.ofNullable(ca), blank(screen));
    }

    private static Optional<String> blank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
}
