package dev.drawbridge.console.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file the admin chose to send to the server (a connector group's keytab, a service provider's SAML metadata), read
 * with bounds: only a regular file is read (a device or a pipe, {@code /dev/zero} or a FIFO, could be endless or block),
 * and no more than one byte past the limit (the file cannot grow past it while being read). A refusal is a sentence
 * naming the file.
 */
public final class ChosenFile {
    /** What reading gave. */
    public sealed interface Read permits Bytes, Refused {
    }

    /** The file's bytes, at most the limit. */
    public record Bytes(byte[] bytes) implements Read {
    }

    /** Why the file was not read, in a sentence. */
    public record Refused(String sentence) implements Read {
    }

    private ChosenFile() {
    }

    /**
     * Reads {@code file}, at most {@code max} bytes.
     *
     * @param kind  what the file should be, for the sentences: "the keytab file" ("… is not a file: choose the keytab file.")
     * @param limit what is at most {@code max}: "a keytab" ("… is larger than 64 KiB: a keytab is at most that.")
     */
    public static Read read(Path file, int max, String kind, String limit) {
        String name = String.valueOf(file.getFileName());
        if (!Files.isRegularFile(file)) {
            return new Refused(Files.exists(file) ? name + " is not a file: choose " + kind + "." : "Cannot read " + name + ": no such file.");
        }
        byte[] read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(max + 1);
        } catch (IOException e) {
            return new Refused("Cannot read " + name + ": " + e.getMessage());
        }
        if (read.length > max) {
            Arrays.fill(read, (byte) 0);
            return new Refused(name + " is larger than " + max / 1024 + " KiB: " + limit + " is at most that.");
        }
        return new Bytes(read);
    }
}
