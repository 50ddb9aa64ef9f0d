package dev.drawbridge.console.logs;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The sign-in log, the audit log and connector events: filters, live follow, CSV export. */
public final class LogsViewModel {
    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final LogTab<SignInLogEntry> signIns = new LogTab<>("the sign-in log", "sign-in-logs", SignInLogEntry::id,
            List.of("upn", "app", "result", "event"), List.of(
            new LogTab.Column<>("Time", e -> Tables.time(e.at()), SignInLogEntry::at),
            new LogTab.Column<>("User", SignInLogEntry::upn),
            new LogTab.Column<>("App", SignInLogEntry::appName),
            new LogTab.Column<>("Event", e -> Labels.of(e.event()), SignInLogEntry::event),
            new LogTab.Column<>("Result", e -> Labels.of(e.result()), SignInLogEntry::result),
            new LogTab.Column<>("Reason", SignInLogEntry::reason),
            new LogTab.Column<>("Client IP", SignInLogEntry::clientIp),
            new LogTab.Column<>("Client", e -> Labels.of(e.clientType()), SignInLogEntry::clientType),
            new LogTab.Column<>("MFA", e -> e.mfaUsed() ? "yes" : "no", SignInLogEntry::mfaUsed),
            new LogTab.Column<>("Policies", SignInLogEntry::policies)),
            (a, p, f) -> a.logs().signIns(p, new Logs.SignInFilter(f.get("upn"), f.get("app"), value(SignInResult.class, f.get("result")),
                    value(SignInEvent.class, f.get("event")),
                    null, null)));
    private final LogTab<AuditLogEntry> audit = new LogTab<>("the audit log", "audit-logs", AuditLogEntry::id,
            List.of("actor", "action", "targetType", "targetId"), List.of(
            new LogTab.Column<>("Time", e -> Tables.time(e.at()), AuditLogEntry::at),
            new LogTab.Column<>("Actor", AuditLogEntry::actor),
            new LogTab.Column<>("Action", e -> Labels.auditAction(e.action()), AuditLogEntry::action),
            new LogTab.Column<>("Target type", AuditLogEntry::targetType),
            new LogTab.Column<>("Target", AuditLogEntry::targetId),
            new LogTab.Column<>("Before", AuditLogEntry::before),
            new LogTab.Column<>("After", AuditLogEntry::after)),
            (a, p, f) -> a.logs().audit(p, new Logs.AuditFilter(f.get("actor"), f.get("action"), f.get("targetType"),
                    f.get("targetId"), null, null)));
    private final LogTab<ConnectorEvent> events = new LogTab<>("connector events", "connector-events", ConnectorEvent::id,
            List.of("connectorId", "type"), List.of(
            new LogTab.Column<>("Time", e -> Tables.time(e.time()), ConnectorEvent::time),
            new LogTab.Column<>("Connector", e -> e.connectorName() != null ? e.connectorName() : e.connectorId()),
            new LogTab.Column<>("Event", e -> Labels.of(e.type()), ConnectorEvent::type),
            new LogTab.Column<>("Detail", ConnectorEvent::detail)),
            (a, p, f) -> a.connectors().events(p, new Connectors.EventFilter(f.get("connectorId"),
                    value(ConnectorEventType.class, f.get("type")), null, null)));
    private final IntegerProperty activeTab = new SimpleIntegerProperty(0);
    private final ObservableList<String> appNames = FXCollections.observableArrayList();
    private final Map<String, String> appIds = new ConcurrentHashMap<>();
    private boolean appsLoaded;
    private final ObservableList<String> connectorNames = FXCollections.observableArrayList();
    private final Map<String, String> connectorIds = new ConcurrentHashMap<>();
    private boolean connectorsLoaded;

    public LogsViewModel(Session session, Tasks tasks, Notices notices) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
        activeTab.addListener((o, was, now) -> poll());
        signIns.resolveWith((name, value) -> name.equals("app") ? appIds.getOrDefault(value, value) : value);
        events.resolveWith((name, value) -> name.equals("connectorId") ? connectorIds.getOrDefault(value, value) : value);
    }

    /** Names of the published apps, for the sign-in log's app filter. */
    public ObservableList<String> appNames() {
        return appNames;
    }

    /**
     * The connectors, for the connector events' filter: "host (group)", with the id's start when two share that name.
     * Empty when the admin's role cannot read connectors (the filter then takes an id).
     */
    public ObservableList<String> connectorNames() {
        return connectorNames;
    }

    public LogTab<SignInLogEntry> signIns() {
        return signIns;
    }

    public LogTab<AuditLogEntry> audit() {
        return audit;
    }

    public LogTab<ConnectorEvent> events() {
        return events;
    }

    public IntegerProperty activeTabProperty() {
        return activeTab;
    }

    private LogTab<?> active() {
        return switch (activeTab.get()) {
            case 1 -> audit;
            case 2 -> events;
            default -> signIns;
        };
    }

    /** Called when shown and every few seconds: reloads the visible log when it follows. */
    public void poll() {
        if (!appsLoaded) {
            appsLoaded = true;
            tasks.runQuietly("load app names", () -> api.apps().list(Paging.LARGEST, Apps.Filter.NONE).items(),
                    apps -> {
                apps.forEach(a -> appIds.put(a.name(), a.id()));
                appNames.setAll(apps.stream().map(AppView::name).sorted().toList());
            }, e -> appsLoaded = false);
        }
        if (!connectorsLoaded && active() == events) {
            connectorsLoaded = true;
            tasks.runQuietly("load connector names", () -> api.connectors().list(Paging.LARGEST, Connectors.Filter.NONE).items(),
                    this::nameConnectors,
                    e -> { });
        }
        active().poll(api, tasks, notices);
    }

    private void nameConnectors(List<ConnectorView> all) {
        Map<String, Long> seen = all.stream().collect(Collectors.groupingBy(LogsViewModel::connectorName, Collectors.counting()));
        connectorIds.clear();
        for (ConnectorView c : all) {
            String name = connectorName(c);
            connectorIds.put(seen.get(name) > 1 ? name + " " + c.id().substring(0, Math.min(8, c.id().length())) : name, c.id());
        }
        connectorNames.setAll(connectorIds.keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList());
    }

    private static String connectorName(ConnectorView c) {
        return c.hostName() + " (" + c.groupName() + ")";
    }

    /** Applies the filters of the visible log now. */
    public void search() {
        active().load(api, tasks, notices);
    }

    /** Appends the next page of the visible log (and stops following it). */
    public void more() {
        active().more(tasks, notices);
    }

    public void export(Path file) {
        LogTab<?> tab = active();
        tasks.run("export to " + file.getFileName(), () -> {
            tab.export(file);
            return file;
        }, f -> notices.info("Exported", tab.rows().items().size() + " rows to " + f));
    }

    /** The enum value a filter's combo box chose (its constant's name), or null for none. */
    static <E extends Enum<E>> E value(Class<E> type, String name) {
        return name == null || name.isBlank() ? null : Enum.valueOf(type, name);
    }
}
