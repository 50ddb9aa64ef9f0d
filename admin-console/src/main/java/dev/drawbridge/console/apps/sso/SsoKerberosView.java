package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * The Kerberos settings of the single sign-on section: the backend's SPN (its error on the line under it, the field
 * marked, as every form's), the delegated login identity in words, "Send the ticket up front" with a line saying what it does, and
 * whether the app's connector group has its Kerberos settings. Ids: {@code sso-spn}, {@code sso-spn-error},
 * {@code sso-login-identity}, {@code sso-up-front}, {@code sso-kerberos-group}.
 */
final class SsoKerberosView {
    private SsoKerberosView() {
    }

    static Node of(SsoKerberos k, FieldErrors errors) {
        GridPane form = Forms.grid();
        TextField spn = Forms.text("sso-spn", k.spnProperty(), "HTTP/intranet.corp.example");
        int row = Forms.field(form, 0, "Service principal name (SPN)", spn, errors, SsoKerberos.SPN);
        form.add(hint("The app's own SPN, as registered on its account (setspn); the connector never derives it from the"
                + " internal URL. Add @REALM for a realm other than the connector group's."), 1, row++);

        ComboBox<LoginIdentity> identity = new ComboBox<>();
        identity.setId("sso-login-identity");
        identity.getItems().setAll(LoginIdentity.values());
        identity.setConverter(Labels.converter(LoginIdentity.class, Labels::of));
        identity.valueProperty().bindBidirectional(k.loginIdentityProperty());
        row = Forms.field(form, row, "Delegated login identity", identity);
        Label identityHint = hint("");
        identityHint.textProperty().bind(k.loginIdentityProperty().map(SsoKerberosView::explain));
        form.add(identityHint, 1, row++);

        CheckBox upFront = Forms.check("sso-up-front", "Send the ticket up front", k.upFrontProperty());
        form.add(upFront, 1, row++);
        form.add(hint("With each request, instead of after the app's 401 Negotiate challenge: saves a round trip, and lets"
                + " large uploads through."), 1, row++);

        Label group = new Label();
        group.setId("sso-kerberos-group");
        group.setWrapText(true);
        group.textProperty().bind(k.groupHintProperty());
        group.visibleProperty().bind(k.groupHintProperty().isNotEmpty());
        group.managedProperty().bind(group.visibleProperty());
        k.groupMissingProperty().addListener((o, was, now) -> style(group, now));
        style(group, k.groupMissingProperty().get());
        return new VBox(6, form, group);
    }

    /** What each login identity sends the KDC for alice@contoso.com. */
    static String explain(LoginIdentity l) {
        return switch (l) {
            case UPN -> "alice@contoso.com: works when the UPN suffix is the realm's domain.";
            case ON_PREM_UPN -> "The on-premises UPN directory sync brought; users without one are refused.";
            case USER_PART -> "alice, in the connector group's realm: when UPN suffixes differ from the AD domain.";
            case ON_PREM_SAM -> "The sAMAccountName directory sync brought (CORP\\alice's alice); users without one are refused.";
        };
    }

    private static void style(Label l, boolean missing) {
        l.getStyleClass().removeAll("hint", "expiring");
        // Amber when the group has no settings: the app cannot work yet.
        l.getStyleClass().add(missing ? "expiring" : "hint");
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }
}
