package dev.drawbridge.console.apps.sso;

import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SamlSso.Signing;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SamlRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAML in the single sign-on section against the console's fake admin API: every {@code SamlSso} field loaded, edited and
 * saved, with the attribute rows; the rules of {@code SamlRules} and the server's checks against the app (ACS URL under the
 * external URL, external Host kept) shown as typed; a real mod_auth_mellon service provider's metadata imported into the
 * fields (its entity id, ACS URL and signing certificate) and saved; files that are too large, not files, or refused by
 * the server; the IdP metadata written to a file; the server's errors on the fields and attribute rows.
 */
class SsoSamlTest extends SsoFixture {
    static final AppView SP = app("sp", "https://sp.localhost:8443/", false);
    static final SamlSso FULL = new SamlSso("https://sp.localhost:8443/mellon/metadata", "https://sp.localhost:8443/mellon/postResponse",
            null, NameIdFormat.EMAIL_ADDRESS, HeaderSource.EMAIL, null, List.of(SamlAttribute.of("email", HeaderSource.EMAIL),
            new SamlAttribute("dept", HeaderSource.CLAIM, "department", SamlAttribute.NameFormat.BASIC)), Signing.BOTH,
            "https://sp.localhost:8443/");

    final SsoSaml saml = sso.saml();
    @TempDir
    Path dir;

    static String mellonMetadata() throws Exception {
        try (InputStream in = SsoSamlTest.class.getResourceAsStream("mellon-sp-metadata.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    SamlAttributeRow attribute(int i) {
        return saml.attributes().rows().get(i);
    }

    @Test
    void everySamlFieldIsLoadedEditedAndSaved() {
        api.sso.put("sp", new SsoSettings(SsoMethod.SAML, List.of(), null, FULL));
        select(SP);
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.SAML);
        assertThat(saml.entityIdProperty().get()).isEqualTo(FULL.spEntityId());
        assertThat(saml.acsUrlProperty().get()).isEqualTo(FULL.acsUrl());
        assertThat(saml.nameIdFormatProperty().get()).isEqualTo(NameIdFormat.EMAIL_ADDRESS);
        assertThat(saml.signingProperty().get()).isEqualTo(Signing.BOTH);
        assertThat(saml.attributes().rows()).hasSize(2);
        assertThat(attribute(1).claimProperty().get()).isEqualTo("department");
        assertThat(sso.settings().saml()).isEqualTo(FULL);
        assertThat(sso.errorProperty().get()).isEmpty();

        saml.nameIdFormatProperty().set(NameIdFormat.PERSISTENT);
        saml.nameIdSourceProperty().set(HeaderSource.CLAIM);
        saml.nameIdClaimProperty().set(" employee_id ");
        saml.signingProperty().set(Signing.ASSERTION);
        saml.relayStateProperty().set("");
        saml.attributes().remove(attribute(0));
        SamlAttributeRow groups = saml.attributes().add();
        groups.nameProperty().set(" groups ");
        groups.sourceProperty().set(HeaderSource.GROUPS);
        groups.nameFormatProperty().set(SamlAttribute.NameFormat.URI);
        sso.save();
        SamlSso sent = new SamlSso(FULL.spEntityId(), FULL.acsUrl(), null, NameIdFormat.PERSISTENT, HeaderSource.CLAIM, "employee_id",
                List.of(new SamlAttribute("dept", HeaderSource.CLAIM, "department", SamlAttribute.NameFormat.BASIC),
                        new SamlAttribute("groups", HeaderSource.GROUPS, null, SamlAttribute.NameFormat.URI)), Signing.ASSERTION, null);
        assertThat(((SsoSettings) api.body("apps.setSso sp")).saml()).isEqualTo(sent);
        assertThat(api.sso.get("sp").saml()).isEqualTo(sent);
        assertThat(tasks.notices).contains("info: Single sign-on saved: SP: SAML (Drawbridge as identity provider)"
                + " (https://sp.localhost:8443/mellon/metadata)");
    }

    @Test
    void aTransientNameIdSendsNoSourceAndTheClaimGoesOnlyWithSourceClaim() {
        select(SP);
        sso.methodProperty().set(SsoMethod.SAML);
        saml.entityIdProperty().set("urn:example:sp");
        saml.acsUrlProperty().set("https://sp.localhost:8443/acs");
        saml.nameIdSourceProperty().set(HeaderSource.CLAIM);
        saml.nameIdClaimProperty().set("employee_id");
        saml.nameIdFormatProperty().set(NameIdFormat.TRANSIENT);
        assertThat(sso.settings().saml().nameIdSource()).isNull();
        assertThat(sso.settings().saml().nameIdClaim()).isNull();
        assertThat(sso.validProperty().get()).isTrue();
        saml.nameIdFormatProperty().set(NameIdFormat.UNSPECIFIED);
        saml.nameIdSourceProperty().set(HeaderSource.UPN);
        assertThat(sso.settings().saml().nameIdClaim()).isNull();
        sso.save();
        assertThat(api.sso.get("sp").saml().nameIdSource()).isEqualTo(HeaderSource.UPN);
    }

    @Test
    void eachSamlRuleShowsOnItsFieldOnceEditedAndATriedSaveShowsThemAll() {
        select(SP);
        sso.methodProperty().set(SsoMethod.SAML);
        // No red on choosing SAML; everything red on a tried save, and nothing sent.
        assertThat(error(SsoSaml.ENTITY_ID)).isEmpty();
        assertThat(error(SsoSaml.ACS_URL)).isEmpty();
        SamlAttributeRow fresh = saml.attributes().add();
        assertThat(fresh.errorProperty().get()).isEmpty();
        saml.attributes().remove(fresh);
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
        assertThat(error(SsoSaml.ENTITY_ID)).startsWith("spEntityId is the service provider's entity id");
        assertThat(error(SsoSaml.ACS_URL)).startsWith("acsUrl is the service provider's assertion consumer service");

        saml.entityIdProperty().set("https://sp.localhost:8443/mellon/metadata");
        assertThat(error(SsoSaml.ENTITY_ID)).isEmpty();
        saml.acsUrlProperty().set("http://sp.localhost:8443/mellon/postResponse");
        assertThat(error(SsoSaml.ACS_URL)).startsWith("acsUrl is the service provider's assertion consumer service");
        // What only the server knew: the ACS URL must be under the app's external URL.
        saml.acsUrlProperty().set("https://evil.example/mellon/postResponse");
        assertThat(error(SsoSaml.ACS_URL)).startsWith("the ACS URL is not under the app's external URL https://sp.localhost:8443/");
        saml.acsUrlProperty().set("https://sp.localhost:8443/mellon/postResponse");
        assertThat(error(SsoSaml.ACS_URL)).isEmpty();
        saml.certificateProperty().set("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----");
        assertThat(error(SsoSaml.CERTIFICATE)).startsWith("spCertificate is not an X.509 certificate");
        saml.certificateProperty().set("  ");
        assertThat(error(SsoSaml.CERTIFICATE)).isEmpty();
        saml.nameIdSourceProperty().set(HeaderSource.GROUPS);
        assertThat(error(SsoSaml.NAME_ID_SOURCE)).startsWith("the NameID is one value");
        saml.nameIdSourceProperty().set(HeaderSource.CLAIM);
        assertThat(error(SsoSaml.NAME_ID_CLAIM)).startsWith("nameIdSource CLAIM needs the claim's name");
        saml.nameIdClaimProperty().set("employee_id");
        saml.relayStateProperty().set("https://sp.localhost:8443/" + "x".repeat(60));
        assertThat(error(SsoSaml.RELAY_STATE)).startsWith("relayState is 1 to 80 bytes");
        saml.relayStateProperty().set("https://sp.localhost:8443/");
        assertThat(sso.validProperty().get()).isTrue();

        SamlAttributeRow one = saml.attributes().add(), two = saml.attributes().add();
        // A save was tried: new rows show their errors at once, as every row.
        assertThat(two.error(SamlAttributeRow.NAME).get()).startsWith("an attribute's name is 1 to 1024 characters");
        assertThat(sso.validProperty().get()).isFalse();
        one.nameProperty().set("email");
        two.nameProperty().set("email");
        assertThat(two.error(SamlAttributeRow.NAME).get()).isEqualTo("attribute 'email' is listed twice");
        assertThat(one.errorProperty().get()).isEmpty();
        two.nameProperty().set("dept");
        two.sourceProperty().set(HeaderSource.CLAIM);
        assertThat(two.error(SamlAttributeRow.CLAIM).get()).startsWith("source CLAIM needs the claim's name");
        two.claimProperty().set("department");
        assertThat(sso.validProperty().get()).isTrue();
    }

    @Test
    void anAppThatTranslatesTheHostIsToldToKeepIt() {
        select(app("sp", "https://sp.localhost:8443/", true));
        sso.methodProperty().set(SsoMethod.SAML);
        saml.entityIdProperty().set("urn:example:sp");
        saml.acsUrlProperty().set("https://sp.localhost:8443/acs");
        assertThat(sso.errorProperty().get()).startsWith("a SAML app must keep the external Host");
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
        // Once the app keeps the Host, the section follows.
        vm.editor().translateHostHeaderProperty().set(false);
        vm.save();
        assertThat(sso.errorProperty().get()).isEmpty();
        sso.save();
        assertThat(api.sso.get("sp").method()).isEqualTo(SsoMethod.SAML);
    }

    @Test
    void aRealMellonServiceProvidersMetadataFillsTheFieldsForReviewAndSaves() throws Exception {
        select(SP);
        sso.methodProperty().set(SsoMethod.SAML);
        saml.relayStateProperty().set("https://sp.localhost:8443/");
        Path file = Files.writeString(dir.resolve("mellon.xml"), mellonMetadata());
        saml.importMetadata(file);
        assertThat(((SamlMetadata) api.body("apps.readSpMetadata sp")).xml()).isEqualTo(mellonMetadata());
        assertThat(saml.entityIdProperty().get()).isEqualTo("https://sp.localhost:8443/mellon/metadata");
        assertThat(saml.acsUrlProperty().get()).isEqualTo("https://sp.localhost:8443/mellon/postResponse");
        // Mellon signs its requests: its signing certificate (RSA 3072) is required from now on.
        assertThat(saml.certificateProperty().get()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(((RSAPublicKey) SamlRules.certificate(saml.certificateProperty().get()).orElseThrow().getPublicKey())
                .getModulus().bitLength()).isEqualTo(3072);
        assertThat(saml.nameIdFormatProperty().get()).isEqualTo(NameIdFormat.UNSPECIFIED);
        // What the metadata does not say stays.
        assertThat(saml.relayStateProperty().get()).isEqualTo("https://sp.localhost:8443/");
        assertThat(saml.metadataStatusProperty().get()).startsWith("Read from mellon.xml: review the settings below")
                .contains("must be signed");
        assertThat(saml.metadataErrorProperty().get()).isEmpty();
        // Nothing stored until saved.
        assertThat(api.sso).doesNotContainKey("sp");
        sso.save();
        assertThat(api.sso.get("sp").saml().spCertificate()).isEqualTo(saml.certificateProperty().get());
        assertThat(api.sso.get("sp").saml().acsUrl()).isEqualTo("https://sp.localhost:8443/mellon/postResponse");
    }

    @Test
    void metadataTheServerRefusesIsSaidUnderTheImport() throws Exception {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.SAML);
        // Mellon's ACS is not under this app's external URL.
        saml.importMetadata(Files.writeString(dir.resolve("mellon.xml"), mellonMetadata()));
        assertThat(saml.metadataErrorProperty().get()).startsWith("The server could not use mellon.xml: the ACS URL")
                .contains("not under the app's external URL");
        assertThat(saml.entityIdProperty().get()).isEmpty();
        saml.importMetadata(Files.writeString(dir.resolve("page.html"), "<html><body>Sign in</body></html>"));
        assertThat(saml.metadataErrorProperty().get()).isEqualTo("The server could not use page.html: this is not SAML metadata"
                + " (no md:EntityDescriptor)");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not read page.html"));
        assertThat(saml.metadataStatusProperty().get()).isEmpty();
    }

    /** A file too large, a directory or a missing file is refused here, without calling the server. */
    @ParameterizedTest
    @ValueSource(strings = {"large", "directory", "missing"})
    void aFileThatCannotBeMetadataIsNotSent(String kind) throws Exception {
        select(SP);
        sso.methodProperty().set(SsoMethod.SAML);
        Path file = switch (kind) {
            case "large" -> Files.writeString(dir.resolve("big.xml"), "<!--" + "x".repeat(SsoSaml.MAX_METADATA) + "-->");
            case "directory" -> Files.createDirectory(dir.resolve("folder.xml"));
            default -> dir.resolve("gone.xml");
        };
        saml.importMetadata(file);
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.readSpMetadata"));
        assertThat(saml.metadataErrorProperty().get()).isEqualTo(switch (kind) {
            case "large" -> "big.xml is larger than 256 KiB: metadata is at most that.";
            case "directory" -> "folder.xml is not a file: choose the service provider's metadata file.";
            default -> "Cannot read gone.xml: no such file.";
        });
    }

    @Test
    void theIdpMetadataIsWrittenToTheChosenFile() throws Exception {
        select(SP);
        sso.methodProperty().set(SsoMethod.SAML);
        Path out = Files.writeString(dir.resolve("idp.xml"), "an older file that is replaced");
        saml.saveIdpMetadata(out);
        assertThat(Files.readString(out)).isEqualTo(api.apps().samlIdpMetadata("sp").xml()).contains("entityID=");
        assertThat(saml.metadataStatusProperty().get()).startsWith("Saved the identity provider metadata to idp.xml");

        api.fail("apps.samlIdpMetadata", 409, "about:blank", "SAML single sign-on needs an app pre-authenticated by the directory");
        saml.saveIdpMetadata(dir.resolve("other.xml"));
        assertThat(dir.resolve("other.xml")).doesNotExist();
        assertThat(saml.metadataErrorProperty().get()).startsWith("Could not save the identity provider metadata: Problem:"
                + " SAML single sign-on needs");
    }

    @Test
    void theServersErrorsLandOnTheSamlFieldsAndAttributeRowsThatWereSent() {
        api.sso.put("sp", new SsoSettings(SsoMethod.SAML, List.of(), null, FULL));
        select(SP);
        api.fail("apps.setSso", 400, "about:blank", "invalid", new Problem.FieldError(SsoSaml.ENTITY_ID, "the server refuses this entity id"),
                new Problem.FieldError("saml.attributes[1].claim", "the server knows no such claim"));
        sso.save();
        assertThat(error(SsoSaml.ENTITY_ID)).isEqualTo("the server refuses this entity id");
        assertThat(attribute(1).error(SamlAttributeRow.CLAIM).get()).isEqualTo("the server knows no such claim");
        assertThat(attribute(0).errorProperty().get()).isEmpty();
        assertThat(sso.errorProperty().get()).isEmpty();
        attribute(1).claimProperty().set("division");
        assertThat(attribute(1).errorProperty().get()).isEmpty();
    }
}
