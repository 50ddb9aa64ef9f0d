package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.validation.SsoRules;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The app editor's "Single sign-on" section: the method (None, Headers, Kerberos) and, for Headers, an editable table of
 * the headers the connector sets (two lines of inputs per header, its errors on the line under them), Add header; for
 * Kerberos its settings ({@link SsoKerberosView}); for SAML, which the console does not edit yet, the stored settings and
 * a note; Save single sign-on. For an app that may not have single sign-on the section is disabled and says why. Ids:
 * {@code sso-read-only}, {@code sso-saml-stored}, {@code sso-method},
 * {@code sso-add}, {@code sso-save}, {@code sso-error}, {@code sso-unavailable}, and per row {@code sso-name-<i>},
 * {@code sso-source-<i>}, {@code sso-claim-<i>}, {@code sso-before-at-<i>}, {@code sso-lower-<i>}, {@code sso-prefix-<i>},
 * {@code sso-separator-<i>}, {@code sso-remove-<i>}, {@code sso-row-error-<i>}.
 */
public final class AppSsoView {
    private static final List<String> HEADINGS = List.of("Header name", "Source", "Claim");

    private AppSsoView() {
    }

    public static Node of(AppSso sso, Permissions perms) {
        boolean mayWrite = perms.denied(Permission.PROXY_SETTINGS_WRITE).isEmpty();
        Label unavailable = new Label();
        unavailable.setId("sso-unavailable");
        unavailable.getStyleClass().add("hint");
        unavailable.setWrapText(true);
        unavailable.textProperty().bind(sso.unavailableProperty());
        unavailable.visibleProperty().bind(sso.availableProperty().not());
        unavailable.managedProperty().bind(unavailable.visibleProperty());

        ComboBox<SsoMethod> method = new ComboBox<>();
        method.setId("sso-method");
        method.setItems(sso.methods());
        method.setConverter(Labels.converter(SsoMethod.class, Labels::of));
        method.valueProperty().bindBidirectional(sso.methodProperty());
        Label methodHint = new Label();
        methodHint.getStyleClass().add("hint");
        methodHint.setWrapText(true);
        methodHint.textProperty().bind(sso.methodProperty().map(m -> switch (m) {
            case NONE -> "The backend gets each request as the user sent it, with Drawbridge's signed X-Drawbridge-User headers.";
            case HEADERS -> "The connector sets these headers from the verified user, after removing any the browser sent"
                    + " under the same name in any spelling.";
            case KERBEROS -> "For apps that use Windows Integrated Authentication: the connector gets a Kerberos ticket for the"
                    + " user from the KDC (constrained delegation, no password) and sends it as Authorization: Negotiate.";
            case SAML -> "Drawbridge is the SAML identity provider of the app.";
            case BASIC -> "The connector signs in with the user's stored user name and password (HTTP Basic), or the app's shared one.";
            case FORMS -> "The connector fills in the backend's login form with the user's stored user name and password.";
        }));
        HBox methodRow = new HBox(8, new Label("Method"), method);
        methodRow.setAlignment(Pos.CENTER_LEFT);

        GridPane table = SsoRowsView.table("sso-headers", "sso-", sso.headers(), HEADINGS, AppSsoView::header);
        Button add = new Button("Add _header");
        add.setId("sso-add");
        add.setOnAction(e -> sso.headers().add());
        VBox headers = new VBox(6, table, Guard.guard(add, perms, Permission.PROXY_SETTINGS_WRITE,
                Bindings.size(sso.headers().rows()).greaterThanOrEqualTo(SsoRules.MAX_HEADERS)));
        headers.visibleProperty().bind(sso.methodProperty().isEqualTo(SsoMethod.HEADERS));
        headers.managedProperty().bind(headers.visibleProperty());

        Label error = new Label();
        error.setId("sso-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(sso.errorProperty());
        error.visibleProperty().bind(sso.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        Node kerberos = SsoKerberosView.of(sso.kerberos(), sso.errors());
        kerberos.visibleProperty().bind(sso.methodProperty().isEqualTo(SsoMethod.KERBEROS));
        kerberos.managedProperty().bind(kerberos.visibleProperty());
        Node saml = readOnly(sso);

        Button save = new Button("Save single sign-on");
        save.setId("sso-save");
        save.setOnAction(e -> sso.save());
        Node saveGuarded = Guard.guard(save, perms, Permission.PROXY_SETTINGS_WRITE, sso.savingProperty().or(sso.readOnlyProperty()));

        VBox editable = new VBox(8, methodRow, methodHint, headers, kerberos, saml, error, saveGuarded);
        // A role without PROXY_SETTINGS_WRITE reads the settings; nobody edits them for an app that may not have any.
        editable.disableProperty().bind(sso.availableProperty().not().or(new SimpleBooleanProperty(!mayWrite)));
        TitledPane pane = new TitledPane("Single sign-on", new VBox(8, unavailable, editable));
        pane.setId("sso-section");
        pane.setCollapsible(false);
        return pane;
    }

    /** A method the console does not edit (SAML): what is stored, and a note saying so. */
    private static Node readOnly(AppSso sso) {
        Label note = new Label(AppSso.SAML_READ_ONLY);
        note.setId("sso-read-only");
        note.getStyleClass().add("hint");
        note.setWrapText(true);
        Label stored = new Label();
        stored.setId("sso-saml-stored");
        stored.setWrapText(true);
        stored.textProperty().bind(sso.storedSamlProperty());
        VBox box = new VBox(6, stored, note);
        box.visibleProperty().bind(sso.readOnlyProperty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /** Per header two lines of inputs (name, source, claim; then the transformations): half a window holds them whole. */
    private static SsoRowsView.Lines header(SsoHeaderRow r, int i) {
        TextField name = SsoRowsView.text("sso-name-" + i, r.nameProperty(), "X-Remote-User", 10, r, SsoHeaderRow.NAME);
        ComboBox<HeaderSource> source = new ComboBox<>();
        source.setId("sso-source-" + i);
        source.getItems().setAll(HeaderSource.values());
        source.setConverter(Labels.converter(HeaderSource.class, Labels::of));
        source.valueProperty().bindBidirectional(r.sourceProperty());
        source.setMaxWidth(Double.MAX_VALUE);
        Forms.markInvalid(source, r.error(SsoHeaderRow.SOURCE));
        TextField claim = SsoRowsView.text("sso-claim-" + i, r.claimProperty(), "department", 7, r, SsoHeaderRow.CLAIM);
        claim.disableProperty().bind(r.sourceProperty().isNotEqualTo(HeaderSource.CLAIM));
        claim.setTooltip(new Tooltip("The claim's name, with source Claim"));
        GridPane.setHgrow(name, Priority.ALWAYS);
        GridPane.setHgrow(source, Priority.SOMETIMES);

        CheckBox beforeAt = new CheckBox("Before @");
        beforeAt.setId("sso-before-at-" + i);
        beforeAt.selectedProperty().bindBidirectional(r.beforeAtProperty());
        beforeAt.setTooltip(new Tooltip("Keep the part before the last @ (alice from alice@contoso.com)"));
        CheckBox lower = new CheckBox("Lower case");
        lower.setId("sso-lower-" + i);
        lower.selectedProperty().bindBidirectional(r.lowerCaseProperty());
        TextField prefix = SsoRowsView.text("sso-prefix-" + i, r.prefixProperty(), "none", 5, r, SsoHeaderRow.PREFIX);
        prefix.setTooltip(new Tooltip("Fixed text put before each value, e.g. CONTOSO\\"));
        TextField separator = SsoRowsView.text("sso-separator-" + i, r.separatorProperty(), "\"" + HeaderRule.DEFAULT_SEPARATOR + "\"", 3, r,
                SsoHeaderRow.SEPARATOR);
        separator.setTooltip(new Tooltip("What joins several values (groups); empty: a comma and a space"));
        HBox transforms = new HBox(8, beforeAt, lower, new Label("Prefix"), prefix, new Label("Separator"), separator);
        transforms.setAlignment(Pos.CENTER_LEFT);
        return new SsoRowsView.Lines(List.of(name, source, claim), transforms);
    }
}
