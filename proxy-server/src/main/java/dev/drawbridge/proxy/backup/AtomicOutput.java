package dev.drawbridge.proxy.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * A file written whole or not at all: the bytes go to a temporary file beside it (0600 from its creation), which
 * {@link #commit} forces to disk and renames over the target; {@link #abort} deletes it. A failure to write says so as a
 * {@link WriteFailure}, so that a full disk is told apart from a bad source.
 */
final class AtomicOutput implements AutoCloseable {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream stream;
    private boolean committed;

    /** A write to the target file failed (its reason: e.g. no space left on device). */
    static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private AtomicOutput(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        OutputStream raw = Channels.newOutputStream(channel);
        this.stream = new FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new WriteFailure(e);
                }
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void close() {
                // the channel is closed by commit or abort
            }
        };
    }

    static AtomicOutput create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        Path temp = dir.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(id) + ".tmp");
        FileAttribute<?>[] mode = POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
        return new AtomicOutput(target, temp, channel);
    }

    OutputStream stream() {
        return stream;
    }

    /** Forces the bytes to disk and puts the file in place. */
    void commit() throws IOException {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
        channel.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    /** Deletes the temporary file, unless committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: the temporary file's name says what it is
        }
    }
}
