package dev.drawbridge.proxy.backup;

import dev.drawbridge.proxy.web.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a backup archive from its decrypting stream ({@link Envelope#open}), checking it against its {@link Manifest}:
 * the manifest first, then exactly the files it lists, each once, each a path a backup may hold, then the authenticated
 * end of the stream. Every failure is one sentence; a failure of the {@link Target} is its own.
 */
final class ArchiveReader {
    private static final int MAX_MANIFEST = 1 << 20;
    private static final Pattern SEGMENT = Pattern.compile("segmentNr:(\\d+)");

    /** What happens to each file's content. */
    interface Target {
        /** Verifying only: the content is read and discarded. */
        Target DISCARD = (relative, content) -> {
            try {
                content.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new DamagedException(e);
            }
        };

        /** Reads {@code content} (reading failures must surface as {@link DamagedException}). */
        void accept(String relative, InputStream content) throws BackupException;
    }

    /** A read failure of the archive itself (not of the target): the file was modified or damaged. */
    static final class DamagedException extends RuntimeException {
        DamagedException(IOException cause) {
            super(cause);
        }
    }

    private ArchiveReader() {
    }

    /** Reads the whole archive, passing each file to {@code target}; returns its manifest. */
    static Manifest read(InputStream decrypted, String name, Target target) throws BackupException {
        try {
            ZipInputStream zip = new ZipInputStream(decrypted);
            ZipEntry first = zip.getNextEntry();
            if (first == null || !first.getName().equals(ArchiveWriter.MANIFEST)) {
                throw new BackupException(name + " holds no manifest: it was not made by 'drawbridge-server backup'.");
            }
            byte[] json = zip.readNBytes(MAX_MANIFEST + 1);
            if (json.length > MAX_MANIFEST) {
                throw new BackupException(name + "'s manifest is too large to be one 'drawbridge-server backup' writes.");
            }
            Manifest manifest = manifest(json, name);
            Set<String> seen = new HashSet<>();
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String relative = e.getName().startsWith(ArchiveWriter.DATA) ? e.getName().substring(ArchiveWriter.DATA.length()) : "";
                if (e.isDirectory() || !manifest.files().contains(relative) || !seen.add(relative)) {
                    throw new BackupException(name + " holds an entry its manifest does not list (" + e.getName() + "): it was not"
                            + " made by 'drawbridge-server backup'.");
                }
                target.accept(relative, zip);
            }
            List<String> missing = manifest.files().stream().filter(f -> !seen.contains(f)).toList();
            if (!missing.isEmpty()) {
                throw new BackupException(name + " lacks files its manifest lists (" + String.join(", ", missing) + ").");
            }
            // The end of the sealed stream is authenticated too: read it, so that a cut-short or extended file fails.
            decrypted.transferTo(OutputStream.nullOutputStream());
            return manifest;
        } catch (IOException | DamagedException e) {
            Throwable cause = e instanceof DamagedException d ? d.getCause() : e;
            throw new BackupException(name + " is damaged or was modified after it was made (" + damage(cause) + "): nothing was"
                    + " restored; use another copy of the backup.", cause);
        }
    }

    private static Manifest manifest(byte[] json, String name) throws BackupException {
        try {
            Manifest m = Json.MAPPER.readValue(json, Manifest.class);
            if (m.format() != Manifest.FORMAT) {
                throw new BackupException(name + " is an archive of layout " + m.format() + ", which this version does not read: restore"
                        + " it with the version that made it (" + m.serverVersion() + ") or a newer one.");
            }
            return m;
        } catch (IOException | IllegalArgumentException e) {
            throw new BackupException(name + "'s manifest is not one 'drawbridge-server backup' writes (" + reason(e) + ").", e);
        }
    }

    /** Tink's message names the failing segment among many internals: the segment is what an operator can use. */
    private static String damage(Throwable t) {
        String m = reason(t);
        Matcher segment = SEGMENT.matcher(m);
        if (segment.find()) {
            return "its part from MiB " + segment.group(1) + " on does not authenticate";
        }
        return m.length() > 120 ? m.substring(0, 120) + "…" : m;
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.replaceAll("\\s+", " ").strip();
    }
}
