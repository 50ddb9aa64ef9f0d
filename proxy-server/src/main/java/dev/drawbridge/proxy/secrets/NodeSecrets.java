package dev.drawbridge.proxy.secrets;

import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.update.UpdateKey;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The secrets a node runs with: its {@link ServerKeys} (CAs, signing keys, admin credential), the {@link DataKey} sealing
 * secrets in the database, and the connectors' {@link UpdateKey}. Either the files of its data directory ({@link #files}:
 * one node, as always) or a cluster's shared secrets ({@link SharedSecrets#load}).
 */
public record NodeSecrets(ServerKeys keys, DataKey dataKey, UpdateKey updateKey) {
    public NodeSecrets {
        Objects.requireNonNull(keys);
        Objects.requireNonNull(dataKey);
        Objects.requireNonNull(updateKey);
    }

    /** The files of {@code dataDir}, made there on the first start. */
    public static NodeSecrets files(Path dataDir, Clock clock) throws IOException {
        return new NodeSecrets(ServerKeys.loadOrCreate(dataDir, clock), DataKey.loadOrCreate(dataDir), UpdateKey.loadOrCreate(dataDir, clock));
    }
}
