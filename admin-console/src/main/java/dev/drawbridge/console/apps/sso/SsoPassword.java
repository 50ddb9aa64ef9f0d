package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.SsoSettings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;

/**
 * The password-vaulting part of an app's single sign-on being edited: for both methods whose credentials the backend gets
 * (each user's own, or the app's {@linkplain SsoSharedCredential shared} one); for {@code FORMS} also where the login form
 * is and, optionally, its fields' names ({@link FormsSso}; empty: detected from the form). The fields' errors are
 * {@link AppSso#errors()}' {@link #LOGIN_PATH}, {@link #USERNAME_FIELD} and {@link #PASSWORD_FIELD}.
 */
public final class SsoPassword {
    /** The fields, as the rules name them. */
    public static final String LOGIN_PATH = "forms.loginPath", USERNAME_FIELD = "forms.usernameField", PASSWORD_FIELD = "forms.passwordField";

    private final ObjectProperty<Credentials> credentials = new SimpleObjectProperty<>(Credentials.USER);
    private final StringProperty loginPath = new SimpleStringProperty("");
    private final StringProperty usernameField = new SimpleStringProperty("");
    private final StringProperty passwordField = new SimpleStringProperty("");
    private final SsoSharedCredential shared;

    SsoPassword(SsoSharedCredential shared) {
        this.shared = shared;
    }

    /** Method BASIC's settings as shown. */
    BasicSso basic() {
        return new BasicSso(credentials.get());
    }

    /** Method FORMS' settings as shown: the path and names stripped, an empty name for detection. */
    FormsSso forms() {
        return new FormsSso(SsoRow.text(loginPath.get()).strip(), SsoRow.text(usernameField.get()).strip(),
                SsoRow.text(passwordField.get()).strip(), credentials.get());
    }

    /** Shows what {@code s} stores (the defaults for another method: each user's own credentials, nothing typed). */
    void show(SsoSettings s) {
        credentials.set(s.vaultCredentials().orElse(Credentials.USER));
        FormsSso f = s.forms();
        loginPath.set(f == null ? "" : SsoRow.text(f.loginPath()));
        usernameField.set(f == null ? "" : f.username().orElse(""));
        passwordField.set(f == null ? "" : f.password().orElse(""));
    }

    /** The fields with errors of their own; the password field's also concerns the user-name field (they may not be alike). */
    List<Field> fields() {
        return List.of(Field.of(LOGIN_PATH, loginPath), Field.of(USERNAME_FIELD, usernameField),
                Field.of(PASSWORD_FIELD, passwordField, usernameField));
    }

    /** Everything the admin edits. */
    List<ObservableValue<?>> inputs() {
        return List.of(credentials, loginPath, usernameField, passwordField);
    }

    /** Whose user name and password the backend gets. */
    public ObjectProperty<Credentials> credentialsProperty() {
        return credentials;
    }

    /** The login form's path on the backend, e.g. {@code /login}. */
    public StringProperty loginPathProperty() {
        return loginPath;
    }

    /** The form's user-name field's name; empty: detected. */
    public StringProperty usernameFieldProperty() {
        return usernameField;
    }

    /** The form's password field's name; empty: detected. */
    public StringProperty passwordFieldProperty() {
        return passwordField;
    }

    /** The app's shared user name and password (write-only), for {@link Credentials#SHARED}. */
    public SsoSharedCredential shared() {
        return shared;
    }
}
