package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SamlRules;
import dev.drawbridge.proxy.apps.PublishedApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Metadata both ways. The identity provider's: its entity id, the app's certificate, the NameID format, the
 * HTTP-Redirect single sign-on service and whether requests must be signed. A service provider's (what mod_auth_mellon
 * makes, and variants): read into settings, the signing certificate only when it signs its requests, one service
 * provider only, no DTD; the server's own checks: the ACS URL under the app's external URL, the external Host kept.
 */
class MetadataTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static String mellon;
    static IdpKeys.IdpKey key;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MetadataTest.class.getResourceAsStream("mellon-sp-metadata.xml")) {
            mellon = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        key = IdpKeys.generate("app1", NOW);
    }

    static PublishedApp app(String url, boolean translateHost, PreAuthentication preAuth) {
        URI u = URI.create(url);
        return new PublishedApp("app1", "HR", u, u.getHost(), u.getRawPath(), URI.create("http://127.0.0.1:8080/"), "g", BackendTimeout.DEFAULT,
                translateHost, preAuth, AccessSettings.DEFAULTS, NOW, NOW, false, SsoSettings.NONE);
    }

    static SamlSso read(String xml) throws SamlRefusal {
        return SpMetadata.read(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theIdentityProvidersMetadataDescribesItForTheServiceProvider() throws Exception {
        IdpUrls urls = new IdpUrls("https://login.localhost:8443", "app1");
        String xml = IdpMetadata.xml(urls, new SamlSso(Requests.SP, Requests.ACS, "cert", SamlSso.NameIdFormat.EMAIL_ADDRESS, null, null, null, null,
                null), key);
        Document doc = SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), 1 << 20, "metadata");
        Element entity = doc.getDocumentElement();
        assertThat(entity.getLocalName()).isEqualTo("EntityDescriptor");
        assertThat(entity.getAttribute("entityID")).isEqualTo("https://login.localhost:8443/saml/app1");
        Element idp = SafeXml.children(entity, SamlNames.METADATA, "IDPSSODescriptor").getFirst();
        assertThat(idp.getAttribute("WantAuthnRequestsSigned")).isEqualTo("true");
        assertThat(idp.getAttribute("protocolSupportEnumeration")).isEqualTo(SamlNames.PROTOCOL);
        String cert = doc.getElementsByTagNameNS(SamlNames.DSIG, "X509Certificate").item(0).getTextContent();
        assertThat(Base64.getDecoder().decode(cert)).isEqualTo(key.certificate().getEncoded());
        assertThat(SafeXml.children(idp, SamlNames.METADATA, "NameIDFormat").getFirst().getTextContent())
                .isEqualTo(SamlSso.NameIdFormat.EMAIL_ADDRESS.uri());
        Element sso = SafeXml.children(idp, SamlNames.METADATA, "SingleSignOnService").getFirst();
        assertThat(sso.getAttribute("Binding")).isEqualTo(SamlNames.HTTP_REDIRECT);
        assertThat(sso.getAttribute("Location")).isEqualTo("https://login.localhost:8443/saml/app1/sso");
        assertThat(IdpMetadata.xml(urls, new SamlSso(Requests.SP, Requests.ACS), key)).contains("WantAuthnRequestsSigned=\"false\"");
    }

    @Test
    void mellonsMetadataGivesTheSettings() throws Exception {
        SamlSso s = read(mellon);
        assertThat(s.spEntityId()).isEqualTo("https://sp.localhost:8443/mellon/metadata");
        assertThat(s.acsUrl()).isEqualTo("https://sp.localhost:8443/mellon/postResponse");
        assertThat(s.spCertificate()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(SamlRules.certificateProblem(s.spCertificate())).isEmpty();
        assertThat(s.nameIdFormat()).isEqualTo(SamlSso.NameIdFormat.UNSPECIFIED);
        assertThat(s.nameIdSource()).isNotNull();
    }

    @Test
    void theDefaultPostAcsAndTheFirstKnownFormatArePicked() throws Exception {
        String md = """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:sp">
                 <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="false">
                  <md:NameIDFormat>urn:made:up</md:NameIDFormat>
                  <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                  <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp/art" index="0"/>
                  <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp/two" index="2"/>
                  <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp/one" index="1"/>
                 </md:SPSSODescriptor>
                </md:EntityDescriptor>""";
        SamlSso s = read(md);
        assertThat(s.acsUrl()).isEqualTo("https://sp/one");
        assertThat(s.nameIdFormat()).isEqualTo(SamlSso.NameIdFormat.PERSISTENT);
        assertThat(s.spCertificate()).as("does not sign its requests: no certificate, no signature required").isNull();
        assertThat(read(md.replace("index=\"2\"", "index=\"2\" isDefault=\"true\"")).acsUrl()).isEqualTo("https://sp/two");
        String ns = " xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"";
        String inEntities = "<md:EntitiesDescriptor" + ns + ">" + md.replace(ns, "") + "</md:EntitiesDescriptor>";
        assertThat(read(inEntities).spEntityId()).isEqualTo("urn:sp");
    }

    @Test
    void whatCannotBeASingleServiceProviderIsRefusedNamingWhy() {
        String entity = mellon.substring(mellon.indexOf("<EntityDescriptor"));
        for (String[] bad : List.of(
                new String[]{"<x/>", "not SAML metadata"},
                new String[]{"<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + entity + entity.replace("sp.localhost", "sp2.localhost")
                        + "</EntitiesDescriptor>", "describes 2 entities"},
                new String[]{mellon.replace("entityID=\"https://sp.localhost:8443/mellon/metadata\"", ""), "entityID"},
                new String[]{mellon.replace("SPSSODescriptor", "IDPSSODescriptor"), "no service provider"},
                new String[]{mellon.replace("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", "urn:oasis:names:tc:SAML:2.0:bindings:PAOS"),
                        "no AssertionConsumerService with the HTTP-POST binding"},
                new String[]{mellon.replace("Location=\"https://sp.localhost:8443/mellon/postResponse\"", "Location=\"http://sp.localhost/acs\""),
                        "is not an https URL"},
                new String[]{mellon.replaceAll("(?s)<KeyDescriptor use=\"signing\">.*?</KeyDescriptor>", ""), "no signing certificate"},
                new String[]{"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + mellon.replace("<?xml", "<?x"),
                        "without a DTD"})) {
            assertThatThrownBy(() -> read(bad[0])).as(bad[1]).isInstanceOf(SamlRefusal.class).hasMessageContaining(bad[1]);
        }
        assertThatThrownBy(() -> SpMetadata.read(new byte[SpMetadata.MAX_BYTES + 1])).isInstanceOf(SamlRefusal.class)
                .hasMessageContaining("larger than 256 KiB");
    }

    @Test
    void theServerChecksTheAcsUrlAgainstTheAppAndTheHostRule() throws Exception {
        PublishedApp hr = app("https://sp.localhost:8443/", false, PreAuthentication.DIRECTORY);
        SamlSetup setup = new SamlSetup(null, "https://login.localhost:8443");
        assertThat(setup.spMetadata(hr, mellon.getBytes(StandardCharsets.UTF_8)).acsUrl()).isEqualTo("https://sp.localhost:8443/mellon/postResponse");
        assertThat(SamlSetup.problems(hr, read(mellon))).isEmpty();
        for (String elsewhere : List.of("https://sp.localhost:8444/", "https://other.localhost:8443/", "https://sp.localhost:8443/hr/")) {
            PublishedApp a = app(elsewhere, false, PreAuthentication.DIRECTORY);
            assertThat(SamlSetup.problems(a, read(mellon))).extracting(FieldError::field).as(elsewhere).containsExactly("saml.acsUrl");
            assertThatThrownBy(() -> setup.spMetadata(a, mellon.getBytes(StandardCharsets.UTF_8)))
                    .hasMessageContaining("saml.acsUrl").hasMessageContaining("not under the app's external URL");
        }
        assertThat(SamlSetup.problems(app("https://sp.localhost:8443/", true, PreAuthentication.DIRECTORY), read(mellon)))
                .extracting(FieldError::field).containsExactly("translateHostHeader");
        assertThatThrownBy(() -> setup.spMetadata(app("https://sp.localhost:8443/", false, PreAuthentication.PASSTHROUGH),
                mellon.getBytes(StandardCharsets.UTF_8))).hasMessageContaining("preAuthentication DIRECTORY");
        assertThat(new SsoSettings(SsoMethod.SAML, List.of(), null, read(mellon)).saml()).isNotNull();
        // A wildcard app has no one ACS URL (metadata with a '*' in it is not even read).
        URI wild = URI.create("https://*.localhost:8443/");
        PublishedApp wildcard = new PublishedApp("app2", "Sites", wild, "*.localhost", "/", URI.create("http://*.corp/"), "g",
                BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, NOW, NOW, false, SsoSettings.NONE);
        assertThat(SamlSetup.problems(wildcard, read(mellon)))
                .extracting(FieldError::field).containsExactly("method");
    }
}
