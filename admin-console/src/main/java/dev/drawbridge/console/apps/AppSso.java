package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SsoRules;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The single sign-on of the selected app ({@code /apps/{id}/sso}): the method and, for headers, a table of
 * {@link SsoHeaderRow}s, checked with {@link SsoRules} (the server's own rules) at every change, each error on the row
 * and field it concerns ({@code headers[1].name}: the second row's name). As every form of the console, a row shows its
 * errors once edited, all rows once a save is tried; the server's errors show at once until their row changes.
 *
 * <p>Only a published, pre-authenticated app may have single sign-on (the connector signs in the user Drawbridge
 * verified): for any other the section is {@linkplain #availableProperty() unavailable} and says why. It is saved on
 * its own, apart from the app's other settings.
 */
public final class AppSso {
    static final String NEW_APP = "Publish the app first: single sign-on is set on a published app.";
    static final String PASSTHROUGH = "Single sign-on needs pre-authentication: the connector signs in only a user Drawbridge"
            + " verified. Set Pre-authentication to “Sign-in required” and save the app first.";
    static final String NOT_OFFERED = "This server does not offer single sign-on settings yet.";
    private static final Pattern HEADER_FIELD = Pattern.compile("headers\\[(\\d+)](?:\\.(\\w+))?");

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final ObjectProperty<SsoMethod> method = new SimpleObjectProperty<>(SsoMethod.NONE);
    private final ObservableList<SsoHeaderRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(NEW_APP);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(true);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private final Set<SsoHeaderRow> touched = new HashSet<>();
    private final Map<SsoHeaderRow, Map<String, String>> serverRowErrors = new HashMap<>();
    private String serverError = "";
    private boolean attempted, edited, loading;
    private String appId, appName;

    AppSso(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        method.addListener((o, was, now) -> {
            if (!loading && now == SsoMethod.HEADERS && rows.isEmpty()) {
                addRow();
            }
            changed();
        });
        rows.addListener((ListChangeListener<SsoHeaderRow>) c -> {
            while (c.next()) {
                for (SsoHeaderRow r : c.getAddedSubList()) {
                    // Change listeners: an invalidation listener would miss changes to a value nobody reads (the claim).
                    for (ObservableValue<?> in : r.inputs()) {
                        in.addListener((x, was, now) -> {
                            touched.add(r);
                            serverRowErrors.remove(r);
                            changed();
                        });
                    }
                }
            }
            changed();
        });
        validate();
    }

    public ObjectProperty<SsoMethod> methodProperty() {
        return method;
    }

    /** The headers of method HEADERS, in order. */
    public ObservableList<SsoHeaderRow> rows() {
        return rows;
    }

    /** Whether the selected app may have single sign-on (published, pre-authenticated). */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** Why single sign-on is not available for the selected app; empty when it is. */
    public ReadOnlyStringProperty unavailableProperty() {
        return unavailable.getReadOnlyProperty();
    }

    /** What the settings as a whole are refused for (no header, too many, a conflict at the server); empty when nothing. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Whether the rules find no problem (what a save needs). */
    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public BooleanProperty savingProperty() {
        return saving;
    }

    /** The settings the section shows: method NONE sends no header, whatever the rows hold. */
    public SsoSettings settings() {
        return method.get() == SsoMethod.HEADERS ? SsoSettings.headers(rows.stream().map(SsoHeaderRow::rule).toList()) : SsoSettings.NONE;
    }

    /** A new empty row at the end (it shows no error before it is edited). */
    public void addRow() {
        rows.add(new SsoHeaderRow());
    }

    public void removeRow(SsoHeaderRow row) {
        rows.remove(row);
    }

    /** Loads the single sign-on of {@code app} (null: none selected or a new app). */
    void load(AppView app) {
        appId = app == null ? null : app.id();
        appName = app == null ? null : app.name();
        show(SsoSettings.NONE);
        if (app == null) {
            setAvailable(NEW_APP);
            return;
        }
        if (app.preAuthentication() != PreAuthentication.DIRECTORY) {
            setAvailable(PASSTHROUGH);
            return;
        }
        setAvailable("");
        String id = app.id();
        tasks.runQuietly("load the single sign-on of " + app.name(), () -> api.apps().sso(id), s -> {
            if (id.equals(appId)) {
                show(s);
            }
        }, e -> {
            if (!id.equals(appId)) {
                return;
            }
            if (Failures.notFound(e)) {
                setAvailable(NOT_OFFERED);
            } else {
                notices.error("Could not load the single sign-on of " + app.name(), Failures.message(e));
            }
        });
    }

    /** After the app itself was saved: a new pre-authentication changes what the section offers. */
    void saved(AppView app) {
        if (app == null || !app.id().equals(appId) || available.get() != (app.preAuthentication() == PreAuthentication.DIRECTORY)) {
            load(app);
        }
        appName = app == null ? null : app.name();
    }

    /** Saves the settings shown; a save of settings the rules refuse shows every error and sends nothing. */
    public void save() {
        String id = appId, name = appName;
        if (id == null || !available.get() || saving.get()) {
            return;
        }
        attempted = true;
        validate();
        if (!valid.get()) {
            return;
        }
        SsoSettings s = settings();
        List<SsoHeaderRow> sent = List.copyOf(rows);
        saving.set(true);
        tasks.runQuietly("save the single sign-on of " + name, () -> api.apps().setSso(id, s), stored -> {
            saving.set(false);
            if (id.equals(appId)) {
                show(stored);
            }
            notices.info("Single sign-on saved", name + ": " + Labels.of(stored.method()) + (stored.headers().isEmpty() ? ""
                    : " (" + stored.headers().stream().filter(Objects::nonNull).map(HeaderRule::name).collect(Collectors.joining(", ")) + ")"));
        }, e -> {
            saving.set(false);
            if (id.equals(appId)) {
                Failures.problem(e).ifPresent(p -> serverErrors(p, sent));
                if (serverError.isEmpty() && serverRowErrors.isEmpty()) {
                    serverError = Failures.message(e);
                }
                validate();
            }
            notices.error("Could not save the single sign-on of " + name, Failures.message(e));
        });
    }

    private void setAvailable(String reason) {
        available.set(reason.isEmpty());
        unavailable.set(reason);
    }

    /** Shows {@code s} as stored: a fresh section, nothing touched. */
    private void show(SsoSettings s) {
        loading = true;
        try {
            rows.setAll(s.headers().stream().filter(Objects::nonNull).map(SsoHeaderRow::of).toList());
            method.set(s.method());
        } finally {
            loading = false;
        }
        touched.clear();
        serverRowErrors.clear();
        serverError = "";
        attempted = false;
        edited = false;
        validate();
    }

    private void changed() {
        if (!loading) {
            edited = true;
            serverError = "";
        }
        validate();
    }

    /** The server's field errors onto the rows that were sent; the rest as the section's error. */
    private void serverErrors(Problem p, List<SsoHeaderRow> sent) {
        List<String> rest = new ArrayList<>();
        for (Problem.FieldError fe : p.errors()) {
            Matcher m = HEADER_FIELD.matcher(fe.field() == null ? "" : fe.field());
            int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (i >= 0 && i < sent.size()) {
                serverRowErrors.computeIfAbsent(sent.get(i), r -> new LinkedHashMap<>())
                        .merge(m.group(2) == null ? "" : m.group(2), fe.message(), (a, b) -> a + " " + b);
            } else {
                rest.add(fe.message());
            }
        }
        serverError = rest.isEmpty() && serverRowErrors.isEmpty() ? p.detail() == null ? "" : p.detail() : String.join(" ", rest);
    }

    /** Runs the rules and shows what a row or the section may show now. */
    private void validate() {
        Map<SsoHeaderRow, Map<String, String>> found = new HashMap<>();
        List<String> general = new ArrayList<>();
        for (Problem.FieldError fe : SsoRules.check(settings())) {
            Matcher m = HEADER_FIELD.matcher(fe.field());
            int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (i >= 0 && i < rows.size()) {
                String field = m.group(2) == null || !SsoHeaderRow.FIELDS.contains(m.group(2)) ? "" : m.group(2);
                found.computeIfAbsent(rows.get(i), r -> new LinkedHashMap<>()).merge(field, fe.message(), (a, b) -> a + " " + b);
            } else {
                general.add(fe.message());
            }
        }
        valid.set(found.isEmpty() && general.isEmpty());
        for (SsoHeaderRow r : rows) {
            Map<String, String> shown = new LinkedHashMap<>(attempted || touched.contains(r) ? found.getOrDefault(r, Map.of()) : Map.of());
            serverRowErrors.getOrDefault(r, Map.of()).forEach(shown::putIfAbsent);
            r.show(shown);
        }
        String local = attempted || edited ? String.join(" ", general) : "";
        error.set(local.isEmpty() ? serverError : local);
    }
}
