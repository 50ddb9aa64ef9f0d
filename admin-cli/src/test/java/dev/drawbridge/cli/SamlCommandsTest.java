package dev.drawbridge.cli;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apps sso set} for SAML and {@code apps sso saml idp-metadata} against a JDK HttpServer playing the admin API:
 * the service provider's metadata file goes to the server as it is (to be read there, nothing stored), and the settings
 * stored are the metadata's service provider with the flags, keeping from the app's stored SAML settings what neither
 * says (attributes, signing, relay state, the NameID's source for the same format); without metadata the stored
 * service provider stays; an app with neither is refused with the flag to give; the server's refusal of the metadata is
 * shown and nothing is stored. The IdP metadata goes to standard output or a file.
 */
class SamlCommandsTest {
    static final String APP = "6f1c1b9e-3f51-4a0b-9d1e-6c7a2d9b8e10";
    static final String SSO = "/api/v1/apps/" + APP + "/sso";
    static final String SP_METADATA = "/api/v1/apps/" + APP + "/saml/sp-metadata";
    static final String XML = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://hr.example.com/sp\"/>";
    static final SamlSso FROM_METADATA = new SamlSso("https://hr.example.com/sp", "https://hr.example.com/mellon/postResponse", null,
            NameIdFormat.PERSISTENT, null, null, null, null, null);
    @TempDir
    Path dir;
    FakeAdminServer server;
    Path metadata;

    @BeforeEach
    void start() throws Exception {
        server = new FakeAdminServer();
        metadata = Files.writeString(dir.resolve("sp.xml"), XML);
        server.answer("POST", SP_METADATA, 200, Output.JSON.writeValueAsString(FROM_METADATA));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FakeAdminServer.Run run(String... args) {
        return server.run(dir.resolve("config"), "", args);
    }

    private void stored(SsoSettings s) throws Exception {
        server.answer("GET", SSO, 200, Output.JSON.writeValueAsString(s));
        server.answer("PUT", SSO, 200, "{\"method\":\"SAML\",\"saml\":{\"spEntityId\":\"https://hr.example.com/sp\","
                + "\"acsUrl\":\"https://hr.example.com/mellon/postResponse\",\"attributes\":[]}}");
    }

    private SamlSso put() throws Exception {
        return Output.JSON.readValue(server.received("PUT", SSO).getFirst().body(), SsoSettings.class).saml();
    }

    @Test
    void theMetadataIsReadByTheServerAndTheFlagsAreAdded() throws Exception {
        stored(SsoSettings.NONE);
        FakeAdminServer.Run r = run("apps", "sso", "set", APP, "--sp-metadata", metadata.toString(), "--attribute", "email=email",
                "--attribute", "groups=groups;format=basic", "--relay-state", "https://hr.example.com/");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Single sign-on of app " + APP + ": SAML (service provider https://hr.example.com/sp");
        assertThat(server.received("POST", SP_METADATA)).singleElement().extracting(FakeAdminServer.Received::body).isEqualTo(XML);
        assertThat(put()).isEqualTo(new SamlSso("https://hr.example.com/sp", "https://hr.example.com/mellon/postResponse", null,
                NameIdFormat.PERSISTENT, HeaderSource.OBJECT_ID, null, List.of(SamlAttribute.of("email", HeaderSource.EMAIL),
                new SamlAttribute("groups", HeaderSource.GROUPS, null, SamlAttribute.NameFormat.BASIC)), SamlSso.Signing.ASSERTION,
                "https://hr.example.com/"));
    }

    @Test
    void whatTheFlagsDoNotSayIsKeptFromTheStoredSettings() throws Exception {
        SamlSso before = new SamlSso("https://old.example.com/sp", "https://hr.example.com/old/acs", null, NameIdFormat.PERSISTENT,
                HeaderSource.SAM_ACCOUNT_NAME, null, List.of(SamlAttribute.of("mail", HeaderSource.EMAIL)), SamlSso.Signing.BOTH, "https://hr/");
        stored(new SsoSettings(SsoMethod.SAML, List.of(), null, before));
        // New metadata: its service provider, the rest kept (the NameID's source too: the format is the same).
        assertThat(run("apps", "sso", "set", APP, "--sp-metadata", metadata.toString()).exit()).isZero();
        assertThat(put()).isEqualTo(new SamlSso(FROM_METADATA.spEntityId(), FROM_METADATA.acsUrl(), null, NameIdFormat.PERSISTENT,
                HeaderSource.SAM_ACCOUNT_NAME, null, before.attributes(), SamlSso.Signing.BOTH, "https://hr/"));
        server.received.clear();
        // No metadata: the stored service provider stays; another format takes its default source.
        assertThat(run("apps", "sso", "set", APP, "--name-id-format", "email-address", "--no-attributes").exit()).isZero();
        assertThat(server.received("POST", SP_METADATA)).isEmpty();
        assertThat(put()).isEqualTo(new SamlSso(before.spEntityId(), before.acsUrl(), null, NameIdFormat.EMAIL_ADDRESS, HeaderSource.EMAIL,
                null, List.of(), SamlSso.Signing.BOTH, "https://hr/"));
        server.received.clear();
        assertThat(run("apps", "sso", "set", APP, "--method", "saml", "--name-id-source", "claim", "--name-id-claim", "employeeId")
                .exit()).isZero();
        assertThat(put().nameIdSource()).isEqualTo(HeaderSource.CLAIM);
        assertThat(put().nameIdClaim()).isEqualTo("employeeId");
        server.received.clear();
        assertThat(run("apps", "sso", "set", APP, "--name-id-format", "transient").exit()).isZero();
        assertThat(put().nameIdSource()).isNull();
    }

    @Test
    void withoutMetadataOrStoredSamlSettingsTheFlagToGiveIsNamed() throws Exception {
        stored(SsoSettings.NONE);
        FakeAdminServer.Run r = run("apps", "sso", "set", APP, "--method", "saml", "--attribute", "email=email");
        assertThat(r.exit()).isEqualTo(CliException.USAGE);
        assertThat(r.err()).contains("--method SAML needs --sp-metadata FILE");
        assertThat(server.received("PUT", SSO)).isEmpty();
    }

    @Test
    void theServersRefusalOfTheMetadataIsShownAndNothingIsStored() throws Exception {
        stored(SsoSettings.NONE);
        server.answer("POST", SP_METADATA, 400, "{\"title\":\"Invalid request\",\"status\":400,\"detail\":\"invalid\","
                + "\"errors\":[{\"field\":\"metadata\",\"message\":\"the metadata has a DTD\"}]}");
        FakeAdminServer.Run r = run("apps", "sso", "set", APP, "--sp-metadata", metadata.toString());
        assertThat(r.exit()).isEqualTo(CliException.API);
        assertThat(r.err()).contains("  metadata: the metadata has a DTD");
        assertThat(server.received("PUT", SSO)).isEmpty();
    }

    @Test
    void settingsTheRulesRefuseNameTheirFlagAndAreNotStored() throws Exception {
        stored(SsoSettings.NONE);
        FakeAdminServer.Run r = run("apps", "sso", "set", APP, "--sp-metadata", metadata.toString(), "--attribute", "a=email",
                "--attribute", "a=upn", "--name-id-source", "groups", "--relay-state", "x".repeat(81));
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.USAGE);
        assertThat(r.err().lines().skip(1).toList()).containsExactlyInAnyOrder(
                "  --name-id-source: the NameID is one value: GROUPS cannot be it (send groups as an attribute)",
                "  --attribute 'a=upn' (name): attribute 'a' is listed twice",
                "  --relay-state: relayState is 1 to 80 bytes without control characters (usually the app's page to open after an"
                        + " IdP-initiated sign-in, e.g. https://hr.example.com/)");
        assertThat(server.received("PUT", SSO)).isEmpty();
    }

    @Test
    void theIdpMetadataGoesToStandardOutputOrAFile() throws Exception {
        String idp = "<md:EntityDescriptor entityID=\"https://login.example.com/saml/" + APP + "\"/>\n";
        server.answer("GET", "/api/v1/apps/" + APP + "/saml/idp-metadata", "application/samlmetadata+xml;charset=utf-8", idp);
        FakeAdminServer.Run out = run("apps", "sso", "saml", "idp-metadata", APP);
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(out.out()).isEqualTo(idp);
        Path file = dir.resolve("idp.xml");
        FakeAdminServer.Run toFile = run("apps", "sso", "saml", "idp-metadata", APP, "--out", file.toString());
        assertThat(toFile.exit()).as(toFile.err()).isZero();
        assertThat(Files.readString(file)).isEqualTo(idp);
        assertThat(toFile.out()).isEqualTo("Wrote the SAML identity provider metadata of app " + APP + " to " + file + "\n");
        FakeAdminServer.Run cannot = run("apps", "sso", "saml", "idp-metadata", APP, "--out", dir.resolve("no/such/dir/x.xml").toString());
        assertThat(cannot.exit()).isEqualTo(CliException.USAGE);
        assertThat(cannot.err()).contains("cannot write");
    }
}
