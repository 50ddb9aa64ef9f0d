package dev.drawbridge.connector.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The connector's secret files (private key, certificate, server CA, identity properties) are 0600 from the moment they
 * exist, not created with the umask's mode and changed after (a file born 0644 can be opened by another user meanwhile,
 * who keeps reading it once the key is written), and the state folder is 0700.
 */
class ConnectorIdentityFileModesTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixAndAPermissiveUmask() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX file modes here");
        // Under a umask of 077 every file is born 0600 anyway, and the test would show nothing.
        Path plain = Files.createFile(dir.resolve("plain"));
        assumeTrue(!PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)).equals("rw-------"), "the umask is 077");
        Files.delete(plain);
    }

    @Test
    void aSecretFileIsBornOwnerOnly() throws Exception {
        Path file = dir.resolve("connector.key.tmp");
        ConnectorIdentity.createSecretFile(file);
        assertThat(Files.size(file)).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void everyFileOfASavedOrRenewedIdentityIsOwnerOnly() throws Exception {
        Path state = dir.resolve("state");
        identity().save(state);
        identity().saveRenewed(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> s = Files.list(state)) {
            files = s.toList();
        }
        assertThat(files.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("connector.key", "connector.crt",
                "server-ca.pem", "connector.properties", "connector.key.previous", "connector.crt.previous");
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as("%s", f.getFileName()).isEqualTo("rw-------");
        }
    }

    private static ConnectorIdentity identity() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=c1");
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TWO,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        return new ConnectorIdentity("c1", "https://admin.example.com", "wss://tunnel.example.com:8444/connector/v1/tunnel", kp.getPrivate(),
                cert, cert);
    }
}
