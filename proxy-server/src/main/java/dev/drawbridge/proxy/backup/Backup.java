package dev.drawbridge.proxy.backup;

import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.proxy.store.DamagedDatabaseException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.DatabaseMarker;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code drawbridge-server backup}: the key material of a data directory ({@link DataDirFiles}) and its embedded database,
 * sealed with a passphrase ({@link Envelope}) into one file written atomically (0600).
 * <ul>
 *   <li>Server running (its {@link LocalControl} file or database file is locked): the database is copied by the server
 *   itself ({@link BackupRoute}, through its management listener, with the token of the control file), consistent
 *   under concurrent writes.</li>
 *   <li>Server stopped: the database is opened here and copied the same way (H2's {@code BACKUP TO}).</li>
 *   <li>PostgreSQL ({@code --database-url}): the keys only; pg_dump backs the database up.</li>
 * </ul>
 */
public final class Backup {
    private static final int H2_IN_USE = 90020, H2_NOT_FOUND = 90146;

    /**
     * @param databaseUrl the server's {@code --database-url} (PostgreSQL), if any
     */
    public record Request(Path dataDir, Optional<String> databaseUrl, Path out, KdfParams kdf, Clock clock) {
    }

    /** What was written. */
    public record Result(Manifest manifest, Path out, long bytes, List<String> leftOut) {
        public Result {
            leftOut = List.copyOf(leftOut);
        }
    }

    private Backup() {
    }

    /**
     * @throws DamagedDatabaseException when the server is stopped and its data directory has held an embedded database
     *                                  ({@link DatabaseMarker}) that is missing or damaged: it is not opened (H2 would
     *                                  put a new, empty database in its place) and nothing is written
     */
    public static Result run(Request r, char[] passphrase) throws BackupException {
        Path dataDir = r.dataDir();
        if (!Files.isDirectory(dataDir)) {
            throw new BackupException("there is no data directory at " + dataDir + ": give the server's with --data-dir.");
        }
        List<String> keys = DataDirFiles.keyFiles(dataDir);
        Manifest.Consistency how = r.databaseUrl().isPresent() ? Manifest.Consistency.KEYS_ONLY
                : running(dataDir) ? Manifest.Consistency.ONLINE : Manifest.Consistency.OFFLINE;
        List<String> files = new ArrayList<>(keys);
        if (how != Manifest.Consistency.KEYS_ONLY) {
            files.add(Manifest.H2_FILE);
        }
        Manifest manifest = new Manifest(Manifest.FORMAT, r.clock().instant(), DrawbridgeVersion.current(),
                how == Manifest.Consistency.KEYS_ONLY ? Manifest.Database.EXTERNAL : Manifest.Database.EMBEDDED, how, files);
        Optional<URI> online = how == Manifest.Consistency.ONLINE ? Optional.of(managementUrl(dataDir)) : Optional.empty();
        if (how == Manifest.Consistency.OFFLINE) {
            // The server's own check at start: a missing or cut-short file is never opened (H2 would start anew over it).
            DatabaseMarker.checkBeforeOpening(dataDir);
        }
        Path out = r.out().toAbsolutePath();
        if (Files.isDirectory(out)) {
            throw new BackupException(out + " is a directory: give --out the name of the file to write, e.g. " + out.resolve(
                    "drawbridge.backup") + ".");
        }
        try (AtomicOutput file = AtomicOutput.create(out)) {
            try (ArchiveWriter archive = new ArchiveWriter(Envelope.seal(file.stream(), passphrase, r.kdf()), manifest)) {
                for (String k : keys) {
                    try (InputStream in = read(dataDir.resolve(k))) {
                        archive.file(k, in);
                    } catch (AtomicOutput.WriteFailure e) {
                        throw e;
                    } catch (IOException e) {
                        throw new BackupException("cannot read " + dataDir.resolve(k) + " (" + Failures.reason(e) + "): nothing was"
                                + " written.", e);
                    }
                }
                if (online.isPresent()) {
                    fromRunningServer(dataDir, online.get(), archive);
                } else if (how == Manifest.Consistency.OFFLINE) {
                    fromStoppedServer(dataDir, archive);
                }
            }
            file.commit();
            return new Result(manifest, out, Files.size(out), DataDirFiles.leftOut(dataDir));
        } catch (AtomicOutput.WriteFailure e) {
            throw new BackupException("cannot write the backup to " + out + " (" + Failures.reason(e) + "): nothing was written.", e);
        } catch (IOException e) {
            throw new BackupException("cannot write the backup to " + out + " (" + Failures.reason(e) + "): nothing was written; choose"
                    + " a folder this user can write with --out.", e);
        }
    }

    private static boolean running(Path dataDir) throws BackupException {
        try {
            return LocalControl.isRunning(dataDir);
        } catch (IOException e) {
            throw new BackupException("cannot tell whether a server runs on " + dataDir + " (" + Failures.reason(e) + "): run the backup"
                    + " as the server's user (e.g. sudo -u drawbridge).", e);
        }
    }

    private static URI managementUrl(Path dataDir) throws BackupException {
        Optional<LocalControl.Endpoint> endpoint;
        try {
            endpoint = LocalControl.read(dataDir);
        } catch (IOException | IllegalArgumentException e) {
            throw new BackupException("the server runs on " + dataDir + " but its " + LocalControl.FILE + " file cannot be read ("
                    + Failures.reason(e instanceof IOException io ? io : new IOException(e.getMessage())) + "): run the backup as the"
                    + " server's user (e.g. sudo -u drawbridge).", e);
        }
        if (endpoint.isEmpty()) {
            throw new BackupException("the server runs on " + dataDir + " but has not written its " + LocalControl.FILE + " file (a version"
                    + " without online backups, or still starting): wait until it has started, or stop it for an offline backup.");
        }
        return endpoint.get().managementUrl().orElseThrow(() -> new BackupException("the server runs on " + dataDir + " without a"
                + " management listener (--management-port off), through which it gives its database to a backup: give it one"
                + " (the default, 127.0.0.1:8445), or stop it for an offline backup."));
    }

    private static InputStream read(Path file) throws BackupException {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new BackupException("cannot read " + file + " (" + Failures.reason(e) + "): run the backup as the server's user (e.g."
                    + " sudo -u drawbridge).", e);
        }
    }

    /** The running server's copy of its database, over its management listener. */
    private static void fromRunningServer(Path dataDir, URI management, ArchiveWriter archive) throws BackupException, IOException {
        String token;
        try {
            token = LocalControl.read(dataDir).orElseThrow().token();
        } catch (IOException | RuntimeException e) {
            throw new BackupException("the running server's " + LocalControl.FILE + " file went away: run the backup again.", e);
        }
        URI url = management.resolve(BackupRoute.PATH);
        HttpResponse<InputStream> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build()) {
            response = http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    String detail = new String(body.readNBytes(2048), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
                    throw new BackupException("the running server refused to copy its database (" + response.statusCode() + ": "
                            + detail + "): no backup was written.");
                }
                H2Copy.copy(body, archive, "the running server");
            } catch (AtomicOutput.WriteFailure e) {
                throw e;
            } catch (IOException e) {
                throw new BackupException("the running server stopped sending its database (" + Failures.reason(e) + "): no backup"
                        + " was written; run it again.", e);
            }
        } catch (ConnectException e) {
            throw new BackupException("the running server's management listener at " + management + " does not answer: check that the"
                    + " server has started; no backup was written.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("the backup was interrupted: no backup was written.", e);
        }
    }

    /** The stopped server's database, opened here (and so locked against a start meanwhile). */
    private static void fromStoppedServer(Path dataDir, ArchiveWriter archive) throws BackupException, IOException {
        Path dbFolder = dataDir.resolve("db");
        Path zip;
        try (Connection c = DriverManager.getConnection(Database.h2Url(dataDir) + ";IFEXISTS=TRUE", Database.H2_USER, "")) {
            zip = H2Copy.backup(c, dbFolder);
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_IN_USE) {
                throw new BackupException("the server started on " + dataDir + " while the backup began: run the backup again.", e);
            }
            if (e.getErrorCode() == H2_NOT_FOUND) {
                throw new BackupException("there is no database in " + dbFolder + " (the server never started there, or it uses"
                        + " PostgreSQL: then give --database-url).", e);
            }
            throw new BackupException("cannot open the database in " + dbFolder + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "): if it is damaged, restore an older backup.", e);
        }
        try (InputStream in = Files.newInputStream(zip)) {
            H2Copy.copy(in, archive, "the database " + dbFolder);
        } finally {
            Files.deleteIfExists(zip);
        }
    }
}
