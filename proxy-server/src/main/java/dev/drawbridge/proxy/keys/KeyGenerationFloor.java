package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.proxy.store.SecretFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The highest signing key set generations this node has held, in {@code secrets/signing-key-generation} of its data
 * directory (beside {@code secrets/cluster-joined}; mode 0600, replaced whole by an atomic move). A node holding a set
 * refuses an older one read back from the store at runtime ({@link SigningKeySet#offer}); this file carries that refusal
 * over a restart: a node whose database (or key file) holds a lower generation than the one recorded refuses to start
 * ({@link KeyGenerationException}), since an older row put back brings back keys a rotation or a retirement removed, a
 * leaked one among them. Only an operator deleting the file accepts the older generation (a database restored from a
 * backup on purpose).
 */
public final class KeyGenerationFloor {
    /** The file's name in the data directory's {@code secrets} folder. */
    public static final String FILE = "signing-key-generation";
    private static final Pattern FORM = Pattern.compile("signing (\\d{1,18})\\nsso (\\d{1,18})\\n?");

    /** The two sets' generations. */
    public record Generations(long signing, long sso) {
        public Generations {
            if (signing < 0 || sso < 0) {
                throw new IllegalArgumentException("a generation is never negative");
            }
        }

        /** Those of the two sets. */
        public static Generations of(JWKSet signing, JWKSet sso) {
            return new Generations(KeyLifecycle.generation(signing), KeyLifecycle.generation(sso));
        }

        boolean below(Generations other) {
            return signing < other.signing || sso < other.sso;
        }

        Generations max(Generations other) {
            return new Generations(Math.max(signing, other.signing), Math.max(sso, other.sso));
        }

        @Override
        public String toString() {
            return "signing " + signing + ", sso " + sso;
        }
    }

    private final Path file;

    public KeyGenerationFloor(Path dataDir) {
        this.file = dataDir.resolve("secrets").resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /**
     * The generations recorded, if any.
     *
     * @throws KeyGenerationException when the file is there but not in its form (it is never guessed at)
     */
    public synchronized Optional<Generations> recorded() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(Files.readString(file));
        if (!m.matches()) {
            throw new KeyGenerationException("the file " + file + " (the highest signing key generations this node held) is damaged:"
                    + " restore it, or delete it to accept the generations the key store holds now.");
        }
        return Optional.of(new Generations(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    }

    /**
     * Refuses {@code loaded} (the sets a starting node read from its store) when either is older than recorded, then records
     * them if they are higher.
     *
     * @throws KeyGenerationException when a set is older than this node held before
     */
    public synchronized void admit(Generations loaded) throws IOException {
        Optional<Generations> had = recorded();
        if (had.isPresent() && loaded.below(had.get())) {
            throw new KeyGenerationException("the signing key sets the key store holds are older (generations " + loaded + ") than this"
                    + " node held before (" + had.get() + ", recorded in " + file + "): an earlier copy of the keys was put back, which"
                    + " would bring back keys a rotation or a retirement removed. Restore the newer keys; or, if the database was"
                    + " restored from a backup on purpose, delete " + file + " and start again, then rotate the keys.");
        }
        raise(loaded);
    }

    /** Records {@code held} where it is higher than what the file holds (never lowers it). */
    public synchronized void raise(Generations held) throws IOException {
        Optional<Generations> had = recorded();
        Generations next = had.map(h -> h.max(held)).orElse(held);
        if (had.isEmpty() || !had.get().equals(next)) {
            SecretFiles.directory(file.getParent());
            SecretFiles.write(file, "signing " + next.signing() + "\nsso " + next.sso() + "\n");
        }
    }
}
