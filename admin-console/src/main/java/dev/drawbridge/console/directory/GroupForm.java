package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.GroupBody;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The New group form: a name, a description, and for a dynamic group its membership rule (which the server checks). */
public final class GroupForm extends DialogForm {
    public static final String NAME = "name", DESCRIPTION = "description", RULE = "membershipRule";

    final StringProperty name = new SimpleStringProperty("");
    final StringProperty description = new SimpleStringProperty("");
    final StringProperty rule = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(NAME, name), Field.of(DESCRIPTION, description),
            Field.of(RULE, rule)), () -> check(name.get()));

    static Map<String, String> check(String name) {
        Map<String, String> e = new LinkedHashMap<>();
        if (name.isBlank()) {
            e.put(NAME, "Name is required, e.g. Finance");
        } else if (name.strip().length() > 200) {
            e.put(NAME, "Name is at most 200 characters.");
        }
        return e;
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    /** Empty for an assigned group; e.g. {@code department eq "Finance"} for a dynamic one. */
    public StringProperty ruleProperty() {
        return rule;
    }

    /** The group to create: blanks left out (null). */
    GroupBody body() {
        return new GroupBody(name.get().strip(), description.get().isBlank() ? null : description.get().strip(),
                rule.get().isBlank() ? null : rule.get().strip());
    }
}
