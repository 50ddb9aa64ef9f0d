package dev.drawbridge.connector.update;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the supervisor starts: a version's main class and class path. {@code version} is empty for the installed jars
 * (the package's, the supervisor's own class path).
 */
public record Launch(String version, String mainClass, List<Path> classPath) {
    public Launch {
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("mainClass: missing");
        }
        classPath = List.copyOf(classPath);
        if (classPath.isEmpty()) {
            throw new IllegalArgumentException("classPath: empty");
        }
    }

    /** The unpacked version this runs, or empty for the installed jars. */
    public Optional<String> unpacked() {
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }
}
