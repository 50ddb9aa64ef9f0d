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
import dev.drawbridge.model.api.Problem.FieldError;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The single sign-on of the selected app ({@code /apps/{id}/sso}): the method and its settings — the {@linkplain #headers()
 * headers}, {@linkplain #kerberos() Kerberos}, {@linkplain #password() password vaulting} (HTTP Basic and login forms, with
 * the app's shared credential) and {@linkplain #saml() SAML} — checked with {@link SsoRules} (the server's own rules) and
 * what the server checks against the app at every change, each error on the row or field it concerns
 * ({@code headers[1].name}: the second header's name; {@code forms.loginPath} in {@link #errors()}). As every form of the
 * console, a row or field shows its errors once edited, all once a save is tried; the server's errors show at once until
 * their row or field changes. {@link #testAsUser()} shows what the backend would receive for a user with the settings
 * shown, saved or not.
 *
 * <p>Only a published, pre-authenticated app may have single sign-on (the connector signs in the user Drawbridge
 * verified): for any other the section is {@linkplain #availableProperty() unavailable} and says why. It is saved on
 * its own, apart from the app's other settings; only the chosen method's settings are sent.
 */
public final class AppSso {
    static final String NEW_APP = "Publish the app first: single sign-on is set on a published app.";
    static final String PASSTHROUGH = "Single sign-on needs pre-authentication: the connector signs in only a user Drawbridge"
            + " verified. Set Pre-authentication to “Sign-in required” and save the app first.";
    static final String NOT_OFFERED = "This server does not offer single sign-on settings yet.";
    /** The methods, in the order the method list offers them. */
    static final List<SsoMethod> METHODS = List.of(SsoMethod.NONE, SsoMethod.HEADERS, SsoMethod.KERBEROS, SsoMethod.BASIC,
            SsoMethod.FORMS, SsoMethod.SAML);

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final ObjectProperty<SsoMethod> method = new SimpleObjectProperty<>(SsoMethod.NONE);
    private final SsoRows<SsoHeaderRow> headers;
    private final SsoKerberos kerberos;
    private final SsoPassword password;
    private final SsoSaml saml;
    private final TestAsUser test;
    /** The errors of the section's fields (not rows), by the rules' names. */
    private final FieldErrors errors;
    private final Set<String> fields;
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper unavailable = new ReadOnlyStringWrapper(NEW_APP);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(true);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private String serverError = "";
    private boolean attempted, edited, loading;
    private String appId, appName;

    public AppSso(AdminApi api, Tasks tasks, Notices notices, Permissions perms) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.headers = new SsoRows<>("headers", SsoHeaderRow::new, this::changed);
        this.kerberos = new SsoKerberos(api, tasks, perms);
        this.password = new SsoPassword(new SsoSharedCredential(api, tasks, notices));
        this.saml = new SsoSaml(api, tasks, notices, this::changed);
        this.test = new TestAsUser(api, tasks, notices);
        List<FieldErrors.Field> all = Stream.of(kerberos.fields(), password.fields(), saml.fields()).flatMap(List::stream).toList();
        this.fields = all.stream().map(FieldErrors.Field::name).collect(Collectors.toUnmodifiableSet());
        this.errors = new FieldErrors(all, this::fieldProblems);
        method.addListener((o, was, now) -> {
            if (!loading && now == SsoMethod.HEADERS && headers.rows().isEmpty()) {
                headers.add();
            }
            if (now == SsoMethod.KERBEROS) {
                kerberos.checkGroup(false);
            }
            changed();
        });
        Stream.of(kerberos.inputs(), password.inputs(), saml.inputs()).flatMap(List::stream)
                .forEach(in -> in.addListener((x, was, now) -> changed()));
        validate();
    }

    public ObjectProperty<SsoMethod> methodProperty() {
        return method;
    }

    /** The methods the method list offers. */
    public List<SsoMethod> methods() {
        return METHODS;
    }

    /** The headers of method HEADERS, in order. */
    public SsoRows<SsoHeaderRow> headers() {
        return headers;
    }

    /** The Kerberos settings (method KERBEROS). */
    public SsoKerberos kerberos() {
        return kerberos;
    }

    /** Password vaulting's settings (methods BASIC and FORMS) and the app's shared credential. */
    public SsoPassword password() {
        return password;
    }

    /** The SAML settings (method SAML) and the metadata import and export. */
    public SsoSaml saml() {
        return saml;
    }

    /** "Test as user": what the backend would receive for a user. */
    public TestAsUser test() {
        return test;
    }

    /** The errors of the section's fields (other than rows), by the rules' names ({@link SsoKerberos#SPN}, {@link SsoSaml#ACS_URL}, …). */
    public FieldErrors errors() {
        return errors;
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

    /** Whether the checks find no problem (what a save and a test need). */
    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public BooleanProperty savingProperty() {
        return saving;
    }

    /** The settings the section shows: only the chosen method's (method NONE sends no header, whatever the rows hold). */
    public SsoSettings settings() {
        return switch (method.get()) {
            case NONE -> SsoSettings.NONE;
            case HEADERS -> SsoSettings.headers(headers.rows().stream().map(SsoHeaderRow::rule).toList());
            case KERBEROS -> new SsoSettings(SsoMethod.KERBEROS, List.of(), kerberos.settings(), null);
            case BASIC -> SsoSettings.basic(password.basic());
            case FORMS -> SsoSettings.forms(password.forms());
            case SAML -> new SsoSettings(SsoMethod.SAML, List.of(), null, saml.settings());
        };
    }

    /** Loads the single sign-on of {@code app} (null: none selected or a new app). */
    public void load(AppView app) {
        appId = app == null ? null : app.id();
        appName = app == null ? null : app.name();
        kerberos.app(app);
        saml.app(app);
        password.shared().app(appId, appName);
        test.clear();
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
            // Another connector group, external URL or Host translation: the Kerberos hint and the SAML checks follow.
            kerberos.app(app);
            saml.app(app);
            if (method.get() == SsoMethod.KERBEROS) {
                kerberos.checkGroup(false);
            }
            validate();
        }
        appName = app == null ? null : app.name();
    }

    /** Saves the settings shown; a save of settings the checks refuse shows every error and sends nothing. */
    public void save() {
        String id = appId, name = appName;
        if (id == null || !available.get() || saving.get() || !tryValid()) {
            return;
        }
        SsoSettings s = settings();
        Sent sent = sent();
        saving.set(true);
        tasks.runQuietly("save the single sign-on of " + name, () -> api.apps().setSso(id, s), stored -> {
            saving.set(false);
            if (id.equals(appId)) {
                show(stored);
            }
            notices.info("Single sign-on saved", name + ": " + Labels.of(stored.method()) + saved(stored));
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

    /** What a saved notice adds to the method: the SPN, the headers' names, the service provider. */
    private static String saved(SsoSettings s) {
        return s.kerberos() != null ? " (" + s.kerberos().spn() + ")" : s.saml() != null ? " (" + s.saml().spEntityId() + ")"
                : s.headers().isEmpty() ? "" : " (" + s.headers().stream().filter(Objects::nonNull).map(HeaderRule::name)
                .collect(Collectors.joining(", ")) + ")";
    }

    /**
     * Asks the server what the backend would receive for the user {@link TestAsUser} names, with the settings shown (saved
     * or not). Settings the checks refuse are not sent: every error shows, and the test says why it did not run.
     */
    public void testAsUser() {
        String id = appId, name = appName;
        if (id == null || !available.get()) {
            return;
        }
        if (!tryValid()) {
            List<String> why = problems().stream().map(FieldError::message).distinct().toList();
            test.refuse("Not tested: the settings have " + (why.size() == 1 ? "an error" : why.size() + " errors")
                    + ", shown on their fields. Fix them first" + (why.isEmpty() ? "." : ": " + why.getFirst()));
            return;
        }
        Sent sent = sent();
        test.run(id, name, settings(), p -> {
            if (id.equals(appId)) {
                serverError = serverErrors(p, sent);
                validate();
            }
        });
    }

    /** The rows a call sends, for the server's errors to land on. */
    private record Sent(List<SsoHeaderRow> headers, List<SamlAttributeRow> attributes) {
    }

    private Sent sent() {
        return new Sent(List.copyOf(headers.rows()), List.copyOf(saml.attributes().rows()));
    }

    /** A save or test is tried: every error shows; answers whether there is none. */
    private boolean tryValid() {
        attempted = true;
        errors.attempt();
        validate();
        return valid.get();
    }

    private void setAvailable(String reason) {
        available.set(reason.isEmpty());
        unavailable.set(reason);
    }

    /** Shows {@code s} as stored: a fresh section, nothing touched. */
    private void show(SsoSettings s) {
        loading = true;
        try {
            headers.load(s.headers().stream().filter(Objects::nonNull).map(SsoHeaderRow::of).toList());
            kerberos.show(s.kerberos());
            password.show(s);
            saml.show(s.saml());
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

    private void changed() {
        if (!loading) {
            edited = true;
            serverError = "";
            test.draftChanged();
        }
        validate();
    }

    /**
     * The server's field errors onto the rows that were sent and the fields; answers what lands on neither (the detail when
     * nothing landed and the problem names no field).
     */
    private String serverErrors(Problem p, Sent sent) {
        List<FieldError> forFields = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (FieldError fe : p.errors()) {
            if (fe.field() != null && fields.contains(fe.field())) {
                forFields.add(fe);
            } else if (!headers.server(fe, sent.headers()) && !saml.attributes().server(fe, sent.attributes())) {
                rest.add(fe.message());
            }
        }
        errors.applyServer(new Problem(p.type(), p.title(), p.status(), p.detail(), forFields));
        boolean landed = !forFields.isEmpty() || headers.hasServerErrors() || saml.attributes().hasServerErrors();
        return !rest.isEmpty() ? String.join(" ", rest) : landed || p.detail() == null ? "" : p.detail();
    }

    /** Every problem the checks find in the settings shown: the rules', then (for SAML) what the server checks against the app. */
    private List<FieldError> problems() {
        SsoSettings s = settings();
        List<FieldError> all = new ArrayList<>(SsoRules.check(s));
        if (s.method() == SsoMethod.SAML) {
            all.addAll(saml.appProblems());
        }
        return all;
    }

    /** The problems of the section's fields, field → sentence (what {@link #errors} shows). */
    private Map<String, String> fieldProblems() {
        Map<String, String> found = new LinkedHashMap<>();
        for (FieldError fe : problems()) {
            if (fields.contains(fe.field())) {
                found.merge(fe.field(), fe.message(), (a, b) -> a + " " + b);
            }
        }
        return found;
    }

    /** Runs the checks and shows what a row, a field or the section may show now. */
    private void validate() {
        List<FieldError> all = problems();
        boolean onRows = headers.show(all, attempted) | saml.attributes().show(all, attempted);
        errors.validate();
        List<String> general = all.stream().filter(fe -> !fields.contains(fe.field()) && !headers.names(fe) && !saml.attributes().names(fe))
                .map(FieldError::message).toList();
        valid.set(!onRows && general.isEmpty() && errors.valid().get());
        String local = attempted || edited ? String.join(" ", general) : "";
        error.set(local.isEmpty() ? serverError : local);
    }
}
