package dev.drawbridge.console;

import javafx.application.Application;

import java.util.List;

/**
 * Entry point of the admin console. A separate class because a main class that extends {@link Application}
 * refuses to start when JavaFX is on the class path rather than the module path.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(ConsoleOptions.USAGE);
            return;
        }
        try {
            ConsoleOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(ConsoleOptions.USAGE);
            System.exit(2);
        }
        Application.launch(ConsoleApp.class, args);
    }
}
