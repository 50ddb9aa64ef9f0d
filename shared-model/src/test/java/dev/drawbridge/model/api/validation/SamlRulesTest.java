package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAML settings' rules: a typical service provider is accepted; each bad field is refused naming it under
 * {@code saml.}; the SP certificate is parsed (PEM or metadata base64) and its key must be strong; defaults follow the
 * NameID format.
 */
class SamlRulesTest {
    static final String SP = "https://hr.localhost:8443/mellon/metadata";
    static final String ACS = "https://hr.localhost:8443/mellon/postResponse";

    static String pem(String name) throws IOException {
        try (InputStream in = SamlRulesTest.class.getResourceAsStream(name + ".pem")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static List<String> fields(SamlSso s) {
        return SsoRules.check(new SsoSettings(SsoMethod.SAML, List.of(), null, s)).stream().map(FieldError::field).toList();
    }

    private static SamlSso with(String cert) {
        return new SamlSso(SP, ACS, cert, null, null, null, null, null, null);
    }

    @Test
    void aTypicalServiceProviderIsAccepted() throws IOException {
        assertThat(fields(new SamlSso(SP, ACS))).isEmpty();
        SamlSso full = new SamlSso("urn:example:sp", ACS, pem("sp-rsa2048"), SamlSso.NameIdFormat.EMAIL_ADDRESS, HeaderSource.EMAIL, null,
                List.of(SamlAttribute.of("email", HeaderSource.EMAIL), SamlAttribute.of("groups", HeaderSource.GROUPS),
                        new SamlAttribute("urn:oid:2.5.4.11", HeaderSource.CLAIM, "department", SamlAttribute.NameFormat.URI)),
                SamlSso.Signing.BOTH, "https://hr.localhost:8443/secret/");
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.SAML, List.of(), null, full))).isEmpty();
        assertThat(fields(with(pem("sp-ec256")))).isEmpty();
    }

    @Test
    void methodSamlNeedsItsSettings() {
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.SAML, List.of(), null, null))).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("saml"))
                .satisfies(e -> assertThat(e.message()).contains("sp-metadata"));
    }

    @Test
    void entityIdsAreAbsoluteUrisWithoutSpaces() {
        for (String bad : Arrays.asList(null, "", "hr", "/mellon/metadata", "https://hr.example/ x", "urn:x\r\n", "x".repeat(2000) + ":y")) {
            assertThat(fields(new SamlSso(bad, ACS))).as(String.valueOf(bad)).containsExactly("saml.spEntityId");
        }
        assertThat(fields(new SamlSso("urn:oasis:example", ACS))).isEmpty();
    }

    @Test
    void acsUrlsAreHttpsWithAHostAndNoFragmentOrUserInfo() {
        for (String bad : Arrays.asList(null, "", "/mellon/postResponse", "http://hr.localhost/acs", "https:///acs",
                "https://hr.localhost/acs#x", "https://user@hr.localhost/acs", "https://hr.localhost/a b", "javascript:alert(1)",
                "https://hr.localhost")) {
            assertThat(fields(new SamlSso(SP, bad))).as(String.valueOf(bad)).containsExactly("saml.acsUrl");
        }
        assertThat(fields(new SamlSso(SP, "https://hr.localhost:8443/acs?x=1"))).isEmpty();
    }

    @Test
    void theSpCertificateIsParsedAndItsKeyMustBeStrong() throws IOException {
        String pem = pem("sp-rsa2048");
        String bare = pem.replaceAll("-----[A-Z ]+-----|\\s", "");
        assertThat(fields(with(bare))).as("the base64 of metadata").isEmpty();
        assertThat(SamlRules.certificate(bare)).isEqualTo(SamlRules.certificate(pem)).isPresent();
        for (String bad : List.of("", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                pem + pem, bare.substring(0, bare.length() / 2), "A".repeat(SamlRules.MAX_CERTIFICATE + 1))) {
            assertThat(fields(with(bad))).as(bad.length() > 40 ? bad.substring(0, 40) : bad).containsExactly("saml.spCertificate");
        }
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.SAML, List.of(), null, with(pem("sp-rsa1024"))))).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("too weak"));
        assertThat(fields(with(pem("sp-dsa")))).containsExactly("saml.spCertificate");
    }

    @Test
    void theNameIdSourceFollowsTheFormatAndClaimsGoWithClaim() {
        assertThat(new SamlSso(SP, ACS).nameIdSource()).isEqualTo(HeaderSource.UPN);
        assertThat(new SamlSso(SP, ACS, null, SamlSso.NameIdFormat.EMAIL_ADDRESS, null, null, null, null, null).nameIdSource())
                .isEqualTo(HeaderSource.EMAIL);
        assertThat(new SamlSso(SP, ACS, null, SamlSso.NameIdFormat.PERSISTENT, null, null, null, null, null).nameIdSource())
                .isEqualTo(HeaderSource.OBJECT_ID);
        SamlSso transientId = new SamlSso(SP, ACS, null, SamlSso.NameIdFormat.TRANSIENT, null, null, null, null, null);
        assertThat(transientId.nameIdSource()).isNull();
        assertThat(fields(transientId)).isEmpty();
        assertThat(fields(new SamlSso(SP, ACS, null, SamlSso.NameIdFormat.TRANSIENT, HeaderSource.UPN, null, null, null, null)))
                .containsExactly("saml.nameIdSource");
        assertThat(fields(new SamlSso(SP, ACS, null, null, HeaderSource.GROUPS, null, null, null, null))).containsExactly("saml.nameIdSource");
        assertThat(fields(new SamlSso(SP, ACS, null, null, HeaderSource.CLAIM, null, null, null, null))).containsExactly("saml.nameIdClaim");
        assertThat(fields(new SamlSso(SP, ACS, null, null, HeaderSource.CLAIM, "employeeId", null, null, null))).isEmpty();
        assertThat(fields(new SamlSso(SP, ACS, null, null, HeaderSource.UPN, "employeeId", null, null, null))).containsExactly("saml.nameIdClaim");
        assertThat(new SamlSso(SP, ACS).signing()).isEqualTo(SamlSso.Signing.ASSERTION);
        assertThat(SamlSso.Signing.BOTH.signsAssertion() && SamlSso.Signing.BOTH.signsResponse()).isTrue();
        assertThat(SamlSso.Signing.RESPONSE.signsAssertion()).isFalse();
    }

    @Test
    void attributesAreNamedOnceAndCarryASource() {
        List<SamlAttribute> bad = new ArrayList<>();
        bad.add(SamlAttribute.of("email", HeaderSource.EMAIL));
        bad.add(SamlAttribute.of("email", HeaderSource.UPN));
        bad.add(null);
        bad.add(SamlAttribute.of("", HeaderSource.UPN));
        bad.add(SamlAttribute.of("x\ny", HeaderSource.UPN));
        bad.add(new SamlAttribute("dept", HeaderSource.CLAIM, null, null));
        bad.add(new SamlAttribute("upn", HeaderSource.UPN, "department", null));
        bad.add(new SamlAttribute("nothing", null, null, null));
        assertThat(fields(new SamlSso(SP, ACS, null, null, null, null, bad, null, null))).containsExactly("saml.attributes[1].name",
                "saml.attributes[2]", "saml.attributes[3].name", "saml.attributes[4].name", "saml.attributes[5].claim",
                "saml.attributes[6].claim", "saml.attributes[7].source");
        List<SamlAttribute> many = new ArrayList<>();
        for (int i = 0; i <= SamlRules.MAX_ATTRIBUTES; i++) {
            many.add(SamlAttribute.of("a" + i, HeaderSource.UPN));
        }
        assertThat(fields(new SamlSso(SP, ACS, null, null, null, null, many, null, null))).containsExactly("saml.attributes");
        assertThat(SamlAttribute.of("a", HeaderSource.UPN).nameFormat()).isEqualTo(SamlAttribute.NameFormat.UNSPECIFIED);
    }

    @Test
    void relayStateIsAtMostEightyBytes() {
        assertThat(fields(new SamlSso(SP, ACS, null, null, null, null, null, null, "x".repeat(80)))).isEmpty();
        for (String bad : List.of("", "x".repeat(81), "é".repeat(41), "/a\r\nb")) {
            assertThat(fields(new SamlSso(SP, ACS, null, null, null, null, null, null, bad))).as(bad).containsExactly("saml.relayState");
        }
    }

    @Test
    void samlSettingsGoOnlyWithMethodSaml() {
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.NONE, List.of(), null, new SamlSso(SP, ACS))))
                .extracting(FieldError::field).containsExactly("saml");
    }
}
