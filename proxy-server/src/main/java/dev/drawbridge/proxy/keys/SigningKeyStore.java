package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where a node's two signing key sets are kept: the data directory's files ({@link FileSigningKeys}, one node) or the
 * cluster's sealed rows in the database ({@code dev.drawbridge.proxy.secrets.SharedSigningKeys}).
 */
public interface SigningKeyStore {
    /** Both sets. */
    record Sets(JWKSet signing, JWKSet sso) {
        public Sets {
            Objects.requireNonNull(signing);
            Objects.requireNonNull(sso);
        }
    }

    /** The sets as stored now. */
    Sets load() throws IOException;

    /**
     * Replaces both sets with what {@code signing} and {@code sso} make of the stored ones, as one change against any
     * other rotation (of this node or another): a rotation never starts from a set another one is replacing, so no key that
     * signed anything is lost. Returns the sets stored.
     */
    Sets update(UnaryOperator<JWKSet> signing, UnaryOperator<JWKSet> sso) throws IOException;
}
