package dev.drawbridge.connector.sso;

import dev.drawbridge.model.sso.SsoIdentity;

import java.util.Objects;
import java.util.Optional;

/** What the connector knows about the user of one stream: a verified identity, none sent, or one refused (and why). */
public sealed interface Verification {
    /** No identity came with the stream (a passthrough app, or a proxy that sends none). */
    Verification ABSENT = new Absent();

    /** The identity, when verified. */
    default Optional<SsoIdentity> identity() {
        return Optional.empty();
    }

    /** Why no verified identity is there, for a refusal page and the log (never contains the token). */
    String reason();

    /** The proxy's signed identity, checked in full by {@link IdentityVerifier}. */
    record Verified(SsoIdentity user) implements Verification {
        public Verified {
            Objects.requireNonNull(user, "user");
        }

        @Override
        public Optional<SsoIdentity> identity() {
            return Optional.of(user);
        }

        @Override
        public String reason() {
            return "verified";
        }
    }

    /** No identity on the stream. */
    record Absent() implements Verification {
        @Override
        public String reason() {
            return "no identity came with the request";
        }
    }

    /** An identity came but failed verification. */
    record Refused(String reason) implements Verification {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
