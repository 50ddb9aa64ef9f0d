package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.SsoMethod;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Password vaulting's settings in the single sign-on section: for login forms, where the form is and its fields' names
 * (empty: detected); whose credentials the backend gets; and, for shared credentials, the write-only form that sets the
 * app's user name and password (a password field that never shows what is stored, emptied once sent) or removes them
 * (after asking). Ids: {@code sso-login-path}, {@code sso-username-field}, {@code sso-password-field}, {@code sso-credentials},
 * {@code sso-shared-username}, {@code sso-shared-password}, {@code sso-shared-set}, {@code sso-shared-remove},
 * {@code sso-shared-status}; each input's error {@code <id>-error}.
 */
final class SsoPasswordView {
    private SsoPasswordView() {
    }

    static Node of(SsoPassword p, ObservableValue<SsoMethod> method, FieldErrors errors, Permissions perms) {
        GridPane forms = Forms.grid();
        int row = Forms.field(forms, 0, "Login form path", Forms.text("sso-login-path", p.loginPathProperty(), "/login"), errors,
                SsoPassword.LOGIN_PATH);
        forms.add(hint("The path of the backend's login form, as the backend names it in its redirects (no query)."), 1, row++);
        row = Forms.field(forms, row, "User-name field", Forms.text("sso-username-field", p.usernameFieldProperty(),
                "Detected from the form"), errors, SsoPassword.USERNAME_FIELD);
        row = Forms.field(forms, row, "Password field", Forms.text("sso-password-field", p.passwordFieldProperty(),
                "Detected from the form"), errors, SsoPassword.PASSWORD_FIELD);
        forms.add(hint("The name attributes of the form's inputs; empty: the connector takes the form's one password input and the"
                + " last text or e-mail input before it."), 1, row);
        forms.visibleProperty().bind(method.map(m -> m == SsoMethod.FORMS).orElse(false));
        forms.managedProperty().bind(forms.visibleProperty());

        GridPane whose = Forms.grid();
        ComboBox<Credentials> credentials = new ComboBox<>();
        credentials.setId("sso-credentials");
        credentials.getItems().setAll(Credentials.values());
        credentials.setConverter(Labels.converter(Credentials.class, Labels::of));
        credentials.valueProperty().bindBidirectional(p.credentialsProperty());
        Forms.field(whose, 0, "Credentials", credentials);
        Label explain = hint("");
        explain.textProperty().bind(p.credentialsProperty().map(c -> switch (c) {
            case USER -> "Each user stores their user name and password for the app once, in My Apps; they are sealed with the"
                    + " server's data key and never shown again. A user who has none is asked first.";
            case SHARED -> "Every user signs in to the backend with the one user name and password set below (a service account).";
        }));
        Node shared = shared(p.shared(), perms);
        shared.visibleProperty().bind(p.credentialsProperty().isEqualTo(Credentials.SHARED));
        shared.managedProperty().bind(shared.visibleProperty());
        return new VBox(6, forms, whose, explain, shared);
    }

    /** The write-only shared user name and password: set (replacing what is stored) or remove. */
    private static Node shared(SsoSharedCredential c, Permissions perms) {
        Label title = new Label("Shared user name and password (write-only)");
        title.getStyleClass().add("section");
        GridPane form = Forms.grid();
        TextField user = Forms.text("sso-shared-username", c.usernameProperty(), "svc-hr");
        int row = Forms.field(form, 0, "User name", user, c.errors(), SsoSharedCredential.USERNAME);
        PasswordField password = new PasswordField();
        password.setId("sso-shared-password");
        password.setPromptText("Never shown: type it to set it");
        password.textProperty().bindBidirectional(c.passwordProperty());
        Forms.field(form, row, "Password", password, c.errors(), SsoSharedCredential.PASSWORD);

        Button set = new Button("Set shared user name and password");
        set.setId("sso-shared-set");
        set.setOnAction(e -> {
            c.set();
            Forms.focusFirstError(form);
        });
        // Enter in the password field sets it, instead of saving the app.
        password.setOnAction(e -> {
            e.consume();
            set.fire();
        });
        Button remove = new Button("Remove…");
        remove.setId("sso-shared-remove");
        remove.setOnAction(e -> {
            if (Dialogs.confirm(remove, "Remove the shared user name and password?", "Single sign-on with shared credentials fails"
                    + " for every user of the app until they are set again.")) {
                c.remove();
            }
        });
        HBox buttons = new HBox(8, Guard.guard(set, perms, Permission.PROXY_SETTINGS_WRITE, c.busyProperty()),
                Guard.guard(remove, perms, Permission.PROXY_SETTINGS_WRITE, c.busyProperty()));
        buttons.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("sso-shared-status");
        status.setWrapText(true);
        status.textProperty().bind(c.statusProperty());
        status.visibleProperty().bind(c.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
        Label about = hint("Set at once, apart from Save single sign-on. The server seals them with its data key and never shows"
                + " them again, not even whether some are stored (Test as user says that); the password field empties once sent.");
        return new VBox(6, title, form, buttons, status, about);
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }
}
