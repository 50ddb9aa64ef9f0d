package dev.drawbridge.console.apps;

import dev.drawbridge.console.apps.AppIdentityProviders.Choice;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Tooltip;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;

import java.util.List;

/**
 * The app editor's identity providers ({@link AppIdentityProviders}): a drop-down checklist, one line a configured
 * provider ("Corp sign-in (corp)") and one an id of a deleted provider the app still names, its title "Every provider"
 * when none is ticked, else the ticked ones. A drop-down keeps the editor's height whatever the number of providers.
 */
final class AppIdentityProvidersView {
    private AppIdentityProvidersView() {
    }

    static CheckComboBox<Choice> of(AppIdentityProviders providers) {
        CheckComboBox<Choice> c = new CheckComboBox<>(providers.choices());
        c.setId("app-identity-providers");
        c.setConverter(new StringConverter<>() {
            @Override
            public String toString(Choice choice) {
                return choice == null ? "" : choice.label();
            }

            @Override
            public Choice fromString(String s) {
                return null;
            }
        });
        c.titleProperty().bind(providers.summary().map(s -> "Sign-in: " + s));
        c.setMaxWidth(Double.MAX_VALUE);
        c.setMinWidth(120);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(Bindings.createStringBinding(() -> "The identity providers offered on this app's sign-in page and "
                + "accepted for it; none ticked: every provider." + (providers.listErrorProperty().get().isEmpty() ? ""
                : "\n" + providers.listErrorProperty().get()), providers.listErrorProperty()));
        c.setTooltip(tip);
        boolean[] syncing = {false};
        Runnable toChecks = () -> {
            syncing[0] = true;
            try {
                c.getCheckModel().clearChecks();
                providers.choices().stream().filter(x -> providers.chosen().contains(x.id())).forEach(c.getCheckModel()::check);
            } finally {
                syncing[0] = false;
            }
        };
        providers.chosen().addListener((ListChangeListener<String>) x -> {
            if (!syncing[0]) {
                toChecks.run();
            }
        });
        providers.choices().addListener((ListChangeListener<Choice>) x -> {
            if (!syncing[0]) {
                toChecks.run();
            }
        });
        c.getCheckModel().getCheckedItems().addListener((ListChangeListener<Choice>) x -> {
            if (!syncing[0]) {
                List<String> ticked = providers.choices().stream().filter(c.getCheckModel()::isChecked).map(Choice::id).toList();
                syncing[0] = true;
                try {
                    providers.tick(ticked);
                } finally {
                    syncing[0] = false;
                }
                // A deleted provider unticked has left the list: the ticks follow what is chosen now.
                toChecks.run();
            }
        });
        toChecks.run();
        return c;
    }
}
