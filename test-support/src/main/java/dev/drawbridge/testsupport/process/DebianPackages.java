package dev.drawbridge.testsupport.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The Debian packages a test server needs, checked by the files it uses (so that a missing one is named before a
 * confusing start-up failure). A test whose packages are missing is skipped and says which packages and how to
 * install them (bin/test-deps.sh installs them as root: they are {@code optional} there), except when the
 * environment sets {@value #REQUIRE}{@code =1} (.ci/run does): then it fails, so that a green CI never hides
 * servers that did not run.
 */
public final class DebianPackages {
    /** Set to 1 to make a missing package fail the tests that need it instead of skipping them. */
    public static final String REQUIRE = "DRAWBRIDGE_REQUIRE_SSO_SERVERS";

    private DebianPackages() {
    }

    /** A file a server needs and the Debian package that installs it. */
    public record Need(String file, String debianPackage) {
    }

    /**
     * Returns if every file of {@code needs} exists; otherwise skips the calling test (JUnit's abort), or fails it
     * with an {@link IllegalStateException} when {@value #REQUIRE}=1.
     *
     * @param who what needs them, for the message ("KerberosRealm")
     */
    public static void require(String who, List<Need> needs) {
        require(who, needs, System.getenv(REQUIRE));
    }

    static void require(String who, List<Need> needs, String requireSetting) {
        Set<String> missing = missing(needs);
        if (missing.isEmpty()) {
            return;
        }
        Set<String> files = new LinkedHashSet<>();
        for (Need need : needs) {
            if (!Files.exists(Path.of(need.file()))) {
                files.add(need.file());
            }
        }
        String message = who + " needs the Debian packages " + String.join(" ", missing) + ", which are not installed (no "
                + String.join(", ", files) + "): run '" + installCommand(missing) + "' (./test.sh does, as root)";
        if ("1".equals(requireSetting)) {
            throw new IllegalStateException(message + "; " + REQUIRE + "=1 makes that an error instead of a skipped test");
        }
        abort(message);
    }

    /** The packages of {@code needs} whose file is missing, each once, in the order of {@code needs}; empty when all are there. */
    public static Set<String> missing(List<Need> needs) {
        Set<String> missing = new LinkedHashSet<>();
        for (Need need : needs) {
            if (!Files.exists(Path.of(need.file()))) {
                missing.add(need.debianPackage());
            }
        }
        return missing;
    }

    /** {@code sudo apt-get install -y --no-install-recommends <packages>}. */
    public static String installCommand(Collection<String> packages) {
        return "sudo apt-get install -y --no-install-recommends " + String.join(" ", packages);
    }
}
