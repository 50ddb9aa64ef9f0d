package dev.drawbridge.proxy.secrets;

import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.proxy.keys.SigningKeyStore;
import dev.drawbridge.proxy.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A cluster's two signing key sets in {@code cluster_secret} ({@value SharedSecrets#SIGNING_KEYS},
 * {@value SharedSecrets#SSO_SIGNING_KEYS}), sealed with the cluster key as at the first start (same key, same associated
 * data: the row's name). A rotation reads, opens, changes, seals and writes both rows in one transaction holding their row
 * locks, so two nodes rotating at once rotate one after the other; the rows' trigger ({@code db/postgresql/V50}) tells every
 * node at commit. A row that does not open with this node's key is never overwritten.
 */
public final class SharedSigningKeys implements SigningKeyStore {
    private static final List<String> NAMES = List.of(SharedSecrets.SIGNING_KEYS, SharedSecrets.SSO_SIGNING_KEYS);

    private final SharedSecretStore store;
    private final ClusterKey key;
    private final Clock clock;

    public SharedSigningKeys(Database db, ClusterKey key, Clock clock) {
        this.store = new SharedSecretStore(db);
        this.key = key;
        this.clock = clock;
    }

    @Override
    public Sets load() {
        Map<String, SharedSecretStore.Row> rows = new LinkedHashMap<>();
        store.all().stream().filter(r -> NAMES.contains(r.name())).forEach(r -> rows.put(r.name(), r));
        return open(rows);
    }

    @Override
    public Sets update(UnaryOperator<JWKSet> signing, UnaryOperator<JWKSet> sso) {
        Sets[] stored = new Sets[1];
        store.update(NAMES, rows -> {
            Sets before = open(rows);
            Sets after = new Sets(signing.apply(before.signing()), sso.apply(before.sso()));
            stored[0] = after;
            Map<String, SharedSecretStore.Row> sealed = new LinkedHashMap<>();
            sealed.put(SharedSecrets.SIGNING_KEYS, seal(SharedSecrets.SIGNING_KEYS, after.signing()));
            sealed.put(SharedSecrets.SSO_SIGNING_KEYS, seal(SharedSecrets.SSO_SIGNING_KEYS, after.sso()));
            return sealed;
        }, clock.instant());
        return stored[0];
    }

    private SharedSecretStore.Row seal(String name, JWKSet set) {
        return new SharedSecretStore.Row(name, key.id(), key.seal(name, set.toString(false).getBytes(StandardCharsets.UTF_8)));
    }

    private Sets open(Map<String, SharedSecretStore.Row> rows) {
        return new Sets(open(rows, SharedSecrets.SIGNING_KEYS), open(rows, SharedSecrets.SSO_SIGNING_KEYS));
    }

    private JWKSet open(Map<String, SharedSecretStore.Row> rows, String name) {
        SharedSecretStore.Row row = rows.get(name);
        if (row == null) {
            throw new ClusterKeyException("the cluster's shared secret " + name + " in the database (table cluster_secret) is missing");
        }
        try {
            return JWKSet.parse(new String(key.open(name, row.sealed()), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new ClusterKeyException("the cluster's shared secret " + name + " in the database (table cluster_secret) does not open"
                    + " with this node's cluster key (key id " + key.id() + "): changed, moved, or sealed with another key");
        } catch (ParseException e) {
            throw new ClusterKeyException("the cluster's shared secret " + name + " in the database (table cluster_secret) is unreadable"
                    + " although it opens with the cluster key");
        }
    }
}
