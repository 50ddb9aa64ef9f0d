package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.SamlSso;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an AuthnRequest may ask of an app's identity provider, each check beside its passing twin: the app's service
 * provider only, its ACS URL only, HTTP-POST only, sent here (required when signed), fresh either side of now.
 */
class RequestChecksTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final String SSO = "https://login.localhost:8443/saml/app1/sso";
    static final SamlSso APP = new SamlSso(Requests.SP, Requests.ACS);

    static AuthnRequest request(String xml) throws SamlRefusal {
        return AuthnRequest.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static void passes(String xml, boolean signed, Instant now) {
        assertThatCode(() -> RequestChecks.check(request(xml), APP, SSO, signed, now)).doesNotThrowAnyException();
    }

    static void refused(String xml, boolean signed, Instant now, String reason) {
        assertThatThrownBy(() -> RequestChecks.check(request(xml), APP, SSO, signed, now)).isInstanceOf(SamlRefusal.class)
                .hasMessageContaining(reason);
    }

    @Test
    void onlyTheAppsServiceProviderAtItsOwnAcsUrl() {
        String ok = Requests.xml("_a", SSO, NOW);
        passes(ok, true, NOW);
        refused(ok.replace("<saml:Issuer>" + Requests.SP, "<saml:Issuer>https://evil.example/sp"), false, NOW, "another service provider than this app's");
        refused(ok.replace("AssertionConsumerServiceURL=\"" + Requests.ACS, "AssertionConsumerServiceURL=\"https://evil.example/acs"),
                false, NOW, "another address than this app's assertion consumer service");
        // Same origin, another path; and a prefix of it: not the ACS URL either.
        refused(ok.replace(Requests.ACS, Requests.ACS + "2"), false, NOW, "assertion consumer service");
        passes(ok.replace(" AssertionConsumerServiceURL=\"" + Requests.ACS + "\"", ""), false, NOW);
        passes(ok.replace("ForceAuthn", "ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" ForceAuthn"), false, NOW);
        refused(ok.replace("ForceAuthn", "ProtocolBinding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact\" ForceAuthn"), false, NOW,
                "another binding than HTTP-POST");
    }

    @Test
    void sentHereAndRequiredToSayItWhenSigned() {
        String ok = Requests.xml("_a", SSO, NOW);
        refused(ok.replace(SSO, "https://login.localhost:8443/saml/app2/sso"), false, NOW, "another identity provider than this one");
        String noDestination = ok.replace(" Destination=\"" + SSO + "\"", "");
        passes(noDestination, false, NOW);
        refused(noDestination, true, NOW, "must name its Destination");
    }

    @Test
    void freshEitherSideOfNow() {
        String ok = Requests.xml("_a", SSO, NOW);
        Duration skew = RequestChecks.SKEW;
        passes(ok, false, NOW.plus(skew));
        passes(ok, false, NOW.minus(skew));
        refused(ok, false, NOW.plus(skew).plusSeconds(1), "more than 5 minutes from now");
        refused(ok, false, NOW.minus(skew).minusSeconds(1), "more than 5 minutes from now");
    }
}
