package dev.drawbridge.console.connectors;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Rollback;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The connector update rollout of the selected connector group ({@code /connector-groups/{id}/rollout}): its state,
 * target and pinned version, why it halted, and its connectors with their versions, update states and last errors; and
 * what an administrator does with it — pause, resume (which also clears a halt), pin an uploaded version, unpin, roll
 * back. Every change is one {@code PUT} of the whole settings, made from the rollout as last read (one change at a time).
 * Rolling back computes its version from fresh data ({@link Rollback#plan}), asks the admin to confirm, then pins it.
 */
public final class GroupRollout {
    static final String NONE_SELECTED = "Select a connector group to see its update rollout.";

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final ReadOnlyObjectWrapper<RolloutView> rollout = new ReadOnlyObjectWrapper<>();
    private final ObservableList<RolloutConnector> connectors = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(NONE_SELECTED);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private boolean loading, missingReported;
    private String groupId, groupName;

    GroupRollout(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
    }

    /** Shows the rollout of {@code g} (null: none selected). */
    void select(ConnectorGroupView g) {
        String id = g == null ? null : g.id();
        groupName = g == null ? null : g.name();
        if (Objects.equals(id, groupId)) {
            return;
        }
        groupId = id;
        show(null);
        state.set(id == null ? NONE_SELECTED : "Loading…");
        refresh();
    }

    /** Reads the rollout again (skipped while a read or a change is running). */
    void refresh() {
        if (groupId == null || loading || busy.get()) {
            return;
        }
        String id = groupId, name = groupName;
        loading = true;
        tasks.runQuietly("load the update rollout of " + name, () -> api.connectorGroups().rollout(id), v -> {
            loading = false;
            if (id.equals(groupId) && !busy.get()) {
                show(v);
            }
        }, e -> {
            loading = false;
            if (!id.equals(groupId)) {
                return;
            }
            if (Failures.notFound(e) && rollout.get() == null) {
                state.set("This server does not offer update rollouts yet (it answered 404).");
                if (!missingReported) {
                    missingReported = true;
                    notices.warn("Not available on this server", state.get());
                }
            } else {
                state.set("Could not load the update rollout: " + Failures.message(e));
            }
        });
    }

    private void show(RolloutView v) {
        rollout.set(v);
        connectors.setAll(v == null ? List.of() : v.connectors());
        if (v != null) {
            state.set("");
        }
    }

    /** The rollout as last read; null while none is. */
    public ReadOnlyObjectProperty<RolloutView> rolloutProperty() {
        return rollout.getReadOnlyProperty();
    }

    public ObservableList<RolloutConnector> connectors() {
        return connectors;
    }

    /** A sentence while nothing is shown (none selected, loading, the server's failure); empty otherwise. */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** True while a change is being sent. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** No connector starts updating until resumed (one updating now finishes). */
    public void pause() {
        change("pause", r -> new RolloutSettings(true, r.pinnedVersion()), r -> "Rollout paused",
                r -> "No connector of " + r.groupName() + " starts updating until you resume it.");
    }

    /** Clears a pause and a halt: the group's connectors update to the target again, one at a time. */
    public void resume() {
        change("resume", r -> new RolloutSettings(false, r.pinnedVersion()), r -> "Rollout resumed",
                r -> r.groupName() + " updates to " + orNone(r.targetVersion()) + ", one connector at a time.");
    }

    /** Pins {@code version} (an uploaded one; the server refuses others, naming it); clears a halt. */
    public void pin(String version) {
        if (version == null || version.isBlank()) {
            return;
        }
        change("pin " + version, r -> new RolloutSettings(r.paused(), version), r -> "Version pinned",
                r -> r.groupName() + " runs " + r.pinnedVersion() + (r.paused() ? " once resumed." : "."));
    }

    /** Unpins: the group follows the highest uploaded version again; clears a halt. */
    public void unpin() {
        change("unpin", r -> new RolloutSettings(r.paused(), ""), r -> "Version unpinned",
                r -> r.groupName() + " follows the highest uploaded version (" + orNone(r.targetVersion()) + ").");
    }

    /**
     * Rolls back: reads the rollout and the uploaded bundles, and pins the highest version below the target once
     * {@code confirm} accepts it (on the UI thread); with none below, the refusal's sentence is an error notice.
     */
    public void rollBack(Predicate<Rollback.Pin> confirm) {
        String id = groupId, name = groupName;
        if (id == null || busy.get()) {
            return;
        }
        busy.set(true);
        tasks.run("plan the roll back of " + name, () -> {
            RolloutView now = api.connectorGroups().rollout(id);
            return new Planned(now, Rollback.plan(now, api.connectorUpdates().list()));
        }, p -> {
            busy.set(false);
            switch (p.plan()) {
                case Rollback.Refused r -> notices.error("Cannot roll back " + name, r.sentence());
                case Rollback.Pin pin -> {
                    if (confirm.test(pin)) {
                        put("roll back", id, name, new RolloutSettings(p.now().paused(), pin.version()), r -> "Rolled back",
                                r -> r.groupName() + " goes back from " + pin.from() + " to " + pin.version()
                                        + (r.paused() ? " once resumed." : ", one connector at a time."));
                    }
                }
            }
        }, e -> busy.set(false));
    }

    private record Planned(RolloutView now, Rollback.Plan plan) {
    }

    private void change(String what, Function<RolloutView, RolloutSettings> settings, Function<RolloutView, String> title,
                        Function<RolloutView, String> text) {
        RolloutView r = rollout.get();
        if (r == null || busy.get()) {
            return;
        }
        put(what, r.groupId(), r.groupName(), settings.apply(r), title, text);
    }

    private void put(String what, String id, String name, RolloutSettings settings, Function<RolloutView, String> title,
                     Function<RolloutView, String> text) {
        busy.set(true);
        tasks.run(what + " the update rollout of " + name, () -> api.connectorGroups().setRollout(id, settings), after -> {
            busy.set(false);
            if (id.equals(groupId)) {
                show(after);
            }
            notices.info(title.apply(after), text.apply(after));
        }, e -> busy.set(false));
    }

    /** Whether the rollout stands still (paused or halted): Resume is what moves it. */
    static boolean stopped(RolloutView r) {
        return r != null && (r.paused() || r.state() == RolloutState.HALTED);
    }

    private static String orNone(String v) {
        return v == null || v.isEmpty() ? "none" : v;
    }
}
