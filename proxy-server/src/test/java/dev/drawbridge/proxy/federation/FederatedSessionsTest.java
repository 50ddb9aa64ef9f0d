package dev.drawbridge.proxy.federation;

import dev.drawbridge.model.api.AccessSettings;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which sessions an app that offers only some providers takes: a password session always; a federated one only from a
 * provider it offers, whatever else the amr says (one time code, or a marker that does not name the app's provider); a
 * federated session of an earlier version (plain fed) as provider oidc's. Every app takes every session when it offers
 * every provider.
 */
class FederatedSessionsTest {
    static final AccessSettings CORP_ONLY = new AccessSettings(false, true, true, false, List.of("corp"));
    static final AccessSettings OIDC_ONLY = new AccessSettings(false, true, true, false, List.of("oidc"));

    @Test
    void anAppTakesOnlySessionsOfTheProvidersItOffers() {
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, FederatedSessions.amr("corp"))).isTrue();
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, FederatedSessions.withOneTimeCode(FederatedSessions.amr("corp")))).isTrue();
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, FederatedSessions.amr("partner"))).isFalse();
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, FederatedSessions.withOneTimeCode(FederatedSessions.amr("partner")))).isFalse();
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, List.of("fed"))).isFalse();
        assertThat(FederatedSessions.allowedFor(OIDC_ONLY, List.of("fed", "otp"))).isTrue();
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, List.of("pwd"))).isTrue();
        assertThat(FederatedSessions.allowedFor(CORP_ONLY, List.of("pwd", "otp"))).isTrue();
        assertThat(FederatedSessions.allowedFor(AccessSettings.DEFAULTS, FederatedSessions.amr("partner"))).isTrue();
        assertThat(FederatedSessions.withOneTimeCode(FederatedSessions.amr("partner"))).containsExactly("fed", "otp", "idp:partner");
    }
}
