package dev.drawbridge.console.connectors;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * Connector groups and connectors: health, move, revoke, registration tokens for new connectors, the selected group's
 * Kerberos settings ({@link GroupKerberos}) and update rollout ({@link GroupRollout}), and the uploaded connector update
 * bundles ({@link UpdateBundles}).
 */
public final class ConnectorsViewModel {
    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Clock clock;
    private final Listing<ConnectorGroupView> groups = new Listing<>(ConnectorGroupView::id);
    private final Listing<ConnectorView> connectors = new Listing<>(ConnectorView::id);
    private final FilteredList<ConnectorView> shown = new FilteredList<>(connectors.items());
    private final ObservableList<String> groupNames = FXCollections.observableArrayList();
    private final GroupKerberos kerberos;
    private final GroupRollout rollout;
    private final UpdateBundles updates;

    public ConnectorsViewModel(Session session, Tasks tasks, Notices notices, Clock clock) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
        this.clock = clock;
        this.kerberos = new GroupKerberos(api, tasks, notices);
        this.rollout = new GroupRollout(api, tasks, notices);
        this.updates = new UpdateBundles(api, tasks, notices, rollout::refresh);
        groups.selectedProperty().addListener((o, was, g) -> {
            shown.setPredicate(g == null ? null : c -> c.groupId().equals(g.id()));
            kerberos.select(g);
            rollout.select(g);
        });
        groups.items().addListener((ListChangeListener<ConnectorGroupView>) c ->
                groupNames.setAll(groups.items().stream().map(ConnectorGroupView::name).toList()));
    }

    public Listing<ConnectorGroupView> groups() {
        return groups;
    }

    public Listing<ConnectorView> connectors() {
        return connectors;
    }

    /** The connectors of the selected group (all when none is selected). */
    public FilteredList<ConnectorView> shown() {
        return shown;
    }

    /** The selected group's Kerberos settings. */
    public GroupKerberos kerberos() {
        return kerberos;
    }

    /** The selected group's connector update rollout. */
    public GroupRollout rollout() {
        return rollout;
    }

    /** The uploaded connector update bundles. */
    public UpdateBundles updates() {
        return updates;
    }

    public ObservableList<String> groupNames() {
        return groupNames;
    }

    public Clock clock() {
        return clock;
    }

    /** What the Status column says before the status itself: a connector whose certificate has passed its end must register again. */
    public static final String EXPIRED = "Expired – register again";

    /** Whether {@code c}'s client certificate has passed its end (the server refuses its tunnels until it registers again). */
    public boolean certificateExpired(ConnectorView c) {
        return c.certificateNotAfter() != null && !clock.instant().isBefore(c.certificateNotAfter());
    }

    /**
     * The Connectors table's "Last error" (docs/admin-console.md): an expired certificate first (the server refuses the
     * connector's tunnels and renewals until it registers again), else why its last update failed or was rolled back, as the
     * connector reported it; else nothing.
     */
    public String lastError(ConnectorView c, String expiredAt) {
        if (certificateExpired(c) && c.status() != ConnectorStatus.REVOKED) {
            return "certificate expired " + expiredAt + ": the server refuses it; register the connector again with a new token";
        }
        return c.updateError() == null ? "" : c.updateError().replaceAll("\\p{Cntrl}+", " ");
    }

    public void refresh() {
        groups.load(tasks, notices, "connector groups", () -> api.connectorGroups().list(Paging.LARGEST).items());
        connectors.load(tasks, notices, "connectors", () -> api.connectors().list(Paging.LARGEST, Connectors.Filter.NONE).items());
        kerberos.refresh();
        rollout.refresh();
        updates.refresh();
    }

    /** Creates the group of {@code form}; {@code created} runs (the dialog closes) once the server accepted it. */
    public void createGroup(ConnectorGroupForm form, Runnable created) {
        String name = form.nameProperty().get().strip();
        form.save(tasks, notices, "create connector group " + name, "Could not create connector group " + name,
                () -> api.connectorGroups().create(new NameBody(name, null, null)), g -> {
                    created.run();
                    notices.info("Connector group created", g.name());
                    refresh();
                });
    }

    public void deleteGroup() {
        ConnectorGroupView g = groups.selected();
        if (g == null) {
            return;
        }
        tasks.run("delete connector group " + g.name(), () -> {
            api.connectorGroups().delete(g.id());
            return g;
        }, gone -> {
            groups.selectedProperty().set(null);
            notices.info("Connector group deleted", gone.name());
            refresh();
        });
    }

    /**
     * Puts the selected group in maintenance mode with the form's message (blank: none), or changes it: no new request
     * goes to its connectors, its apps answer a maintenance page.
     */
    public void startMaintenance(MaintenanceForm form, Runnable done) {
        ConnectorGroupView g = groups.selected();
        if (g == null) {
            return;
        }
        String message = form.messageProperty().get();
        String m = message == null || message.isBlank() ? null : message.strip();
        form.save(tasks, notices, "start maintenance of connector group " + g.name(), "Could not start maintenance of " + g.name(),
                () -> api.connectorGroups().startMaintenance(g.id(), new MaintenanceBody(m)), after -> {
                    done.run();
                    notices.info("Connector group in maintenance", after.name() + ": its apps answer a maintenance page");
                    refresh();
                });
    }

    /** Ends the selected group's maintenance mode. */
    public void endMaintenance() {
        ConnectorGroupView g = groups.selected();
        if (g == null) {
            return;
        }
        tasks.run("end maintenance of connector group " + g.name(), () -> api.connectorGroups().endMaintenance(g.id()), after -> {
            notices.info("Maintenance ended", after.name() + " serves its apps again");
            refresh();
        });
    }

    /** A one-time registration token for the selected group (or Default); the view shows its install command. */
    public void registrationToken(int ttlMinutes, Consumer<RegistrationTokenView> show) {
        ConnectorGroupView g = groups.selected();
        String group = g == null ? null : g.id();
        tasks.run("create a registration token", () -> api.connectors().createRegistrationToken(
                new RegistrationTokenRequest(group, ttlMinutes)), show);
    }

    public void move(ConnectorView c, String groupName) {
        ConnectorGroupView target = groups.items().stream().filter(g -> g.name().equals(groupName)).findFirst().orElse(null);
        if (c == null || target == null) {
            return;
        }
        tasks.run("move connector " + c.hostName() + " to " + target.name(), () -> {
            try {
                return api.connectors().move(c.id(), new NameBody(null, null, target.id()));
            } catch (Exception e) {
                if (Failures.status(e) != 400) {
                    throw e;
                }
                // Servers before the groupId field name the group "connectorGroup".
                return api.connectors().move(c.id(), new NameBody(null, target.id(), null));
            }
        }, moved -> {
            notices.info("Connector moved", moved.hostName() + " is now in " + moved.groupName());
            refresh();
        });
    }

    public void revoke(ConnectorView c) {
        if (c == null) {
            return;
        }
        tasks.run("revoke connector " + c.hostName(), () -> api.connectors().revoke(c.id()),
                r -> {
                    notices.info("Connector revoked", r.hostName() + " can no longer connect; its tunnels were closed.");
                    refresh();
                });
    }

}
