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
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;

/**
 * The app editor's "Single sign-on" section: the method and its settings — for Headers an editable table of the headers
 * the connector sets (two lines of inputs per header, its errors on the line under them) and Add header; for Kerberos
 * {@link SsoKerberosView}; for stored passwords {@link SsoPasswordView}; for SAML {@link SsoSamlView} (with the metadata
 * import and export above the settings) — then Save single sign-on, and {@link TestAsUserView}. For an app that may not
 * have single sign-on the section is disabled and says why; a role without {@code PROXY_SETTINGS_WRITE} reads the settings,
 * exports the IdP metadata and tests as a user, but changes nothing. Ids: {@code sso-section}, {@code sso-method},
 * {@code sso-add}, {@code sso-save}, {@code sso-error}, {@code sso-unavailable}, and per header row {@code sso-name-<i>},
 * {@code sso-source-<i>}, {@code sso-claim-<i>}, {@code sso-before-at-<i>}, {@code sso-lower-<i>}, {@code sso-prefix-<i>},
 * {@code sso-separator-<i>}, {@code sso-remove-<i>}, {@code sso-row-error-<i>}.
 */
public final class AppSsoView {
    private static final List<String> HEADINGS = List.of("Header name", "Source", "Claim");

    private AppSsoView() {
    }

    public static Node of(AppSso sso, Permissions perms) {
        Label unavailable = new Label();
        unavailable.setId("sso-unavailable");
        unavailable.getStyleClass().add("hint");
        unavailable.setWrapText(true);
        unavailable.textProperty().bind(sso.unavailableProperty());
        unavailable.visibleProperty().bind(sso.availableProperty().not());
        unavailable.managedProperty().bind(unavailable.visibleProperty());

        ComboBox<SsoMethod> method = new ComboBox<>(FXCollections.observableArrayList(sso.methods()));
        method.setId("sso-method");
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
            case SAML -> "For apps that speak SAML 2.0: Drawbridge is the app's identity provider and signs the user in to its"
                    + " service provider (e.g. Apache mod_auth_mellon) with a signed assertion.";
            case BASIC -> "For apps that ask for a user name and password (401 Basic): the connector answers with the user's stored"
                    + " ones, or the app's shared ones.";
            case FORMS -> "For apps with a login page of their own: when the backend shows its login form, the connector fills it in"
                    + " with the user's stored user name and password (or the app's shared ones) and posts it.";
        }));
        HBox methodRow = new HBox(8, new Label("Method"), method);
        methodRow.setAlignment(Pos.CENTER_LEFT);

        GridPane table = SsoRowsView.table("sso-headers", "sso-", sso.headers(), HEADINGS, AppSsoView::header);
        Button add = new Button("Add _header");
        add.setId("sso-add");
        add.setOnAction(e -> sso.headers().add());
        VBox headers = new VBox(6, table, Guard.guard(add, perms, Permission.PROXY_SETTINGS_WRITE,
                Bindings.size(sso.headers().rows()).greaterThanOrEqualTo(SsoRules.MAX_HEADERS)));
        only(headers, sso, SsoMethod.HEADERS);

        Label error = new Label();
        error.setId("sso-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(sso.errorProperty());
        error.visibleProperty().bind(sso.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        Button save = new Button("Save single sign-on");
        save.setId("sso-save");
        save.setOnAction(e -> sso.save());
        Node saveGuarded = Guard.guard(save, perms, Permission.PROXY_SETTINGS_WRITE, sso.savingProperty());

        VBox top = new VBox(8, methodRow, methodHint);
        Node metadata = only(SsoSamlView.metadata(sso.saml(), perms), sso, SsoMethod.SAML);
        VBox settings = new VBox(8, headers, only(SsoKerberosView.of(sso.kerberos(), sso.errors()), sso, SsoMethod.KERBEROS),
                only(SsoPasswordView.of(sso.password(), sso.methodProperty(), sso.errors(), perms), sso, SsoMethod.BASIC, SsoMethod.FORMS),
                only(SsoSamlView.of(sso.saml(), sso.errors(), perms), sso, SsoMethod.SAML), error, saveGuarded);
        // A role without PROXY_SETTINGS_WRITE reads the settings; nobody edits them for an app that may not have any.
        var noWrite = sso.availableProperty().not().or(new SimpleBooleanProperty(!perms.has(Permission.PROXY_SETTINGS_WRITE)));
        top.disableProperty().bind(noWrite);
        settings.disableProperty().bind(noWrite);
        Node test = TestAsUserView.of(sso, perms);
        metadata.disableProperty().bind(sso.availableProperty().not());
        test.disableProperty().bind(sso.availableProperty().not());
        TitledPane pane = new TitledPane("Single sign-on", new VBox(8, unavailable, top, metadata, settings, new Separator(), test));
        pane.setId("sso-section");
        pane.setCollapsible(false);
        return pane;
    }

    /** {@code n} is shown only while the method is one of {@code methods}. */
    private static Node only(Node n, AppSso sso, SsoMethod... methods) {
        List<SsoMethod> shown = List.of(methods);
        n.visibleProperty().bind(sso.methodProperty().map(shown::contains).orElse(false));
        n.managedProperty().bind(n.visibleProperty());
        return n;
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
