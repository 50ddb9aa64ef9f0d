package dev.drawbridge.console.apps.sso;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
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
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The single sign-on of the selected app ({@code /apps/{id}/sso}): the method and, for headers, the {@link SsoHeaderRow}s,
 * for Kerberos the {@link SsoKerberos} settings, checked with {@link SsoRules} (the server's own rules) at every change,
 * each error on the row or field it concerns ({@code headers[1].name}: the second row's name, in {@link #headers()};
 * {@code kerberos.spn}: the SPN, in {@link #errors()}). As every form of the console, a row or field shows its errors
 * once edited, all once a save is tried; the server's errors show at once until their row or field changes. SAML
 * settings are not edited here yet: an app that has them shows them {@linkplain #readOnlyProperty() read-only}, and
 * choosing another method replaces them.
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

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final ObjectProperty<SsoMethod> method = new SimpleObjectProperty<>(SsoMethod.NONE);
    private final ObservableList<SsoMethod> methods = FXCollections.observableArrayList(EDITABLE);
    private final SsoRows<SsoHeaderRow> headers;
    private final SsoKerberos kerberos;
    /** The errors of the section's fields (not rows), by the rules' names. */
    private final FieldErrors errors;
    private final Set<String> fields;
    private final ReadOnlyBooleanWrapper readOnly = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper storedSaml = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(NEW_APP);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(true);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private String serverError = "";
    private boolean attempted, edited, loading;
    private String appId, appName;
    private SsoSettings stored = SsoSettings.NONE;

    public AppSso(AdminApi api, Tasks tasks, Notices notices, Permissions perms) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.headers = new SsoRows<>("headers", SsoHeaderRow::new, this::changed);
        this.kerberos = new SsoKerberos(api, tasks, perms);
        List<FieldErrors.Field> all = List.copyOf(kerberos.fields());
        this.fields = all.stream().map(FieldErrors.Field::name).collect(Collectors.toUnmodifiableSet());
        this.errors = new FieldErrors(all, this::fieldProblems);
        method.addListener((o, was, now) -> {
            if (!loading && now == SsoMethod.HEADERS && headers.rows().isEmpty()) {
                headers.add();
            }
            readOnly.set(now != null && !EDITABLE.contains(now));
            if (now == SsoMethod.KERBEROS) {
                kerberos.checkGroup(false);
            }
            changed();
        });
        for (FieldErrors.Field f : all) {
            for (var in : f.inputs()) {
                ((ObservableValue<?>) in).addListener((x, was, now) -> changed());
            }
        }
        validate();
    }

    public ObjectProperty<SsoMethod> methodProperty() {
        return method;
    }

    /** The headers of method HEADERS, in order. */
    public SsoRows<SsoHeaderRow> headers() {
        return headers;
    }

    /** The errors of the section's fields (a method's settings other than rows), by the rules' names ({@link SsoKerberos#SPN}). */
    public FieldErrors errors() {
        return errors;
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
            case HEADERS -> SsoSettings.headers(headers.rows().stream().map(SsoHeaderRow::rule).toList());
            case KERBEROS -> new SsoSettings(SsoMethod.KERBEROS, List.of(), kerberos.settings(), null);
            case BASIC, FORMS, SAML -> stored;
        };
    }

    /** Loads the single sign-on of {@code app} (null: none selected or a new app). */
    public void load(AppView app) {
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
    public void saved(AppView app) {
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
        errors.attempt();
        validate();
        if (!valid.get()) {
            return;
        }
        SsoSettings s = settings();
        List<SsoHeaderRow> sent = List.copyOf(headers.rows());
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
                serverError = Failures.problem(e).map(p -> serverErrors(p, sent)).orElse(Failures.message(e));
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
            headers.load(s.headers().stream().filter(Objects::nonNull).map(SsoHeaderRow::of).toList());
            kerberos.show(s.kerberos());
            method.set(s.method());
        } finally {
            loading = false;
        }
        serverError = "";
        attempted = false;
        edited = false;
        errors.reset();
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

    /**
     * The server's field errors onto the rows that were sent and the fields; answers what lands on neither (the detail when
     * everything landed somewhere or the problem names no field).
     */
    private String serverErrors(Problem p, List<SsoHeaderRow> sent) {
        List<Problem.FieldError> forFields = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (Problem.FieldError fe : p.errors()) {
            if (fe.field() != null && fields.contains(fe.field())) {
                forFields.add(fe);
            } else if (!headers.server(fe, sent)) {
                rest.add(fe.message());
            }
        }
        errors.applyServer(new Problem(p.type(), p.title(), p.status(), p.detail(), forFields));
        boolean landed = !forFields.isEmpty() || headers.hasServerErrors();
        return !rest.isEmpty() ? String.join(" ", rest) : landed || p.detail() == null ? "" : p.detail();
    }

    /** Every problem the rules find in the settings shown. */
    private List<Problem.FieldError> problems() {
        return SsoRules.check(settings());
    }

    /** The problems of the section's fields, field → sentence (what {@link #errors} shows). */
    private Map<String, String> fieldProblems() {
        Map<String, String> found = new LinkedHashMap<>();
        for (Problem.FieldError fe : problems()) {
            if (fields.contains(fe.field())) {
                found.merge(fe.field(), fe.message(), (a, b) -> a + " " + b);
            }
        }
        return found;
    }

    /** Runs the rules and shows what a row, a field or the section may show now. */
    private void validate() {
        List<Problem.FieldError> all = problems();
        boolean onRows = headers.show(all, attempted);
        errors.validate();
        List<String> general = all.stream().filter(fe -> !fields.contains(fe.field()) && !headers.names(fe))
                .map(Problem.FieldError::message).toList();
        valid.set(!onRows && general.isEmpty() && errors.valid().get() && !readOnly.get());
        String local = attempted || edited ? String.join(" ", general) : "";
        error.set(local.isEmpty() ? serverError : local);
    }
}
