package dev.drawbridge.proxy.federation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How ID tokens from the provider are checked: Nimbus's {@link IDTokenValidator} verifies the
 * signature with the provider's published keys, the issuer, the audience (our client id, and
 * {@code azp} when there are several), expiry and issue time (60 s of clock skew) and the nonce of
 * the sign-in. Only asymmetric signatures are accepted: unsigned tokens, and HMAC tokens (which
 * anyone knowing the client secret could mint), never are.
 */
final class IdTokens {
    private IdTokens() {
    }

    /** The provider's advertised ID token algorithms that we accept; RS256 (mandatory in OIDC) when it advertises none. */
    static Set<JWSAlgorithm> accepted(List<JWSAlgorithm> advertised) {
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (JWSAlgorithm a : advertised == null ? List.<JWSAlgorithm>of() : advertised) {
            if (JWSAlgorithm.Family.RSA.contains(a) || JWSAlgorithm.Family.EC.contains(a) || JWSAlgorithm.Family.ED.contains(a)) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            out.add(JWSAlgorithm.RS256);
        }
        return out;
    }

    static IDTokenValidator validator(String issuer, String clientId, Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
        return new IDTokenValidator(new Issuer(issuer), new ClientID(clientId), new JWSVerificationKeySelector<>(algorithms, keys), null);
    }
}
