package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlSso;
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
import java.util.stream.Stream;

/**
 * The single sign-on of the selected app ({@code /apps/{id}/sso}): the method and, for headers, a table of
 * {@link SsoHeaderRow}s, for Kerberos the {@link SsoKerberos} settings, checked with {@link SsoRules} (the server's own
 * rules) at every change, each error on the row and field it concerns ({@code headers[1].name}: the second row's name;
 * {@code kerberos.spn}: the SPN). As every form of the console, a row (or the Kerberos settings) shows its errors once
 * edited, all once a save is tried; the server's errors show at once until their row or field changes. SAML settings
 * are not edited here yet: an app that has them shows them {@linkplain #readOnlyProperty() read-only}, and choosing
 * another method replaces them.
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
    static final String SAML_READ_ONLY = "The console does not edit SAML single sign-on yet: the settings are shown as stored."
            + " Set them with the admin API (PUT /api/v1/apps/{id}/sso), or choose another method to replace them.";
    /** The methods the console edits, in the order the method list offers them. */
    static final List<SsoMethod> EDITABLE = List.of(SsoMethod.NONE, SsoMethod.HEADERS, SsoMethod.KERBEROS);
    private static final Pattern HEADER_FIELD = Pattern.compile("headers\\[(\\d+)](?:\\.(\\w+))?");
    /** The field the rules name for the Kerberos SPN. */
    private static final String SPN = "kerberos.spn";

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final ObjectProperty<SsoMethod> method = new SimpleObjectProperty<>(SsoMethod.NONE);
    private final ObservableList<SsoHeaderRow> rows = FXCollections.observableArrayList();
    private final ObservableList<SsoMethod> methods = FXCollections.observableArrayList(EDITABLE);
    private final SsoKerberos kerberos;
    private final ReadOnlyBooleanWrapper readOnly = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper storedSaml = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(NEW_APP);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(true);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private final Set<SsoHeaderRow> touched = new HashSet<>();
    private final Map<SsoHeaderRow, Map<String, String>> serverRowErrors = new HashMap<>();
    private String serverError = "", serverSpnError = "";
    private boolean attempted, edited, loading, kerberosTouched;
    private String appId, appName;
    private SsoSettings stored = SsoSettings.NONE;

    AppSso(AdminApi api, Tasks tasks, Notices notices, Permissions perms) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.kerberos = new SsoKerberos(api, tasks, perms);
        method.addListener((o, was, now) -> {
            if (!loading && now == SsoMethod.HEADERS && rows.isEmpty()) {
                addRow();
            }
            readOnly.set(now != null && !EDITABLE.contains(now));
            if (now == SsoMethod.KERBEROS) {
                kerberos.checkGroup(false);
            }
            changed();
        });
        for (ObservableValue<?> in : kerberos.inputs()) {
            in.addListener((x, was, now) -> {
                if (!loading) {
                    kerberosTouched = true;
                    serverSpnError = "";
                }
                changed();
            });
        }
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

    /** The methods the method list offers: those the console edits, and the stored one when it does not edit it (SAML). */
    public ObservableList<SsoMethod> methods() {
        return methods;
    }

    /** The Kerberos settings (method KERBEROS). */
    public SsoKerberos kerberos() {
        return kerberos;
    }

    /** The method shown is one the console does not edit (SAML): its settings are shown as stored, and not saved. */
    public ReadOnlyBooleanProperty readOnlyProperty() {
        return readOnly.getReadOnlyProperty();
    }

    /** The stored SAML settings in a sentence (empty when the app has none). */
    public ReadOnlyStringProperty storedSamlProperty() {
        return storedSaml.getReadOnlyProperty();
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

    /**
     * The settings the section shows: only the chosen method's (method NONE sends no header, whatever the rows hold);
     * a method the console does not edit, as stored.
     */
    public SsoSettings settings() {
        return switch (method.get()) {
            case NONE -> SsoSettings.NONE;
            case HEADERS -> SsoSettings.headers(rows.stream().map(SsoHeaderRow::rule).toList());
            case KERBEROS -> new SsoSettings(SsoMethod.KERBEROS, List.of(), kerberos.settings(), null);
            case BASIC, FORMS, SAML -> stored;
        };
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
        kerberos.app(app);
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
        } else {
            // Another connector group, or its new name: the Kerberos hint follows.
            kerberos.app(app);
            if (method.get() == SsoMethod.KERBEROS) {
                kerberos.checkGroup(false);
            }
        }
        appName = app == null ? null : app.name();
    }

    /** Saves the settings shown; a save of settings the rules refuse shows every error and sends nothing. */
    public void save() {
        String id = appId, name = appName;
        if (id == null || !available.get() || saving.get() || readOnly.get()) {
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
            notices.info("Single sign-on saved", name + ": " + Labels.of(stored.method()) + (stored.kerberos() != null
                    ? " (" + stored.kerberos().spn() + ")" : stored.headers().isEmpty() ? ""
                    : " (" + stored.headers().stream().filter(Objects::nonNull).map(HeaderRule::name).collect(Collectors.joining(", ")) + ")"));
            if (id.equals(appId) && stored.method() == SsoMethod.KERBEROS) {
                kerberos.checkGroup(true);
            }
        }, e -> {
            saving.set(false);
            if (id.equals(appId)) {
                Failures.problem(e).ifPresent(p -> serverErrors(p, sent));
                if (serverError.isEmpty() && serverRowErrors.isEmpty() && serverSpnError.isEmpty()) {
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
            stored = s;
            methods.setAll(EDITABLE.contains(s.method()) ? EDITABLE
                    : Stream.concat(EDITABLE.stream(), Stream.of(s.method())).toList());
            storedSaml.set(saml(s.saml()));
            rows.setAll(s.headers().stream().filter(Objects::nonNull).map(SsoHeaderRow::of).toList());
            kerberos.show(s.kerberos());
            method.set(s.method());
        } finally {
            loading = false;
        }
        touched.clear();
        serverRowErrors.clear();
        serverError = "";
        serverSpnError = "";
        kerberosTouched = false;
        attempted = false;
        edited = false;
        validate();
    }

    private static String saml(SamlSso s) {
        return s == null ? "" : "Service provider (entity id): " + s.spEntityId() + "\nAssertion consumer service URL: " + s.acsUrl();
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
            if (SPN.equals(fe.field()) && method.get() == SsoMethod.KERBEROS) {
                serverSpnError = serverSpnError.isEmpty() ? fe.message() : serverSpnError + " " + fe.message();
                continue;
            }
            Matcher m = HEADER_FIELD.matcher(fe.field() == null ? "" : fe.field());
            int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (i >= 0 && i < sent.size()) {
                serverRowErrors.computeIfAbsent(sent.get(i), r -> new LinkedHashMap<>())
                        .merge(m.group(2) == null ? "" : m.group(2), fe.message(), (a, b) -> a + " " + b);
            } else {
                rest.add(fe.message());
            }
        }
        serverError = rest.isEmpty() && serverRowErrors.isEmpty() && serverSpnError.isEmpty() ? p.detail() == null ? "" : p.detail()
                : String.join(" ", rest);
    }

    /** Runs the rules and shows what a row or the section may show now. */
    private void validate() {
        Map<SsoHeaderRow, Map<String, String>> found = new HashMap<>();
        List<String> general = new ArrayList<>();
        List<String> spn = new ArrayList<>();
        for (Problem.FieldError fe : SsoRules.check(settings())) {
            if (SPN.equals(fe.field())) {
                spn.add(fe.message());
                continue;
            }
            Matcher m = HEADER_FIELD.matcher(fe.field());
            int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (i >= 0 && i < rows.size()) {
                String field = m.group(2) == null || !SsoHeaderRow.FIELDS.contains(m.group(2)) ? "" : m.group(2);
                found.computeIfAbsent(rows.get(i), r -> new LinkedHashMap<>()).merge(field, fe.message(), (a, b) -> a + " " + b);
            } else {
                general.add(fe.message());
            }
        }
        valid.set(found.isEmpty() && general.isEmpty() && spn.isEmpty() && !readOnly.get());
        String spnShown = attempted || kerberosTouched ? String.join(" ", spn) : "";
        kerberos.showSpnError(spnShown.isEmpty() ? serverSpnError : spnShown);
        for (SsoHeaderRow r : rows) {
            Map<String, String> shown = new LinkedHashMap<>(attempted || touched.contains(r) ? found.getOrDefault(r, Map.of()) : Map.of());
            serverRowErrors.getOrDefault(r, Map.of()).forEach(shown::putIfAbsent);
            r.show(shown);
        }
        String local = attempted || edited ? String.join(" ", general) : "";
        error.set(local.isEmpty() ? serverError : local);
    }
}
