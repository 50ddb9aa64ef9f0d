package dev.drawbridge.console.connectors;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.validation.Names;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;
import java.util.Map;

/** The Maintenance dialog of a connector group: the message its apps' users read, checked by the server's rule as typed. */
public final class MaintenanceForm extends DialogForm {
    public static final String MESSAGE = "message";

    final StringProperty message = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(MESSAGE, message)),
            () -> Names.maintenanceMessage(MESSAGE, message.get()).map(e -> Map.of(MESSAGE, e.message())).orElse(Map.of()));

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty messageProperty() {
        return message;
    }
}
