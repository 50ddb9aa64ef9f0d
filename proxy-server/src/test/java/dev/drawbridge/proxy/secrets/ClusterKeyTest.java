package dev.drawbridge.proxy.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ClusterKey}: what it seals opens only under the same key and the same name, and not once a byte changed; the key
 * text is parsed strictly and never repeated in a message, nor in {@code toString}.
 */
class ClusterKeyTest {
    private static final byte[] SECRET = "the server CA's private key".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void whatIsSealedOpensUnderTheSameKeyAndNameOnly() throws Exception {
        ClusterKey key = ClusterKey.generate();
        String sealed = key.seal("server-ca", SECRET);

        assertThat(key.open("server-ca", sealed)).isEqualTo(SECRET);
        assertThat(ClusterKey.parse(key.text(), "test").open("server-ca", sealed)).as("the same key read back from its text").isEqualTo(SECRET);
        assertThatThrownBy(() -> ClusterKey.generate().open("server-ca", sealed)).as("another key").isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> key.open("connector-ca", sealed)).as("the row moved under another name")
                .isInstanceOf(GeneralSecurityException.class);
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("private key");
    }

    @Test
    void everyChangedByteIsRefused() {
        ClusterKey key = ClusterKey.generate();
        byte[] sealed = Base64.getDecoder().decode(key.seal("data-key", SECRET));
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            String t = Base64.getEncoder().encodeToString(tampered);
            int at = i;
            assertThatThrownBy(() -> key.open("data-key", t)).as("byte %d flipped", at).isInstanceOf(GeneralSecurityException.class);
        }
        byte[] cut = Arrays.copyOf(sealed, sealed.length - 1);
        assertThatThrownBy(() -> key.open("data-key", Base64.getEncoder().encodeToString(cut))).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> key.open("data-key", "not base64!")).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void twoSealsOfTheSameSecretDiffer() {
        ClusterKey key = ClusterKey.generate();
        assertThat(key.seal("x", SECRET)).isNotEqualTo(key.seal("x", SECRET));
    }

    @Test
    void theIdNamesTheKeyWithoutRevealingIt() {
        ClusterKey key = ClusterKey.generate();
        assertThat(key.id()).matches("[0-9a-f]{16}").isEqualTo(ClusterKey.parse(key.text(), "t").id())
                .isNotEqualTo(ClusterKey.generate().id());
        String body = key.text().substring(ClusterKey.PREFIX.length());
        assertThat(key.toString()).doesNotContain(body).contains(key.id());
    }

    @Test
    void aTextThatIsNoKeyIsRefusedNamingTheSettingNeverTheValue() {
        String almost = ClusterKey.generate().text();
        for (String bad : new String[]{"", "   ", "dbck1_short", almost.substring(1), "x" + almost.substring(1),
                almost.substring(0, 48) + "!", "hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-h"}) {
            assertThatThrownBy(() -> ClusterKey.parse(bad, "the environment variable DRAWBRIDGE_CLUSTER_KEY"))
                    .isInstanceOf(ClusterKeyException.class)
                    .hasMessageStartingWith("the environment variable DRAWBRIDGE_CLUSTER_KEY ")
                    .satisfies(e -> {
                        if (!bad.isBlank()) {
                            assertThat(e.getMessage()).doesNotContain(bad.strip());
                        }
                    });
        }
        assertThat(ClusterKey.parse("  " + almost + "\n", "t").text()).isEqualTo(almost);
    }

    @Test
    void aNewKeyFileIsOwnerOnlyAndNeverOverwritten() throws Exception {
        Path file = dir.resolve("cluster.key");
        ClusterKey key = ClusterKey.generate();
        key.writeNew(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(ClusterKey.read(file, "--cluster-key-file").sameAs(key)).isTrue();
        assertThatThrownBy(() -> ClusterKey.generate().writeNew(file)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(ClusterKey.read(file, "--cluster-key-file").sameAs(key)).as("left as it was").isTrue();
    }

    @Test
    void aSymbolicLinkAtTheTargetIsNeverFollowed() throws Exception {
        // Another user of a shared folder plants a link to a file of theirs (or to where they would like one made).
        Path theirs = dir.resolve("theirs");
        Files.writeString(theirs, "");
        Path link = Files.createSymbolicLink(dir.resolve("cluster.key"), theirs);
        assertThatThrownBy(() -> ClusterKey.generate().writeNew(link)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(theirs)).isEmpty();

        Path dangling = Files.createSymbolicLink(dir.resolve("other.key"), dir.resolve("made-by-the-link"));
        assertThatThrownBy(() -> ClusterKey.generate().writeNew(dangling)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(dir.resolve("made-by-the-link")).doesNotExist();
    }

    @Test
    void aFileWithABomOrOtherBytesIsNoKeyAndNotUnreadable() throws Exception {
        String text = ClusterKey.generate().text();
        Path bom = dir.resolve("bom.key");
        Files.write(bom, ("\uFEFF" + text + "\n").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ClusterKey.read(bom, "--cluster-key-file")).isInstanceOf(ClusterKeyException.class)
                .hasMessageStartingWith("the cluster key file " + bom + " (--cluster-key-file) does not hold a cluster key")
                .hasMessageNotContaining(text.substring(ClusterKey.PREFIX.length()));
    }

    @Test
    void anUnreadableOrMissingFileIsNamed() {
        assertThatThrownBy(() -> ClusterKey.read(dir.resolve("none"), "--cluster-key-file")).isInstanceOf(ClusterKeyException.class)
                .hasMessage("cannot read the cluster key file " + dir.resolve("none") + " (--cluster-key-file): there is no such file.");
    }
}
