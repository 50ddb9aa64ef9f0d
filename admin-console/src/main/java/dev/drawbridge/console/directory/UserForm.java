package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.model.api.validation.Passwords;
import dev.drawbridge.model.api.validation.Upns;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The New user form: checked by the rules the server runs too ({@code model.api.validation}: {@link Upns}, {@link Names},
 * {@link Passwords}), in the console's words, with a generated initial password.
 */
public final class UserForm extends DialogForm {
    public static final String UPN = "upn", DISPLAY_NAME = "displayName", EMAIL = "email", PASSWORD = "password";
    /** The server's minimum password length (the shared rule). */
    static final int MIN_PASSWORD = Passwords.MIN_LENGTH;

    final StringProperty upn = new SimpleStringProperty("");
    final StringProperty displayName = new SimpleStringProperty("");
    final StringProperty email = new SimpleStringProperty("");
    final StringProperty department = new SimpleStringProperty("");
    final StringProperty password = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(UPN, upn), Field.of(DISPLAY_NAME, displayName),
            Field.of(EMAIL, email), Field.of(PASSWORD, password)),
            () -> check(upn.get(), displayName.get(), email.get(), password.get()));

    /** @param password the initial password to offer (the admin may type another) */
    public UserForm(String password) {
        this.password.set(password);
        errors.reset();
    }

    static Map<String, String> check(String upn, String displayName, String email, String password) {
        Map<String, String> e = new LinkedHashMap<>();
        if (upn.isBlank()) {
            e.put(UPN, "User principal name is required, e.g. jane.doe@example.com");
        } else if (!Upns.valid(upn.strip())) {
            e.put(UPN, "User principal name looks like name@domain, e.g. jane.doe@example.com");
        }
        if (displayName.isBlank()) {
            e.put(DISPLAY_NAME, "Display name is required, e.g. Jane Doe");
        } else if (displayName.strip().length() > Names.MAX) {
            e.put(DISPLAY_NAME, "Display name is at most " + Names.MAX + " characters.");
        }
        if (!email.isBlank() && !Upns.valid(email.strip())) {
            e.put(EMAIL, "E-mail looks like name@domain, or stays empty.");
        }
        if (!password.isEmpty() && password.length() < MIN_PASSWORD) {
            e.put(PASSWORD, "Initial password is at least " + MIN_PASSWORD + " characters (or empty: no password yet).");
        }
        return e;
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty upnProperty() {
        return upn;
    }

    public StringProperty displayNameProperty() {
        return displayName;
    }

    public StringProperty emailProperty() {
        return email;
    }

    public StringProperty departmentProperty() {
        return department;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    /** The user as POST /users takes it: blanks left out. */
    public UserSpec spec() {
        return new UserSpec(upn.get().strip(), blank(displayName.get()), blank(email.get()), blank(department.get()),
                password.get().isEmpty() ? null : password.get());
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
