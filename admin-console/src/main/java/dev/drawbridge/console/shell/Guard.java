package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AdminRole.Permission;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;

import java.util.Optional;

/**
 * Disables a control the signed-in role may not use and says why. A disabled control shows no tooltip in
 * JavaFX, so the control is wrapped in a pane that carries the same tooltip.
 */
public final class Guard {
    /** Key of {@link Node#getProperties()} holding the reason a control is denied (tests read it). */
    public static final String DENIED = "drawbridge.denied";

    private Guard() {
    }

    /** Guards {@code c}; {@code otherwise} disables it for other reasons (nothing selected, busy). */
    public static Node guard(Control c, Permissions perms, Permission p, ObservableBooleanValue otherwise) {
        Optional<String> denied = perms.denied(p);
        StackPane wrap = new StackPane(c);
        wrap.getStyleClass().add("guard");
        if (denied.isPresent()) {
            c.setDisable(true);
            c.getProperties().put(DENIED, denied.get());
            Tooltip t = new Tooltip(denied.get());
            c.setTooltip(t);
            Tooltip.install(wrap, t);
        } else if (otherwise != null) {
            c.disableProperty().bind(Bindings.createBooleanBinding(otherwise::get, otherwise));
        }
        return wrap;
    }

    public static Node guard(Control c, Permissions perms, Permission p) {
        return guard(c, perms, p, null);
    }
}
