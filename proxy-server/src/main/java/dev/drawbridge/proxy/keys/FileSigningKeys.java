package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.proxy.store.SecretFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.function.UnaryOperator;

/**
 * The signing key sets of one node: {@code secrets/signing-keys.jwks} and {@code secrets/sso-signing-keys.jwks} in its data
 * directory (mode 0600), each replaced whole by an atomic move, so a crash leaves the old file or the new one. Rotations of
 * this process are serialized here (one server runs on a data directory).
 */
public final class FileSigningKeys implements SigningKeyStore {
    private final Path signing;
    private final Path sso;

    public FileSigningKeys(Path dataDir) {
        this.signing = dataDir.resolve("secrets").resolve("signing-keys.jwks");
        this.sso = dataDir.resolve("secrets").resolve("sso-signing-keys.jwks");
    }

    @Override
    public synchronized Sets load() throws IOException {
        return new Sets(read(signing), read(sso));
    }

    @Override
    public synchronized Sets update(UnaryOperator<JWKSet> signingChange, UnaryOperator<JWKSet> ssoChange) throws IOException {
        Sets before = load();
        Sets after = new Sets(signingChange.apply(before.signing()), ssoChange.apply(before.sso()));
        SecretFiles.write(signing, after.signing().toString(false));
        SecretFiles.write(sso, after.sso().toString(false));
        return after;
    }

    private static JWKSet read(Path file) throws IOException {
        try {
            return JWKSet.parse(Files.readString(file));
        } catch (ParseException e) {
            throw new IOException("the signing key set " + file + " does not parse: " + e.getMessage(), e);
        }
    }
}
