package dev.drawbridge.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build of Drawbridge: the Maven project version, written into {@code version.properties} when
 * shared-model is built (resource filtering). Every program's {@code --version} prints it and the connector reports it
 * to the server, so one build never claims two versions.
 */
public final class DrawbridgeVersion {
    private static final String CURRENT = load();

    private DrawbridgeVersion() {
    }

    /** The version, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = DrawbridgeVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from shared-model: build it with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            if (v.isBlank() || v.contains("${")) {
                throw new IllegalStateException("version.properties was not filtered by the build: build shared-model with Maven");
            }
            return v.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
