package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.update.UpdateVersions;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.ConnectorUpdateRecord;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE_CHUNK;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE_ROLLOUT;

/**
 * Uploaded update bundles in the database (so that every node serves them): metadata, the signed manifest, and the bytes
 * in chunks of {@link #CHUNK} bytes, written and read one chunk at a time (a bundle is never whole in memory).
 */
public final class UpdateStore {
    /**
     * The size of one stored chunk of a bundle, 64 KiB: H2 2.5.252 fails to commit a transaction holding 1 MiB values while
     * other sessions write (MVStoreException "Reading from file ... failed", EOF: the uploads of AutoUpdateRolloutTest hit
     * it); 64 KiB and 256 KiB values do not.
     */
    static final int CHUNK = 64 << 10;
    /** Chunks read by one query when a bundle is sent. */
    static final int CHUNKS_PER_QUERY = 16;

    /** One stored bundle: what the admin API shows, and its signed manifest. */
    public record Bundle(ConnectorUpdateView view, String manifest) {
        public String version() {
            return view.version();
        }
    }

    private final DSLContext dsl;

    public UpdateStore(Database db) {
        this.dsl = db.dsl();
    }

    public boolean exists(String version) {
        return dsl.fetchExists(CONNECTOR_UPDATE, CONNECTOR_UPDATE.VERSION.eq(version));
    }

    /** Stores {@code bundle} with the bytes of {@code file}, in one transaction; a 409 when its version exists. */
    public void insert(Bundle bundle, Path file) throws ConflictException, IOException {
        ConnectorUpdateView v = bundle.view();
        try {
            dsl.transaction(cfg -> {
                DSLContext tx = DSL.using(cfg);
                tx.insertInto(CONNECTOR_UPDATE).set(CONNECTOR_UPDATE.VERSION, v.version()).set(CONNECTOR_UPDATE.SHA256, v.sha256())
                        .set(CONNECTOR_UPDATE.BUNDLE_SIZE, v.size()).set(CONNECTOR_UPDATE.MANIFEST, bundle.manifest())
                        .set(CONNECTOR_UPDATE.UPLOADED_AT, v.uploadedAt().atOffset(ZoneOffset.UTC))
                        .set(CONNECTOR_UPDATE.UPLOADED_BY, v.uploadedBy()).execute();
                try (InputStream in = Files.newInputStream(file)) {
                    int seq = 0;
                    byte[] chunk;
                    while ((chunk = in.readNBytes(CHUNK)).length > 0) {
                        tx.insertInto(CONNECTOR_UPDATE_CHUNK).set(CONNECTOR_UPDATE_CHUNK.VERSION, v.version())
                                .set(CONNECTOR_UPDATE_CHUNK.SEQ, seq++).set(CONNECTOR_UPDATE_CHUNK.DATA, chunk).execute();
                    }
                }
            });
        } catch (IntegrityConstraintViolationException e) {
            throw versionExists(v.version());
        }
    }

    static ConflictException versionExists(String version) {
        return new ConflictException("version", "version " + version + " is uploaded already; delete it first to replace it");
    }

    /** Every bundle, highest version first. */
    public List<Bundle> list() {
        return dsl.selectFrom(CONNECTOR_UPDATE).fetch().stream().map(UpdateStore::bundle)
                .sorted((a, b) -> UpdateVersions.ORDER.compare(b.version(), a.version())).toList();
    }

    public Optional<Bundle> find(String version) {
        return dsl.selectFrom(CONNECTOR_UPDATE).where(CONNECTOR_UPDATE.VERSION.eq(version)).fetchOptional().map(UpdateStore::bundle);
    }

    /** The highest uploaded version, if any. */
    public Optional<String> highest(DSLContext tx) {
        return tx.select(CONNECTOR_UPDATE.VERSION).from(CONNECTOR_UPDATE).fetch(CONNECTOR_UPDATE.VERSION).stream()
                .max(UpdateVersions.ORDER);
    }

    /** Writes the bundle's bytes to {@code out}, {@value #CHUNKS_PER_QUERY} chunks per query (at most 1 MiB held at once). */
    public void copy(String version, OutputStream out) throws IOException {
        int chunks = dsl.fetchCount(CONNECTOR_UPDATE_CHUNK, CONNECTOR_UPDATE_CHUNK.VERSION.eq(version));
        for (int first = 0; first < chunks; first += CHUNKS_PER_QUERY) {
            int expected = Math.min(CHUNKS_PER_QUERY, chunks - first);
            List<byte[]> batch = dsl.select(CONNECTOR_UPDATE_CHUNK.DATA).from(CONNECTOR_UPDATE_CHUNK)
                    .where(CONNECTOR_UPDATE_CHUNK.VERSION.eq(version)
                            .and(CONNECTOR_UPDATE_CHUNK.SEQ.between(first, first + expected - 1)))
                    .orderBy(CONNECTOR_UPDATE_CHUNK.SEQ).fetch(CONNECTOR_UPDATE_CHUNK.DATA);
            if (batch.size() != expected) {
                throw new IOException("bundle " + version + " was deleted while it was being sent");
            }
            for (byte[] data : batch) {
                out.write(data);
            }
        }
    }

    /**
     * Deletes a bundle unless a group pins it or a connector is updating to it (409). Every rollout row is locked first, so
     * that no turn can be granted to it meanwhile. False when there is no such bundle.
     */
    public boolean delete(String version) throws ConflictException {
        try {
            return dsl.transactionResult(cfg -> {
                DSLContext tx = DSL.using(cfg);
                tx.select(CONNECTOR_UPDATE_ROLLOUT.GROUP_ID).from(CONNECTOR_UPDATE_ROLLOUT).forUpdate().fetch();
                if (tx.fetchExists(CONNECTOR_UPDATE_ROLLOUT, CONNECTOR_UPDATE_ROLLOUT.PINNED_VERSION.eq(version))) {
                    throw new UncheckedConflict(new ConflictException("version", "version " + version
                            + " is pinned by a connector group; pin another version first"));
                }
                if (tx.fetchExists(CONNECTOR_UPDATE_ROLLOUT, CONNECTOR_UPDATE_ROLLOUT.UPDATING_TO.eq(version))) {
                    throw new UncheckedConflict(new ConflictException("version", "a connector is updating to version " + version
                            + " now; delete it when its update is over"));
                }
                return tx.deleteFrom(CONNECTOR_UPDATE).where(CONNECTOR_UPDATE.VERSION.eq(version)).execute() > 0;
            });
        } catch (UncheckedConflict e) {
            throw e.conflict;
        }
    }

    private static final class UncheckedConflict extends RuntimeException {
        private final ConflictException conflict;

        UncheckedConflict(ConflictException conflict) {
            super(conflict.getMessage(), null, false, false);
            this.conflict = conflict;
        }
    }

    private static Bundle bundle(ConnectorUpdateRecord r) {
        return new Bundle(new ConnectorUpdateView(r.getVersion(), r.getSha256(), r.getBundleSize(), r.getUploadedAt().toInstant(),
                r.getUploadedBy()), r.getManifest());
    }
}
