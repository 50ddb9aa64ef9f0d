package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.proxy.cli.ServerCli;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.sso.IdentityTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The generation floor in the data directory: a node records the highest signing key generations it held; a restart on
 * older sets (a key file or database row put back) is refused with a message naming the file and the generations and no
 * key, and the server exits 2; a damaged record is refused, never guessed at; the record never goes down; a running node
 * refuses an older set read back and keeps its own.
 */
class KeyGenerationFloorTest {
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T12:00:00Z"));

    private SigningKeys node(Path dataDir) throws Exception {
        ServerKeys keys = ServerKeys.loadOrCreate(dataDir, clock);
        KeyGenerationFloor floor = new KeyGenerationFloor(dataDir);
        floor.admit(KeyGenerationFloor.Generations.of(keys.signingKeys(), keys.ssoSigningKeys()));
        return new SigningKeys(new FileSigningKeys(dataDir), new SigningKeySet(keys.signingKeys(), clock),
                new SigningKeySet(keys.ssoSigningKeys(), clock), set -> { }, new SigningKeys.Settings(Duration.ofSeconds(30),
                Duration.ofHours(8), IdentityTokens.LONGEST_ACCEPTED), floor);
    }

    @Test
    void aRestartOnKeysPutBackIsRefusedNamingTheFileAndTheGenerationsButNoKey() throws Exception {
        SigningKeys keys = node(dir);
        keys.rotate();
        Path signingFile = dir.resolve("secrets/signing-keys.jwks"), ssoFile = dir.resolve("secrets/sso-signing-keys.jwks");
        String signingGen1 = Files.readString(signingFile), ssoGen1 = Files.readString(ssoFile);
        clock.advance(Duration.ofMinutes(1));
        keys.rotate();
        Path record = dir.resolve("secrets").resolve(KeyGenerationFloor.FILE);
        assertThat(Files.readString(record)).isEqualTo("signing 2\nsso 2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record))).isEqualTo("rw-------");

        // Whoever can write the key store puts the generation-1 sets back; the running node keeps its own.
        Files.writeString(signingFile, signingGen1);
        Files.writeString(ssoFile, ssoGen1);
        keys.reload();
        assertThat(KeyLifecycle.generation(keys.signing().current())).isEqualTo(2);
        assertThat(Files.readString(record)).as("never lowered").isEqualTo("signing 2\nsso 2\n");

        // A restart: refused.
        assertThatThrownBy(() -> node(dir)).isInstanceOf(KeyGenerationException.class)
                .hasMessageContaining(record.toString()).hasMessageContaining("signing 1, sso 1").hasMessageContaining("signing 2, sso 2");
        // And through the server's command line: one sentence, exit 2, no key material.
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ServerCli.commandLine(new OptionDefaults(ServerCli.ENV_PREFIX, Map.of(), Optional.empty()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("serve", "--data-dir", dir.toString(), "--bind", "127.0.0.1", "--port", "0", "--tunnel-port", "0");
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ").contains(record.toString()).contains("signing 1, sso 1")
                .doesNotContain("Exception");
        JWKSet gen1 = JWKSet.parse(signingGen1);
        assertThat(err + out.toString()).doesNotContain(gen1.getKeys().getFirst().toECKey().getD().toString())
                .doesNotContain("\"d\"");

        // The operator who restored on purpose deletes the record: the node starts on the older sets.
        Files.delete(record);
        assertThat(KeyLifecycle.generation(node(dir).signing().current())).isEqualTo(1);
        assertThat(Files.readString(record)).isEqualTo("signing 1\nsso 1\n");
    }

    @Test
    void aDamagedRecordIsRefusedAndAHigherOneIsKept() throws Exception {
        KeyGenerationFloor floor = new KeyGenerationFloor(dir);
        assertThat(floor.recorded()).isEmpty();
        floor.admit(new KeyGenerationFloor.Generations(3, 2));
        floor.raise(new KeyGenerationFloor.Generations(1, 5));
        assertThat(floor.recorded()).contains(new KeyGenerationFloor.Generations(3, 5));
        assertThatThrownBy(() -> floor.admit(new KeyGenerationFloor.Generations(3, 4))).isInstanceOf(KeyGenerationException.class);
        floor.admit(new KeyGenerationFloor.Generations(4, 5));
        assertThat(floor.recorded()).contains(new KeyGenerationFloor.Generations(4, 5));

        Files.writeString(floor.file(), "signing 9\n");
        assertThatThrownBy(floor::recorded).isInstanceOf(KeyGenerationException.class).hasMessageContaining(floor.file().toString())
                .hasMessageContaining("damaged");
        Files.writeString(floor.file(), "signing -1\nsso 2\n");
        assertThatThrownBy(() -> floor.admit(new KeyGenerationFloor.Generations(9, 9))).isInstanceOf(KeyGenerationException.class);
    }
}
