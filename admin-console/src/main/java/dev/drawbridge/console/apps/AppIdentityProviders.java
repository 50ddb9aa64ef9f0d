package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.OidcProviderSettings;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The identity providers an app offers ({@code access.identityProviders}; none: every provider), as a checklist: the
 * configured providers ({@code GET /identity-providers}, by display name and id), then each id the app names that is no
 * longer configured (a deleted provider: shown, ticked, so the admin sees it and may untick it; once unticked it leaves
 * the list, as nothing can be offered under it). When the providers cannot be listed (the admin lacks DIRECTORY_READ, the
 * server is down) the app's ids are shown as they are, neither called deleted nor joined by others.
 */
public final class AppIdentityProviders {
    /** How a choice stands: a configured provider, an id no provider has, or an id whose provider is unknown. */
    public enum Kind { CONFIGURED, DELETED, UNLISTED }

    /** One line of the checklist. */
    public record Choice(String id, String displayName, Kind kind) {
        public Choice {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a provider choice needs an id");
            }
        }

        /** What the checklist shows: "Corp sign-in (corp)", "old (deleted provider)", or the id alone. */
        public String label() {
            return switch (kind) {
                case CONFIGURED -> displayName == null || displayName.isBlank() || displayName.equals(id) ? id : displayName + " (" + id + ")";
                case DELETED -> id + " (deleted provider)";
                case UNLISTED -> id;
            };
        }

        @Override
        public String toString() {
            return label();
        }
    }

    private final AdminApi api;
    private final Tasks tasks;
    private final ObservableList<String> chosen;
    private final ObservableList<Choice> choices = FXCollections.observableArrayList();
    /** Null until listed (or when the list failed). */
    private List<OidcProviderSettings> configured;
    private final ReadOnlyStringWrapper listError = new ReadOnlyStringWrapper("");
    private final StringBinding summary;

    AppIdentityProviders(AdminApi api, Tasks tasks, ObservableList<String> chosen) {
        this.api = api;
        this.tasks = tasks;
        this.chosen = chosen;
        chosen.addListener((ListChangeListener<String>) c -> rebuild());
        summary = Bindings.createStringBinding(() -> chosen.isEmpty() ? "Every provider"
                : chosen.stream().map(id -> choice(id).label()).collect(Collectors.joining(", ")), chosen, choices);
        rebuild();
    }

    /** Lists the configured providers (quietly: without them the app's ids are shown as they are). */
    public void refresh() {
        tasks.runQuietly("list the identity providers", () -> api.identityProviders().list(), list -> {
            configured = List.copyOf(list);
            listError.set("");
            rebuild();
        }, e -> {
            configured = null;
            listError.set("Could not list the identity providers: " + Failures.message(e));
            rebuild();
        });
    }

    /** The checklist's lines: configured providers in the server's order, then the app's ids no provider has. */
    public ObservableList<Choice> choices() {
        return choices;
    }

    /** The ids the app offers, in its order (the editor's list); empty: every provider. */
    public ObservableList<String> chosen() {
        return chosen;
    }

    /** "Every provider" when none is chosen, else the chosen ones' labels. */
    public StringBinding summary() {
        return summary;
    }

    /** Why the providers could not be listed, empty when they were (or have not been asked for yet). */
    public ReadOnlyStringProperty listErrorProperty() {
        return listError.getReadOnlyProperty();
    }

    /**
     * Sets what is chosen from the checklist's ticks: ids still ticked keep their order, newly ticked ones follow in the
     * checklist's order; an id that is not a line of the checklist is ignored.
     */
    public void tick(Collection<String> ticked) {
        Set<String> lines = choices.stream().map(Choice::id).collect(Collectors.toSet());
        Set<String> next = new LinkedHashSet<>();
        chosen.stream().filter(ticked::contains).forEach(next::add);
        choices.stream().map(Choice::id).filter(id -> ticked.contains(id) && lines.contains(id)).forEach(next::add);
        if (!List.copyOf(next).equals(List.copyOf(chosen))) {
            chosen.setAll(next);
        }
    }

    private Choice choice(String id) {
        return choices.stream().filter(c -> c.id().equals(id)).findFirst().orElseGet(() -> new Choice(id, null, Kind.UNLISTED));
    }

    private void rebuild() {
        List<Choice> next = new ArrayList<>();
        if (configured != null) {
            configured.stream().filter(p -> p.id() != null).forEach(p -> next.add(new Choice(p.id(), p.displayName(), Kind.CONFIGURED)));
        }
        Set<String> listed = next.stream().map(Choice::id).collect(Collectors.toSet());
        chosen.stream().filter(id -> !listed.contains(id)).distinct()
                .forEach(id -> next.add(new Choice(id, null, configured == null ? Kind.UNLISTED : Kind.DELETED)));
        if (!next.equals(choices)) {
            choices.setAll(next);
        }
    }
}
