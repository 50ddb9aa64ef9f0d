package dev.drawbridge.proxy.backup;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The sealed archive ({@link Envelope} around {@link ArchiveWriter}/{@link ArchiveReader}): it opens with its passphrase
 * and gives back every file as written, across several AEAD segments; a wrong passphrase, a change to any byte of the
 * header, a change to the body anywhere, a cut at any length and bytes appended each give one sentence and no file.
 */
class SealedArchiveTest {
    private static final KdfParams CHEAP = new KdfParams(8 * 1024, 1, 1);
    private static final char[] PASSPHRASE = "a long enough passphrase".toCharArray();
    private static final byte[] BIG = new byte[3 * 1024 * 1024 + 17];
    private static byte[] sealed;

    @BeforeAll
    static void seal() throws Exception {
        new Random(7).nextBytes(BIG);
        Manifest m = new Manifest(Manifest.FORMAT, Instant.parse("2026-12-01T00:00:00Z"), "test", Manifest.Database.EMBEDDED,
                Manifest.Consistency.OFFLINE, List.of("pki/server-ca.p12", "secrets/data-key", Manifest.H2_FILE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArchiveWriter w = new ArchiveWriter(Envelope.seal(out, PASSPHRASE, CHEAP), m)) {
            w.file("pki/server-ca.p12", new ByteArrayInputStream("ca".getBytes()));
            w.file("secrets/data-key", new ByteArrayInputStream("key".getBytes()));
            w.file(Manifest.H2_FILE, new ByteArrayInputStream(BIG));
        }
        sealed = out.toByteArray();
    }

    private static Map<String, byte[]> open(byte[] file, char[] passphrase) throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(file)) {
            ArchiveReader.read(Envelope.open(in, passphrase, "b.backup"), "b.backup", (rel, content) -> {
                try {
                    files.put(rel, content.readAllBytes());
                } catch (IOException e) {
                    throw new ArchiveReader.DamagedException(e);
                }
            });
        }
        return files;
    }

    private static String refusal(byte[] file, char[] passphrase) {
        BackupException e = catchThrowableOfType(BackupException.class, () -> open(file, passphrase));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").endsWith(".");
        return e.getMessage();
    }

    @Test
    void itOpensWithItsPassphraseAndGivesBackEveryFile() throws Exception {
        Map<String, byte[]> files = open(sealed, PASSPHRASE);
        assertThat(files.keySet()).containsExactlyInAnyOrder("pki/server-ca.p12", "secrets/data-key", Manifest.H2_FILE);
        assertThat(files.get(Manifest.H2_FILE)).isEqualTo(BIG);
        assertThat(new String(files.get("secrets/data-key"))).isEqualTo("key");
        assertThat(sealed.length).as("three 1 MiB segments and more").isGreaterThan(3 * 1024 * 1024);
    }

    @Test
    void aWrongPassphraseIsOneSentence() {
        assertThat(refusal(sealed, "a long enough passphrasE".toCharArray())).startsWith("the passphrase does not open b.backup");
        assertThat(refusal(sealed, new char[0])).startsWith("the passphrase does not open b.backup");
    }

    @Test
    void everyByteOfTheHeaderIsAuthenticated() {
        for (int i = 0; i < Envelope.HEADER; i++) {
            byte[] t = sealed.clone();
            t[i] ^= 0x01;
            String why = refusal(t, PASSPHRASE);
            assertThat(why).as("byte " + i).containsAnyOf("is not a Drawbridge backup", "the passphrase does not open",
                    "header was modified", "backup of format");
        }
    }

    @Test
    void aChangeAnywhereInTheBodyIsFound() {
        int step = Math.max(1, (sealed.length - Envelope.HEADER) / 97);
        for (int i = Envelope.HEADER; i < sealed.length; i += step) {
            byte[] t = sealed.clone();
            t[i] ^= 0x40;
            assertThat(refusal(t, PASSPHRASE)).as("byte " + i).contains("is damaged or was modified");
        }
        byte[] last = sealed.clone();
        last[last.length - 1] ^= 0x01;
        assertThat(refusal(last, PASSPHRASE)).contains("is damaged or was modified");
    }

    @Test
    void aCutOrAnAdditionAtAnyLengthIsFound() {
        for (int length : new int[]{0, 5, Envelope.MAGIC.length, Envelope.HEADER - 1, Envelope.HEADER, Envelope.HEADER + 1,
                Envelope.HEADER + 40, 1024 * 1024, 1024 * 1024 + Envelope.HEADER + 40, sealed.length / 2, sealed.length - 17,
                sealed.length - 1}) {
            String why = refusal(Arrays.copyOf(sealed, length), PASSPHRASE);
            assertThat(why).as("cut at " + length).containsAnyOf("is not a Drawbridge backup", "is cut short", "is damaged or was modified");
        }
        for (int extra : new int[]{1, 16, 1024 * 1024}) {
            assertThat(refusal(Arrays.copyOf(sealed, sealed.length + extra), PASSPHRASE)).as("+" + extra)
                    .contains("is damaged or was modified");
        }
    }

    @Test
    void theHeaderRefusesCostsOutOfBoundsBeforeDerivingAnything() {
        assertThatThrownBy(() -> new KdfParams(1024 * 1024 + 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KdfParams(8 * 1024, 17, 1)).isInstanceOf(IllegalArgumentException.class);
        byte[] t = sealed.clone();
        int memory = Envelope.MAGIC.length + 2;
        t[memory] = 0x7f;
        assertThat(refusal(t, PASSPHRASE)).contains("header was modified or damaged").contains("outside 8 MiB to 256 MiB");
    }

    /**
     * A crafted header may ask at most four times the default cost in memory, passes and lanes: 1 GiB, 16 passes or 16
     * lanes (which the bounds once let through, to be derived before the passphrase check) are refused in one sentence,
     * before anything is derived; four times the default still opens.
     */
    @Test
    void aHeaderAskingMoreThanFourTimesTheDefaultCostIsRefused() throws Exception {
        int memory = Envelope.MAGIC.length + 2, iterations = memory + 4, lanes = memory + 8;
        Map<String, int[]> asks = new LinkedHashMap<>();
        asks.put("1 GiB", new int[]{memory, 1024 * 1024});
        asks.put("256 MiB + 1 KiB", new int[]{memory, 256 * 1024 + 1});
        asks.put("16 passes", new int[]{iterations, 16});
        asks.put("13 passes", new int[]{iterations, 13});
        asks.put("16 lanes", new int[]{lanes, 16});
        asks.put("5 lanes", new int[]{lanes, 5});
        for (Map.Entry<String, int[]> ask : asks.entrySet()) {
            byte[] t = sealed.clone();
            ByteBuffer.wrap(t).putInt(ask.getValue()[0], ask.getValue()[1]);
            // The header's costs are checked before the key derivation, which comes before the passphrase check.
            assertThat(refusal(t, PASSPHRASE)).as(ask.getKey()).contains("header was modified or damaged").contains("is outside")
                    .doesNotContain("\n");
        }
        KdfParams most = new KdfParams(256 * 1024, 12, 4);
        assertThat(most).isEqualTo(new KdfParams(4 * KdfParams.DEFAULT.memoryKib(), 4 * KdfParams.DEFAULT.iterations(),
                4 * KdfParams.DEFAULT.parallelism()));
    }
}
