package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SamlRules;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.proxy.apps.SsoJson;
import dev.drawbridge.proxy.pki.Pem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a SAML app's requests tell the connector: the method and the service provider only. The largest settings the
 * rules allow (a certificate, 50 attributes with long names) do not fit an OPEN's single sign-on instruction, and every
 * request to such an app failed before; trimmed, the instruction fits and the connector's rules accept it.
 */
class SamlInstructionTest {
    @Test
    void aSamlAppsInstructionNamesTheMethodAndTheServiceProviderOnly() {
        List<SamlAttribute> attributes = new ArrayList<>();
        for (int i = 0; i < SamlRules.MAX_ATTRIBUTES; i++) {
            attributes.add(new SamlAttribute("urn:example:attribute:" + i + ":" + "x".repeat(900), HeaderSource.CLAIM, "claim" + i,
                    SamlAttribute.NameFormat.URI));
        }
        SamlSso full = new SamlSso(Requests.SP, Requests.ACS, Pem.encode(IdpKeys.generate("sp", Instant.now()).certificate()),
                SamlSso.NameIdFormat.EMAIL_ADDRESS, null, null, attributes, SamlSso.Signing.BOTH, "https://hr.localhost:8443/");
        SsoSettings settings = new SsoSettings(SsoMethod.SAML, List.of(), null, full);
        assertThat(SsoRules.check(settings)).isEmpty();
        RequestHead head = new RequestHead("app1", "GET", "http://127.0.0.1:8080/", List.of(), Duration.ofSeconds(30), false, false);
        String whole = SsoJson.instruction(SsoInstruction.of(settings));
        assertThatThrownBy(() -> head.withSso(whole)).as("the whole settings do not fit an OPEN").isInstanceOf(IllegalArgumentException.class);

        SsoSettings sent = SsoJson.forConnector(settings);
        String instruction = SsoJson.instruction(SsoInstruction.of(sent));
        assertThat(head.withSso(instruction).sso()).contains(instruction);
        assertThat(instruction).contains(Requests.SP, Requests.ACS).doesNotContain("CERTIFICATE", "urn:example:attribute");
        assertThat(SsoRules.check(sent)).as("the connector's rules accept it").isEmpty();
        SsoSettings headers = SsoSettings.headers(List.of(HeaderRule.of("X-User", HeaderSource.UPN)));
        assertThat(SsoJson.forConnector(headers)).as("other methods go whole").isSameAs(headers);
    }
}
