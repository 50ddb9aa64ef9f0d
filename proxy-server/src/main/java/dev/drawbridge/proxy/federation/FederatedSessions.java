package dev.drawbridge.proxy.federation;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.validation.IdentityProviderRules;

import java.util.List;
import java.util.Optional;

/**
 * Which provider a federated session came from, and whether an app takes it. A federated sign-in's {@code amr} is
 * {@code ["fed", "idp:<provider id>"]}; a session carries it (and the codes and app sessions made from it), so an app
 * that offers only some providers ({@link AccessSettings#identityProviders}) does not take a session that another
 * provider vouched for when the browser comes back signed in. A federated session of an earlier version (plain
 * {@code fed}) came from the provider {@code oidc}. Sessions of a password are taken by every app.
 */
public final class FederatedSessions {
    static final String PREFIX = "idp:";

    private FederatedSessions() {
    }

    /** The {@code amr} of a sign-in through {@code providerId}. */
    public static List<String> amr(String providerId) {
        return List.of(AuthMethod.FEDERATED.amr(), PREFIX + providerId);
    }

    /** The {@code amr} of a federated sign-in completed with a one-time code: fed, otp, and the provider. */
    public static List<String> withOneTimeCode(List<String> federated) {
        return List.of(AuthMethod.FEDERATED.amr(), AuthMethod.ONE_TIME_CODE.amr(), PREFIX + provider(federated).orElse(IdentityProviderRules.DEFAULT_ID));
    }

    /** The provider a session of {@code amr} came from; empty for a session no provider vouched for. */
    public static Optional<String> provider(List<String> amr) {
        if (!amr.contains(AuthMethod.FEDERATED.amr())) {
            return Optional.empty();
        }
        return Optional.of(amr.stream().filter(a -> a.startsWith(PREFIX)).map(a -> a.substring(PREFIX.length())).findFirst()
                .orElse(IdentityProviderRules.DEFAULT_ID));
    }

    /** Whether an app of {@code access} takes a session of {@code amr}. */
    public static boolean allowedFor(AccessSettings access, List<String> amr) {
        return provider(amr).map(access::allowsIdentityProvider).orElse(true);
    }
}
