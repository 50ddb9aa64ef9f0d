package dev.drawbridge.proxy.backup;

import dev.drawbridge.proxy.web.Json;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a backup archive into a sealed stream ({@link Envelope#seal}): a ZIP whose first entry is the
 * {@link Manifest}, then one entry per data-directory file ({@code data/pki/server-ca.p12}), each streamed.
 */
final class ArchiveWriter implements Closeable {
    static final String MANIFEST = "drawbridge-backup.json";
    static final String DATA = "data/";

    private final ZipOutputStream zip;

    ArchiveWriter(OutputStream sealed, Manifest manifest) throws IOException {
        this.zip = new ZipOutputStream(sealed);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(Json.MAPPER.writeValueAsBytes(manifest));
        zip.closeEntry();
    }

    /** One file of the data directory, at {@code relative} (as listed in the manifest). */
    void file(String relative, InputStream content) throws IOException {
        DataDirFiles.checkRelative(relative);
        zip.putNextEntry(new ZipEntry(DATA + relative));
        content.transferTo(zip);
        zip.closeEntry();
    }

    /** Finishes the archive and the sealed stream (its last, authenticated segment). */
    @Override
    public void close() throws IOException {
        zip.close();
    }
}
