package dev.drawbridge.proxy.preauth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SAML responses Drawbridge's identity provider issued ({@code saml.SamlStore}), as the app host redeems them: a
 * browser that posts one to its app's ACS URL without an app session starts the session of the response's user
 * ({@link AcsSignIn}). Owned here and implemented by the saml feature, so that pre-authentication does not depend on it.
 */
public interface IssuedResponses {
    /** Nothing issued: no response is ever redeemed. */
    IssuedResponses NONE = (appId, samlResponse, now) -> Optional.empty();

    /**
     * The grant of the response {@code samlResponse} (its base64, as posted) issued for {@code appId}, redeemed now and
     * never again; empty when unknown, another app's, already redeemed or past its validity.
     */
    Optional<Grant> redeem(String appId, String samlResponse, Instant now);

    /**
     * The user the response {@code samlResponse} was issued to for {@code appId}, whether it was redeemed or not (until it
     * is purged after its validity); empty when unknown. A browser with another user's app session must not pass it on.
     */
    default Optional<String> issuedTo(String appId, String samlResponse) {
        return Optional.empty();
    }

    /** Whom a response signed in, and how and when they signed in. */
    record Grant(String userId, List<String> amr, Instant authTime) {
        public Grant {
            amr = List.copyOf(amr);
        }
    }
}
