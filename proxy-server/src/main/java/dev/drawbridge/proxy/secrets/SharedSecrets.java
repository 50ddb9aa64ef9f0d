package dev.drawbridge.proxy.secrets;

import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.proxy.update.UpdateKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cluster's shared secrets in the database (table {@code cluster_secret}), sealed with the {@link ClusterKey}:
 * <ul>
 *   <li>the first node, on an empty table, stores its own: the keys of its data directory (made there if it has none), so
 *       that a single PostgreSQL node turned into a cluster keeps its CAs, sessions and registered connectors; all rows in
 *       one transaction on a locked table, so two first nodes racing end with one set (the loser loads the winner's);</li>
 *   <li>every other node loads them and uses nothing of its data directory's keys; it notes in its data directory that it
 *       joined ({@link #joinedMarker}), and refuses to start, rather than make a new set, should it find the table empty.</li>
 * </ul>
 * A wrong key, a row that does not open (changed, or moved under another name) and a missing row stop the node with a
 * {@link ClusterKeyException}; nothing is written then. Only the node that stored the secrets hands out a new admin
 * credential.
 */
public final class SharedSecrets {
    static final String SERVER_CA = "server-ca";
    static final String CONNECTOR_CA = "connector-ca";
    static final String SIGNING_KEYS = "signing-keys";
    static final String SSO_SIGNING_KEYS = "sso-signing-keys";
    static final String ADMIN_TOKEN_HASH = "admin-token-hash";
    static final String DATA_KEY = "data-key";
    static final String UPDATE_SIGNING_KEY = "update-signing-key";
    static final List<String> NAMES = List.of(SERVER_CA, CONNECTOR_CA, SIGNING_KEYS, SSO_SIGNING_KEYS, ADMIN_TOKEN_HASH, DATA_KEY,
            UPDATE_SIGNING_KEY);
    /** How a message names the setting of the cluster key. */
    static final String SETTING = "--cluster-key-file or DRAWBRIDGE_CLUSTER_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(SharedSecrets.class);
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    private SharedSecrets() {
    }

    /**
     * This node's secrets: the cluster's from the database, or, on an empty table, this data directory's, stored there.
     *
     * @throws ClusterKeyException when the key is not the cluster's, or a row is damaged or missing
     */
    public static NodeSecrets load(Database db, ClusterKey key, Path dataDir, Clock clock) throws IOException {
        SharedSecretStore store = new SharedSecretStore(db);
        List<SharedSecretStore.Row> rows = store.all();
        Path joined = joinedMarker(dataDir);
        if (rows.isEmpty()) {
            if (Files.exists(joined)) {
                // A node that joined holds no key of its own: the set it would make would differ from every other node's,
                // and whatever the cluster's data key sealed in the database would no longer open.
                throw new ClusterKeyException("the table cluster_secret is empty, but this node loaded the cluster's shared secrets from it"
                        + " before: restore the table (or the database) from a backup taken with the cluster key; this node makes no new"
                        + " keys (to store its own data directory's keys as the cluster's on purpose, delete " + joined + ").");
            }
            NodeSecrets own = NodeSecrets.files(dataDir, clock);
            if (store.createIfEmpty(seal(own, key), clock.instant())) {
                LOG.info("stored this node's keys in the database as the cluster's shared secrets (cluster key {})", key.id());
                return own;
            }
            LOG.info("another node stored the cluster's shared secrets first: using those");
            rows = store.all();
        }
        NodeSecrets shared = open(rows, key, clock);
        // The public CA certificate beside the others' files, for operators and connectors' first contact.
        Path pki = SecretFiles.directory(dataDir.resolve("pki"));
        Files.writeString(pki.resolve("server-ca.pem"), Pem.encode(shared.keys().serverCa().certificate()));
        if (!Files.exists(joined)) {
            SecretFiles.directory(joined.getParent());
            SecretFiles.write(joined, key.id() + "\n");
        }
        return shared;
    }

    /**
     * The file a node that loaded the cluster's secrets (rather than storing its own) keeps in its data directory, so that it
     * never takes an emptied table for a new cluster's.
     */
    static Path joinedMarker(Path dataDir) {
        return dataDir.resolve("secrets").resolve("cluster-joined");
    }

    /**
     * Refuses a node without a cluster key on a database that holds a cluster's sealed secrets: it would start with the
     * keys of its own data directory, a second set of CAs and signing keys beside the cluster's.
     */
    public static void refuseWithoutKey(Database db) {
        if (!new SharedSecretStore(db).isEmpty()) {
            throw new ClusterKeyException("the database holds the shared secrets of a cluster, sealed with a cluster key, and this node"
                    + " has none: give it the cluster's key with " + SETTING + " (the same on every node).");
        }
    }

    static List<SharedSecretStore.Row> seal(NodeSecrets s, ClusterKey key) {
        Map<String, byte[]> plain = new LinkedHashMap<>();
        plain.put(SERVER_CA, SecretCodec.ca(s.keys().serverCa()));
        plain.put(CONNECTOR_CA, SecretCodec.ca(s.keys().connectorCa()));
        plain.put(SIGNING_KEYS, utf8(s.keys().signingKeys().toString(false)));
        plain.put(SSO_SIGNING_KEYS, utf8(s.keys().ssoSigningKeys().toString(false)));
        plain.put(ADMIN_TOKEN_HASH, utf8(HexFormat.of().formatHex(s.keys().adminTokenHash())));
        plain.put(DATA_KEY, s.dataKey().bytes());
        plain.put(UPDATE_SIGNING_KEY, utf8(s.updateKey().privateJwk()));
        List<SharedSecretStore.Row> rows = new ArrayList<>();
        plain.forEach((name, bytes) -> rows.add(new SharedSecretStore.Row(name, key.id(), key.seal(name, bytes))));
        return rows;
    }

    static NodeSecrets open(List<SharedSecretStore.Row> rows, ClusterKey key, Clock clock) {
        // The ids are the database's, written by whoever could write the table: only a key id's form is repeated to the operator.
        TreeSet<String> otherKeys = rows.stream().map(SharedSecretStore.Row::keyId).filter(id -> !id.equals(key.id()))
                .map(id -> KEY_ID.matcher(id).matches() ? id : "(not a key id)").collect(Collectors.toCollection(TreeSet::new));
        if (!otherKeys.isEmpty()) {
            throw new ClusterKeyException("the cluster key (" + SETTING + ") is not the one that sealed the shared secrets in the"
                    + " database (this key's id is " + key.id() + ", the database's " + String.join(", ", otherKeys) + "): give this node"
                    + " the cluster's key, the same on every node.");
        }
        Map<String, SharedSecretStore.Row> byName = rows.stream().collect(Collectors.toMap(SharedSecretStore.Row::name, Function.identity()));
        List<String> missing = NAMES.stream().filter(n -> !byName.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw damaged(String.join(", ", missing), "missing");
        }
        Map<String, byte[]> plain = new LinkedHashMap<>();
        for (String name : NAMES) {
            try {
                plain.put(name, key.open(name, byName.get(name).sealed()));
            } catch (GeneralSecurityException e) {
                throw damaged(name, "changed or moved: it does not open with the cluster key that sealed the others");
            }
        }
        String name = "";
        try {
            name = SERVER_CA;
            CertificateAuthority serverCa = SecretCodec.ca(plain.get(SERVER_CA), clock);
            name = CONNECTOR_CA;
            CertificateAuthority connectorCa = SecretCodec.ca(plain.get(CONNECTOR_CA), clock);
            name = SIGNING_KEYS;
            JWKSet signing = JWKSet.parse(text(plain.get(SIGNING_KEYS)));
            name = SSO_SIGNING_KEYS;
            JWKSet sso = JWKSet.parse(text(plain.get(SSO_SIGNING_KEYS)));
            name = ADMIN_TOKEN_HASH;
            byte[] adminHash = HexFormat.of().parseHex(text(plain.get(ADMIN_TOKEN_HASH)).strip());
            name = DATA_KEY;
            DataKey dataKey = DataKey.of(plain.get(DATA_KEY));
            name = UPDATE_SIGNING_KEY;
            UpdateKey updateKey = UpdateKey.fromPrivateJwk(text(plain.get(UPDATE_SIGNING_KEY)));
            return new NodeSecrets(ServerKeys.of(serverCa, connectorCa, signing, sso, adminHash, Optional.empty()), dataKey, updateKey);
        } catch (IOException | GeneralSecurityException | ParseException | RuntimeException e) {
            throw damaged(name, "unreadable although it opens with the cluster key");
        }
    }

    private static ClusterKeyException damaged(String names, String what) {
        return new ClusterKeyException("the cluster's shared secret " + names + " in the database (table cluster_secret) is " + what
                + ": restore the database from a backup taken with the same cluster key; the database was left as it is.");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
