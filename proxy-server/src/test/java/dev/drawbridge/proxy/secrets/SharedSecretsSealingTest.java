package dev.drawbridge.proxy.secrets;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SharedSecrets#seal} and {@link SharedSecrets#open} without a database: a node's secrets come back whole; a wrong
 * key, rows swapped between names, a changed row and a missing one are each refused with the sentence that says which.
 */
class SharedSecretsSealingTest {
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    static Path dir;
    /** One node's secrets for every test: making its CAs takes seconds. */
    private static NodeSecrets own;

    @BeforeAll
    static void makeKeys() throws Exception {
        own = NodeSecrets.files(dir, CLOCK);
    }

    @Test
    void sealedSecretsOpenWhole() throws Exception {
        ClusterKey key = ClusterKey.generate();
        List<SharedSecretStore.Row> rows = SharedSecrets.seal(own, key);
        assertThat(rows).extracting(SharedSecretStore.Row::name).containsExactlyElementsOf(SharedSecrets.NAMES);

        NodeSecrets opened = SharedSecrets.open(rows, key, CLOCK);

        assertThat(opened.keys().serverCa().certificate()).isEqualTo(own.keys().serverCa().certificate());
        assertThat(opened.keys().serverCa().privateKey().getEncoded()).isEqualTo(own.keys().serverCa().privateKey().getEncoded());
        assertThat(opened.keys().connectorCa().certificate()).isEqualTo(own.keys().connectorCa().certificate());
        assertThat(opened.keys().signingKeys().getKeys()).extracting(JWK::toJSONString)
                .containsExactlyElementsOf(own.keys().signingKeys().getKeys().stream().map(JWK::toJSONString).toList());
        assertThat(opened.keys().ssoSigningKeys().getKeys().getFirst().isPrivate()).isTrue();
        assertThat(opened.keys().adminTokenHash()).isEqualTo(own.keys().adminTokenHash());
        assertThat(opened.keys().isAdminToken(own.keys().newAdminToken().orElseThrow())).isTrue();
        assertThat(opened.keys().newAdminToken()).as("only the node that made the credential shows it").isEmpty();
        assertThat(opened.dataKey().decrypt(own.dataKey().encrypt("vaulted"))).isEqualTo("vaulted");
        assertThat(opened.updateKey().privateJwk()).isEqualTo(own.updateKey().privateJwk());
    }

    @Test
    void anotherKeyIsNamedAsTheWrongKey() throws Exception {
        ClusterKey key = ClusterKey.generate();
        List<SharedSecretStore.Row> rows = SharedSecrets.seal(own, key);
        ClusterKey other = ClusterKey.generate();

        assertThatThrownBy(() -> SharedSecrets.open(rows, other, CLOCK)).isInstanceOf(ClusterKeyException.class)
                .hasMessageStartingWith("the cluster key (--cluster-key-file or DRAWBRIDGE_CLUSTER_KEY) is not the one that sealed")
                .hasMessageContaining(other.id()).hasMessageContaining(key.id())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key.text().substring(6)).doesNotContain(other.text().substring(6)));
    }

    @Test
    void rowsSwappedBetweenNamesDoNotOpen() throws Exception {
        ClusterKey key = ClusterKey.generate();
        List<SharedSecretStore.Row> rows = new ArrayList<>(SharedSecrets.seal(own, key));
        int server = SharedSecrets.NAMES.indexOf(SharedSecrets.SERVER_CA), connector = SharedSecrets.NAMES.indexOf(SharedSecrets.CONNECTOR_CA);
        SharedSecretStore.Row s = rows.get(server), c = rows.get(connector);
        // An attacker with write access to the table gives the connector CA's sealed key the server CA's name: refused.
        rows.set(server, new SharedSecretStore.Row(s.name(), s.keyId(), c.sealed()));
        rows.set(connector, new SharedSecretStore.Row(c.name(), c.keyId(), s.sealed()));

        assertThatThrownBy(() -> SharedSecrets.open(rows, key, CLOCK)).isInstanceOf(ClusterKeyException.class)
                .hasMessage("the cluster's shared secret server-ca in the database (table cluster_secret) is changed or moved: it does not open"
                        + " with the cluster key that sealed the others: restore the database from a backup taken with the same cluster key;"
                        + " the database was left as it is.");
    }

    @Test
    void aChangedOrMissingRowIsNamed() throws Exception {
        ClusterKey key = ClusterKey.generate();
        List<SharedSecretStore.Row> rows = new ArrayList<>(SharedSecrets.seal(own, key));
        int i = SharedSecrets.NAMES.indexOf(SharedSecrets.DATA_KEY);
        SharedSecretStore.Row d = rows.get(i);
        char[] sealed = d.sealed().toCharArray();
        sealed[20] = sealed[20] == 'A' ? 'B' : 'A';
        List<SharedSecretStore.Row> changed = new ArrayList<>(rows);
        changed.set(i, new SharedSecretStore.Row(d.name(), d.keyId(), new String(sealed)));
        assertThatThrownBy(() -> SharedSecrets.open(changed, key, CLOCK)).isInstanceOf(ClusterKeyException.class)
                .hasMessageStartingWith("the cluster's shared secret data-key in the database (table cluster_secret) is changed or moved");

        List<SharedSecretStore.Row> missing = new ArrayList<>(rows);
        missing.remove(i);
        assertThatThrownBy(() -> SharedSecrets.open(missing, key, CLOCK)).isInstanceOf(ClusterKeyException.class)
                .hasMessageStartingWith("the cluster's shared secret data-key in the database (table cluster_secret) is missing");
    }

    @Test
    void aKeyIdWrittenByAnotherIsNeverEchoedAsItIs() throws Exception {
        ClusterKey key = ClusterKey.generate();
        List<SharedSecretStore.Row> rows = new ArrayList<>(SharedSecrets.seal(own, key));
        // Whoever can write the table chooses the key id the refusal names: a line break forges a line of the journal.
        SharedSecretStore.Row r = rows.getFirst();
        rows.set(0, new SharedSecretStore.Row(r.name(), "ok\nFAKE: hi\u001b[2J", r.sealed()));

        assertThatThrownBy(() -> SharedSecrets.open(rows, key, CLOCK)).isInstanceOf(ClusterKeyException.class)
                .hasMessageStartingWith("the cluster key (--cluster-key-file or DRAWBRIDGE_CLUSTER_KEY) is not the one that sealed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "FAKE", "\u001b").contains("not a key id"));
    }
}
