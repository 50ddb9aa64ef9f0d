package dev.drawbridge.testsupport.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives a second proxy-server node the first one's keys and CAs, as every node of a cluster must have (the same server
 * CA, which connectors pin, and connector CA, which signs their certificates): copies node A's {@code pki/} and
 * {@code secrets/} into node B's data directory before B starts. The one place tests do this, so that it is replaced in
 * one place once the keys live in the database (issue 14, shared secrets).
 */
public final class ClusterKeys {
    private static final List<String> FOLDERS = List.of("pki", "secrets");

    private ClusterKeys() {
    }

    /** Copies the keys of the node whose data directory is {@code from} into {@code to} (created, owner-only). */
    public static void share(Path from, Path to) throws IOException {
        for (String folder : FOLDERS) {
            Path source = from.resolve(folder);
            Path target = to.resolve(folder);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.toList()) {
                    Path t = target.resolve(source.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }
}
