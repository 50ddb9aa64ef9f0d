package dev.drawbridge.demo;

import dev.drawbridge.testsupport.process.DebianPackages;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * The one-line notes the demo prints about an app it starts only when Debian packages are installed (the Kerberos IWA
 * app, the SAML app): which packages are missing and the command that installs them, or why the app could not start.
 */
final class DemoNotes {
    private DemoNotes() {
    }

    /**
     * Whether a package of {@code needs} is missing; if so, says on {@code notes} which, and how to install them, for the
     * {@code app} (e.g. "The SAML app").
     */
    static boolean missing(String app, List<DebianPackages.Need> needs, PrintStream notes) {
        Set<String> missing = DebianPackages.missing(needs);
        if (!missing.isEmpty()) {
            notes.println(app + " needs the Debian packages " + String.join(" ", missing) + ": install them with '"
                    + DebianPackages.installCommand(missing) + "' and run the demo again; it starts without it.");
        }
        return !missing.isEmpty();
    }

    /** Says on {@code notes} that the {@code app} could not start, with the first line of why. */
    static void couldNotStart(String app, Exception e, PrintStream notes) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        notes.println(app + " could not start (" + message.lines().findFirst().orElse("").strip() + "); the demo starts without it.");
    }
}
