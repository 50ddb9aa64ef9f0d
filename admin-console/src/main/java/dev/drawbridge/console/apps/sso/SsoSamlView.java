package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute.NameFormat;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SamlSso.Signing;
import dev.drawbridge.model.api.validation.SamlRules;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.util.List;
import java.util.function.Function;

/**
 * SAML's settings in the single sign-on section: the service provider (entity id, ACS URL, signing certificate), the NameID
 * (format, source, claim; no source for a transient one), what is signed, the relay state, and the assertion's attributes
 * (a table as the headers': name, source, claim, name format). Above them, {@link #metadata} imports a service provider's
 * metadata file into the fields and saves the app's identity provider metadata to a file. Ids: {@code sso-saml-entity-id},
 * {@code sso-saml-acs-url}, {@code sso-saml-certificate}, {@code sso-saml-name-id-format}, {@code sso-saml-name-id-source},
 * {@code sso-saml-name-id-claim}, {@code sso-saml-signing}, {@code sso-saml-relay-state} (each input's error
 * {@code <id>-error}), {@code sso-saml-attribute-add}, per attribute {@code sso-attribute-name-<i>}, {@code sso-attribute-source-<i>},
 * {@code sso-attribute-claim-<i>}, {@code sso-attribute-format-<i>}, {@code sso-attribute-remove-<i>},
 * {@code sso-attribute-row-error-<i>}; {@code sso-saml-import}, {@code sso-saml-idp-metadata}, {@code sso-saml-metadata-status},
 * {@code sso-saml-metadata-error}.
 */
final class SsoSamlView {
    private static final List<String> HEADINGS = List.of("Attribute name", "Source", "Claim", "Name format");

    private SsoSamlView() {
    }

    static Node of(SsoSaml s, FieldErrors errors, Permissions perms) {
        GridPane form = Forms.grid();
        int row = Forms.field(form, 0, "Service provider entity id", Forms.text("sso-saml-entity-id", s.entityIdProperty(),
                "https://hr.example.com/mellon/metadata"), errors, SsoSaml.ENTITY_ID);
        row = Forms.field(form, row, "ACS URL", Forms.text("sso-saml-acs-url", s.acsUrlProperty(), "https://hr.example.com/mellon/postResponse"),
                errors, SsoSaml.ACS_URL);
        form.add(hint("The service provider's assertion consumer service (HTTP-POST) as the browser reaches it: under the app's"
                + " external URL. Drawbridge posts the response there and nowhere else."), 1, row++);
        TextArea certificate = new TextArea();
        certificate.setId("sso-saml-certificate");
        certificate.setPromptText("-----BEGIN CERTIFICATE-----");
        certificate.setPrefRowCount(4);
        certificate.textProperty().bindBidirectional(s.certificateProperty());
        row = Forms.field(form, row, "Service provider certificate", certificate, errors, SsoSaml.CERTIFICATE);
        form.add(hint("PEM. When given, every AuthnRequest must be signed with it; empty: requests are not signed, and a signature"
                + " on one is not checked."), 1, row++);

        ComboBox<NameIdFormat> format = combo("sso-saml-name-id-format", NameIdFormat.values(), Labels::of);
        format.valueProperty().bindBidirectional(s.nameIdFormatProperty());
        row = Forms.field(form, row, "NameID format", format, errors, SsoSaml.NAME_ID_FORMAT);
        ComboBox<HeaderSource> source = combo("sso-saml-name-id-source", HeaderSource.values(), Labels::of);
        source.valueProperty().bindBidirectional(s.nameIdSourceProperty());
        source.disableProperty().bind(s.nameIdFormatProperty().isEqualTo(NameIdFormat.TRANSIENT));
        row = Forms.field(form, row, "NameID source", source, errors, SsoSaml.NAME_ID_SOURCE);
        TextField claim = Forms.text("sso-saml-name-id-claim", s.nameIdClaimProperty(), "employee_id");
        claim.disableProperty().bind(s.nameIdFormatProperty().isEqualTo(NameIdFormat.TRANSIENT)
                .or(s.nameIdSourceProperty().isNotEqualTo(HeaderSource.CLAIM)));
        row = Forms.field(form, row, "NameID claim", claim, errors, SsoSaml.NAME_ID_CLAIM);
        ComboBox<Signing> signing = combo("sso-saml-signing", Signing.values(), Labels::of);
        signing.valueProperty().bindBidirectional(s.signingProperty());
        row = Forms.field(form, row, "Signed", signing, errors, SsoSaml.SIGNING);
        row = Forms.field(form, row, "Relay state", Forms.text("sso-saml-relay-state", s.relayStateProperty(), "https://hr.example.com/"),
                errors, SsoSaml.RELAY_STATE);
        form.add(hint("Where the service provider sends the user after a sign-in from My Apps (at most 80 bytes); empty: its"
                + " default page."), 1, row);

        Label attributesTitle = new Label("Attributes of the assertion");
        attributesTitle.getStyleClass().add("hint");
        GridPane table = SsoRowsView.table("sso-saml-attributes", "sso-attribute-", s.attributes(), HEADINGS, SsoSamlView::attribute);
        Button add = new Button("Add attribute");
        add.setId("sso-saml-attribute-add");
        add.setOnAction(e -> s.attributes().add());
        return new VBox(8, form, attributesTitle, table, Guard.guard(add, perms, Permission.PROXY_SETTINGS_WRITE,
                Bindings.size(s.attributes().rows()).greaterThanOrEqualTo(SamlRules.MAX_ATTRIBUTES)));
    }

    /**
     * Import SP metadata… (for who may change single sign-on) and Save IdP metadata… (for who may read apps), with what the
     * last one did.
     */
    static Node metadata(SsoSaml s, Permissions perms) {
        Button importSp = new Button("Import SP metadata…");
        importSp.setId("sso-saml-import");
        importSp.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Service provider metadata (XML, at most 256 KiB)");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("SAML metadata", "*.xml"),
                    new FileChooser.ExtensionFilter("Any file", "*"));
            File f = fc.showOpenDialog(importSp.getScene().getWindow());
            if (f != null) {
                s.importMetadata(f.toPath());
            }
        });
        Button idp = new Button("Save IdP metadata…");
        idp.setId("sso-saml-idp-metadata");
        idp.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Save the identity provider metadata for the service provider");
            fc.setInitialFileName("drawbridge-idp-metadata.xml");
            File f = fc.showSaveDialog(idp.getScene().getWindow());
            if (f != null) {
                s.saveIdpMetadata(f.toPath());
            }
        });
        HBox buttons = new HBox(8, Guard.guard(importSp, perms, Permission.PROXY_SETTINGS_WRITE, s.busyProperty()),
                Guard.guard(idp, perms, Permission.APPS_READ));
        buttons.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("sso-saml-metadata-status");
        status.setWrapText(true);
        status.textProperty().bind(s.metadataStatusProperty());
        status.visibleProperty().bind(s.metadataStatusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        Label error = new Label();
        error.setId("sso-saml-metadata-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(s.metadataErrorProperty());
        error.visibleProperty().bind(s.metadataErrorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        return new VBox(6, buttons, hint("Import fills the settings below from the service provider's metadata (e.g. mellon's"
                + " /mellon/metadata) for review; nothing is stored until you save. The IdP metadata is what the service provider"
                + " imports: Drawbridge's entity id, sign-in URL and signing certificate for this app."), status, error);
    }

    /** One attribute: name, source, claim (with source Claim), name format. */
    private static SsoRowsView.Lines attribute(SamlAttributeRow r, int i) {
        TextField name = SsoRowsView.text("sso-attribute-name-" + i, r.nameProperty(), "email", 10, r, SamlAttributeRow.NAME);
        ComboBox<HeaderSource> source = combo("sso-attribute-source-" + i, HeaderSource.values(), Labels::of);
        source.valueProperty().bindBidirectional(r.sourceProperty());
        Forms.markInvalid(source, r.error(SamlAttributeRow.SOURCE));
        TextField claim = SsoRowsView.text("sso-attribute-claim-" + i, r.claimProperty(), "department", 7, r, SamlAttributeRow.CLAIM);
        claim.disableProperty().bind(r.sourceProperty().isNotEqualTo(HeaderSource.CLAIM));
        ComboBox<NameFormat> format = combo("sso-attribute-format-" + i, NameFormat.values(), Labels::of);
        format.valueProperty().bindBidirectional(r.nameFormatProperty());
        GridPane.setHgrow(name, Priority.ALWAYS);
        return new SsoRowsView.Lines(List.of(name, source, claim, format), null);
    }

    private static <E extends Enum<E>> ComboBox<E> combo(String id, E[] values, Function<E, String> words) {
        ComboBox<E> c = new ComboBox<>();
        c.setId(id);
        c.getItems().setAll(values);
        c.setConverter(Labels.converter(List.of(values), words));
        c.setMaxWidth(Double.MAX_VALUE);
        return c;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }
}
