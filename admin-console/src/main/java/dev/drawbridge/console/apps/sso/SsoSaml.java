package dev.drawbridge.console.apps.sso;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.console.session.ChosenFile;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SamlSso.Signing;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The SAML part of an app's single sign-on ({@link SamlSso}) being edited: the service provider's entity id, ACS URL and
 * signing certificate, the NameID (format, source, claim), the assertion's attributes ({@link SamlAttributeRow}s), what is
 * signed, and the relay state. The fields' errors are {@link AppSso#errors()}' ({@link #ENTITY_ID}, …); besides the rules,
 * the console checks what the server checks against the app: the ACS URL under its external URL, the external Host kept.
 *
 * <p>{@link #importMetadata} reads a service provider's metadata file the admin chose (a regular file of at most
 * {@value #MAX_METADATA} bytes, as the server takes) and has the server read it ({@code POST /apps/{id}/saml/sp-metadata}:
 * nothing is stored), then fills the fields it determines for review. {@link #saveIdpMetadata} writes the app's identity
 * provider metadata ({@code GET /apps/{id}/saml/idp-metadata}) to a file for the service provider.
 */
public final class SsoSaml {
    /** The fields, as the rules and the server name them. */
    public static final String ENTITY_ID = "saml.spEntityId", ACS_URL = "saml.acsUrl", CERTIFICATE = "saml.spCertificate",
            NAME_ID_FORMAT = "saml.nameIdFormat", NAME_ID_SOURCE = "saml.nameIdSource", NAME_ID_CLAIM = "saml.nameIdClaim",
            SIGNING = "saml.signing", RELAY_STATE = "saml.relayState";
    /** The largest metadata file read (the server's limit). */
    static final int MAX_METADATA = 256 * 1024;

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final StringProperty entityId = new SimpleStringProperty("");
    private final StringProperty acsUrl = new SimpleStringProperty("");
    private final StringProperty certificate = new SimpleStringProperty("");
    private final ObjectProperty<NameIdFormat> nameIdFormat = new SimpleObjectProperty<>(NameIdFormat.UNSPECIFIED);
    private final ObjectProperty<HeaderSource> nameIdSource = new SimpleObjectProperty<>(HeaderSource.UPN);
    private final StringProperty nameIdClaim = new SimpleStringProperty("");
    private final ObjectProperty<Signing> signing = new SimpleObjectProperty<>(Signing.ASSERTION);
    private final StringProperty relayState = new SimpleStringProperty("");
    private final SsoRows<SamlAttributeRow> attributes;
    private final ReadOnlyStringWrapper metadataStatus = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper metadataError = new ReadOnlyStringWrapper("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private AppView app;

    SsoSaml(AdminApi api, Tasks tasks, Notices notices, Runnable changed) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.attributes = new SsoRows<>("saml.attributes", SamlAttributeRow::new, changed);
    }

    /** The settings as shown: text stripped, an empty certificate or relay state none; no NameID source for TRANSIENT. */
    SamlSso settings() {
        NameIdFormat format = nameIdFormat.get();
        HeaderSource source = format == NameIdFormat.TRANSIENT ? null : nameIdSource.get();
        return new SamlSso(strip(entityId), strip(acsUrl), SsoRow.emptyIsNone(strip(certificate)), format, source,
                source == HeaderSource.CLAIM ? strip(nameIdClaim) : null, attributes.rows().stream().map(SamlAttributeRow::attribute).toList(),
                signing.get(), SsoRow.emptyIsNone(strip(relayState)));
    }

    /** Shows {@code s} as stored (null: the defaults, nothing typed). */
    void show(SamlSso s) {
        entityId.set(s == null ? "" : SsoRow.text(s.spEntityId()));
        acsUrl.set(s == null ? "" : SsoRow.text(s.acsUrl()));
        certificate.set(s == null ? "" : SsoRow.text(s.spCertificate()));
        nameIdFormat.set(s == null ? NameIdFormat.UNSPECIFIED : s.nameIdFormat());
        nameIdSource.set(s == null || s.nameIdSource() == null ? HeaderSource.UPN : s.nameIdSource());
        nameIdClaim.set(s == null ? "" : SsoRow.text(s.nameIdClaim()));
        signing.set(s == null ? Signing.ASSERTION : s.signing());
        relayState.set(s == null ? "" : SsoRow.text(s.relayState()));
        attributes.load(s == null ? List.of() : s.attributes().stream().filter(Objects::nonNull).map(SamlAttributeRow::of).toList());
    }

    /** Another app is shown (or the app was saved: its external URL and Host translation count for the checks). */
    void app(AppView shown) {
        if (app == null || shown == null || !app.id().equals(shown.id())) {
            metadataStatus.set("");
            metadataError.set("");
        }
        app = shown;
    }

    List<Field> fields() {
        return List.of(Field.of(ENTITY_ID, entityId), Field.of(ACS_URL, acsUrl), Field.of(CERTIFICATE, certificate),
                Field.of(NAME_ID_FORMAT, nameIdFormat), Field.of(NAME_ID_SOURCE, nameIdFormat, nameIdSource),
                Field.of(NAME_ID_CLAIM, nameIdSource, nameIdClaim), Field.of(SIGNING, signing), Field.of(RELAY_STATE, relayState));
    }

    /** Everything the admin edits besides the attribute rows. */
    List<ObservableValue<?>> inputs() {
        return List.of(entityId, acsUrl, certificate, nameIdFormat, nameIdSource, nameIdClaim, signing, relayState);
    }

    /**
     * What the server checks of the settings against the app, checked here too: the ACS URL under the app's external URL
     * (its origin, and its path in the app's letter case), and the external Host kept (a field of the app, not of this section).
     */
    List<FieldError> appProblems() {
        List<FieldError> found = new ArrayList<>();
        AppView a = app;
        if (a == null) {
            return found;
        }
        String acs = strip(acsUrl);
        if (!acs.isEmpty() && !underExternalUrl(a, acs)) {
            found.add(new FieldError(ACS_URL, "the ACS URL is not under the app's external URL " + a.externalUrl() + ": configure the"
                    + " service provider with its external URL (what the browser opens through Drawbridge)"));
        }
        if (a.translateHostHeader()) {
            found.add(new FieldError("translateHostHeader", "a SAML app must keep the external Host (the service provider checks the"
                    + " URL the response was posted to): untick “Translate: Host header” above and save the app first"));
        }
        return found;
    }

    private static boolean underExternalUrl(AppView a, String acs) {
        try {
            URI u = new URI(acs), ext = new URI(a.externalUrl());
            String origin = (u.getScheme() + "://" + u.getRawAuthority()).toLowerCase(Locale.ROOT);
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            String base = ext.getRawPath() == null || ext.getRawPath().isEmpty() ? "/" : ext.getRawPath();
            return origin.equals((ext.getScheme() + "://" + ext.getRawAuthority()).toLowerCase(Locale.ROOT))
                    && (a.caseInsensitivePaths() ? path.toLowerCase(Locale.ROOT).startsWith(base.toLowerCase(Locale.ROOT)) : path.startsWith(base));
        } catch (URISyntaxException e) {
            // The rules say what is wrong with it.
            return true;
        }
    }

    /**
     * Reads the service provider's metadata in {@code file} and fills the entity id, ACS URL, signing certificate and NameID
     * format (and its default source) with what the server reads from it, for review; the rest stays. The server's refusal
     * (not metadata, no HTTP-POST ACS, an ACS URL outside the app) shows under the import button.
     */
    public void importMetadata(Path file) {
        AppView a = app;
        if (a == null || busy.get()) {
            return;
        }
        String name = String.valueOf(file.getFileName());
        metadataStatus.set("");
        metadataError.set("");
        byte[] xml;
        switch (ChosenFile.read(file, MAX_METADATA, "the service provider's metadata file", "metadata")) {
            case ChosenFile.Refused r -> {
                metadataError.set(r.sentence());
                return;
            }
            case ChosenFile.Bytes b -> xml = b.bytes();
        }
        SamlMetadata metadata = new SamlMetadata(new String(xml, StandardCharsets.UTF_8));
        busy.set(true);
        tasks.runQuietly("read the service provider metadata " + name, () -> api.apps().readSpMetadata(a.id(), metadata), s -> {
            busy.set(false);
            if (a != app) {
                return;
            }
            entityId.set(SsoRow.text(s.spEntityId()));
            acsUrl.set(SsoRow.text(s.acsUrl()));
            certificate.set(SsoRow.text(s.spCertificate()));
            nameIdFormat.set(s.nameIdFormat());
            if (s.nameIdSource() != null) {
                nameIdSource.set(s.nameIdSource());
            }
            metadataStatus.set("Read from " + name + ": review the settings below, then save single sign-on. "
                    + (s.spCertificate() == null ? "The service provider does not sign its requests."
                    : "Its requests must be signed with the certificate shown."));
        }, e -> {
            busy.set(false);
            String why = Failures.problem(e).filter(p -> !p.errors().isEmpty())
                    .map(p -> p.errors().stream().map(FieldError::message).collect(Collectors.joining(" ")))
                    .orElse(Failures.message(e));
            if (a == app) {
                metadataError.set("The server could not use " + name + ": " + why);
            }
            notices.error("Could not read " + name, why);
        });
    }

    /** Writes the app's identity provider metadata to {@code file} (replacing it), for the service provider to import. */
    public void saveIdpMetadata(Path file) {
        AppView a = app;
        if (a == null) {
            return;
        }
        String name = String.valueOf(file.getFileName());
        tasks.runQuietly("save the identity provider metadata of " + a.name(), () -> {
            String xml = api.apps().samlIdpMetadata(a.id()).xml();
            Files.writeString(file, xml, StandardCharsets.UTF_8);
            return xml.length();
        }, size -> {
            if (a == app) {
                metadataError.set("");
                metadataStatus.set("Saved the identity provider metadata to " + name + ": import it in the service provider.");
            }
            notices.info("Identity provider metadata saved", a.name() + " → " + file);
        }, e -> {
            String why = Failures.message(e);
            if (a == app) {
                metadataError.set("Could not save the identity provider metadata: " + why);
            }
            notices.error("Could not save the identity provider metadata of " + a.name(), why);
        });
    }

    private static String strip(StringProperty p) {
        return SsoRow.text(p.get()).strip();
    }

    /** The attributes of the assertion. */
    public SsoRows<SamlAttributeRow> attributes() {
        return attributes;
    }

    public StringProperty entityIdProperty() {
        return entityId;
    }

    public StringProperty acsUrlProperty() {
        return acsUrl;
    }

    /** The service provider's signing certificate, PEM (empty: its requests are not signed). */
    public StringProperty certificateProperty() {
        return certificate;
    }

    public ObjectProperty<NameIdFormat> nameIdFormatProperty() {
        return nameIdFormat;
    }

    /** The user attribute that is the NameID (not used with a transient NameID). */
    public ObjectProperty<HeaderSource> nameIdSourceProperty() {
        return nameIdSource;
    }

    /** The claim that is the NameID, with source CLAIM. */
    public StringProperty nameIdClaimProperty() {
        return nameIdClaim;
    }

    public ObjectProperty<Signing> signingProperty() {
        return signing;
    }

    /** Where the service provider sends the user after a sign-in from My Apps; empty: its default page. */
    public StringProperty relayStateProperty() {
        return relayState;
    }

    /** What the last metadata import or export did (empty before either). */
    public ReadOnlyStringProperty metadataStatusProperty() {
        return metadataStatus.getReadOnlyProperty();
    }

    /** Why the last metadata import or export failed (empty when it did not). */
    public ReadOnlyStringProperty metadataErrorProperty() {
        return metadataError.getReadOnlyProperty();
    }

    /** A metadata import is on its way. */
    public BooleanProperty busyProperty() {
        return busy;
    }
}
