package dev.drawbridge.proxy.pki;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves {@link ServerKeys#loadOrCreate}: the first start creates the key material as owner-only files, later
 * starts load the very same CAs, signing keys and admin-token hash, the clear admin token is handed out only on
 * the first start, and {@code isAdminToken} accepts exactly that token.
 */
class ServerKeysTest {
    private static final List<String> SECRET_FILES = List.of("pki/server-ca.p12", "pki/connector-ca.p12",
            "secrets/keystore-password", "secrets/signing-keys.jwks", "secrets/admin-token.sha256");

    @TempDir
    Path dataDir;

    @Test
    void firstStartCreatesOwnerOnlyFiles() throws Exception {
        ServerKeys.loadOrCreate(dataDir, CertificateAuthorityTest.CLOCK);
        for (String f : SECRET_FILES) {
            assertThat(dataDir.resolve(f)).as(f).isRegularFile().isNotEmptyFile();
        }
        assertThat(dataDir.resolve("pki/server-ca.pem")).isRegularFile();
        try (Stream<Path> all = Files.walk(dataDir)) {
            assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(".tmp"));
        }
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        for (String f : SECRET_FILES) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        for (String d : List.of("pki", "secrets")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(d)))).as(d).isEqualTo("rwx------");
        }
    }

    @Test
    void secondStartLoadsTheSameMaterialAndHandsOutNoNewToken() throws Exception {
        ServerKeys first = ServerKeys.loadOrCreate(dataDir, CertificateAuthorityTest.CLOCK);
        ServerKeys second = ServerKeys.loadOrCreate(dataDir, CertificateAuthorityTest.CLOCK);

        assertThat(first.newAdminToken()).isPresent();
        assertThat(second.newAdminToken()).isEmpty();
        String token = first.newAdminToken().orElseThrow();
        assertThat(token).startsWith("dbadm_");
        assertThat(second.isAdminToken(token)).as("the persisted hash accepts the first token").isTrue();

        assertThat(second.serverCa().certificate()).isEqualTo(first.serverCa().certificate());
        assertThat(second.serverCa().privateKey().getEncoded()).isEqualTo(first.serverCa().privateKey().getEncoded());
        assertThat(second.connectorCa().certificate()).isEqualTo(first.connectorCa().certificate());
        assertThat(second.connectorCa().certificate()).isNotEqualTo(first.serverCa().certificate());
        assertThat(second.keyStorePassword()).isEqualTo(first.keyStorePassword());
        assertThat(second.signingKeys().getKeys()).extracting(JWK::getKeyID)
                .containsExactlyElementsOf(first.signingKeys().getKeys().stream().map(JWK::getKeyID).toList());
        assertThat(second.signingKeys().getKeys().getFirst().isPrivate()).isTrue();
        assertThat(Files.readString(dataDir.resolve("pki/server-ca.pem"))).isEqualTo(Pem.encode(first.serverCa().certificate()));
    }

    @Test
    void adminTokenCheck() throws Exception {
        ServerKeys keys = ServerKeys.loadOrCreate(dataDir, CertificateAuthorityTest.CLOCK);
        String token = keys.newAdminToken().orElseThrow();
        assertThat(keys.isAdminToken(token)).isTrue();
        assertThat(keys.isAdminToken(token + "x")).isFalse();
        assertThat(keys.isAdminToken(token.substring(1))).isFalse();
        assertThat(keys.isAdminToken("")).isFalse();
        assertThat(keys.isAdminToken(null)).isFalse();
        assertThat(Files.readString(dataDir.resolve("secrets/admin-token.sha256"))).doesNotContain(token);
    }

    @Test
    void differentDataDirectoriesGetDifferentMaterial(@TempDir Path otherDir) throws Exception {
        ServerKeys a = ServerKeys.loadOrCreate(dataDir, CertificateAuthorityTest.CLOCK);
        ServerKeys b = ServerKeys.loadOrCreate(otherDir, CertificateAuthorityTest.CLOCK);
        assertThat(a.serverCa().certificate()).isNotEqualTo(b.serverCa().certificate());
        assertThat(a.newAdminToken()).isNotEqualTo(b.newAdminToken());
        assertThat(b.isAdminToken(a.newAdminToken().orElseThrow())).isFalse();
    }

    @Test
    void keyStorePasswordIsACopy() throws Exception {
        ServerKeys keys = ServerKeys.loadOrCreate(dataDir, CertificateAuthorityTest.CLOCK);
        char[] p = keys.keyStorePassword();
        char[] original = p.clone();
        Arrays.fill(p, 'x');
        assertThat(keys.keyStorePassword()).isEqualTo(original);
    }
}
