package dev.drawbridge.console.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's settings file ({@code console.properties}) in its config directory: last server and user,
 * window layout, last screen. The directory is {@code -Ddrawbridge.console.config=DIR}, else
 * {@code $XDG_CONFIG_HOME/drawbridge-console}, else {@code ~/.config/drawbridge-console}.
 */
public final class ConsoleConfig {
    /** System property that overrides the config directory (tests use a temporary one). */
    public static final String DIR_PROPERTY = "drawbridge.console.config";

    private final Path dir;
    private final Properties props = new Properties();

    public ConsoleConfig(Path dir) {
        this.dir = dir;
        Path f = file();
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                props.load(in);
            } catch (IOException e) {
                // An unreadable settings file only loses remembered layout: start fresh.
            }
        }
    }

    /** The directory named by the system property or the platform's default. */
    public static Path defaultDir() {
        String p = System.getProperty(DIR_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("drawbridge-console");
    }

    public Path dir() {
        return dir;
    }

    private Path file() {
        return dir.resolve("console.properties");
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(props.getProperty(key)).filter(s -> !s.isBlank());
    }

    public double getDouble(String key, double dflt) {
        try {
            return get(key).map(Double::parseDouble).orElse(dflt);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    public synchronized void put(String key, String value) {
        if (value == null) {
            props.remove(key);
        } else {
            props.setProperty(key, value);
        }
    }

    /** Writes the settings; a failure is ignored (the console works without remembered settings). */
    public synchronized void save() {
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(file())) {
                props.store(out, "Drawbridge admin console");
            }
        } catch (IOException e) {
            // best effort
        }
    }
}
