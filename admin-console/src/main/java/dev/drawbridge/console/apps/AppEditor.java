package dev.drawbridge.console.apps;

import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The app being edited: every field as a property, checked as the admin types (an error sentence per field,
 * empty when fine), then turned into an {@link AppSpec}. Errors the server finds land on the same fields.
 */
public final class AppEditor {
    public static final String NAME = "name", EXTERNAL = "externalUrl", INTERNAL = "internalUrl", GROUP = "connectorGroup";
    public static final String RATE = "throttle.requestsPerSecond", BURST = "throttle.burst", TIMEOUT_SECONDS = "backendTimeoutSeconds";

    private final StringProperty id = new SimpleStringProperty(null);
    final StringProperty name = new SimpleStringProperty("");
    final StringProperty externalUrl = new SimpleStringProperty("");
    final StringProperty internalUrl = new SimpleStringProperty("");
    final StringProperty connectorGroup = new SimpleStringProperty("Default");
    final ObjectProperty<BackendTimeout> backendTimeout = new SimpleObjectProperty<>(BackendTimeout.DEFAULT);
    final ObjectProperty<PreAuthentication> preAuthentication = new SimpleObjectProperty<>(PreAuthentication.PASSTHROUGH);
    final BooleanProperty translateHostHeader = new SimpleBooleanProperty(true);
    final BooleanProperty caseInsensitivePaths = new SimpleBooleanProperty(false);
    final BooleanProperty translateLinksInBody = new SimpleBooleanProperty(false);
    final BooleanProperty translateLinksInScripts = new SimpleBooleanProperty(false);
    final BooleanProperty assignmentRequired = new SimpleBooleanProperty(AccessSettings.DEFAULTS.assignmentRequired());
    final BooleanProperty cookieHttpOnly = new SimpleBooleanProperty(AccessSettings.DEFAULTS.cookieHttpOnly());
    final BooleanProperty cookieSecure = new SimpleBooleanProperty(AccessSettings.DEFAULTS.cookieSecure());
    final BooleanProperty cookiePersistent = new SimpleBooleanProperty(AccessSettings.DEFAULTS.cookiePersistent());
    /** The ids of the identity providers offered for the app, in its order; empty: every provider. */
    final ObservableList<String> identityProviders = FXCollections.observableArrayList();
    /** The app's own limits as typed: blank for the server's. */
    final StringProperty throttleRate = new SimpleStringProperty("");
    final StringProperty throttleBurst = new SimpleStringProperty("");
    final StringProperty timeoutSeconds = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(NAME, name), Field.of(EXTERNAL, externalUrl),
            Field.of(INTERNAL, internalUrl), Field.of(GROUP, connectorGroup), Field.of(RATE, throttleRate, throttleBurst),
            Field.of(BURST, throttleBurst, throttleRate), Field.of(TIMEOUT_SECONDS, timeoutSeconds)),
            () -> {
                Map<String, String> e = check(name.get(), externalUrl.get(), internalUrl.get(), connectorGroup.get());
                e.putAll(AppLimitsInput.check(throttleRate.get(), throttleBurst.get(), timeoutSeconds.get()));
                return e;
            });

    public StringProperty idProperty() {
        return id;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty externalUrlProperty() {
        return externalUrl;
    }

    public StringProperty internalUrlProperty() {
        return internalUrl;
    }

    public StringProperty connectorGroupProperty() {
        return connectorGroup;
    }

    public ObjectProperty<BackendTimeout> backendTimeoutProperty() {
        return backendTimeout;
    }

    public ObjectProperty<PreAuthentication> preAuthenticationProperty() {
        return preAuthentication;
    }

    public BooleanProperty translateHostHeaderProperty() {
        return translateHostHeader;
    }

    /** The app treats paths in any letter case alike (IIS): its external path matches in any case. */
    public BooleanProperty caseInsensitivePathsProperty() {
        return caseInsensitivePaths;
    }

    /** The published apps' internal URLs in the app's HTML and CSS responses are translated to their external URLs. */
    public BooleanProperty translateLinksInBodyProperty() {
        return translateLinksInBody;
    }

    /** They are translated also in the string literals of its JavaScript and JSON responses (only with the above). */
    public BooleanProperty translateLinksInScriptsProperty() {
        return translateLinksInScripts;
    }

    /** The ids of the identity providers offered for the app ({@code access.identityProviders}); empty: every provider. */
    public ObservableList<String> identityProviders() {
        return identityProviders;
    }

    /** The app's own rate limit in requests a second; blank for the server's per-app limit. */
    public StringProperty throttleRateProperty() {
        return throttleRate;
    }

    /** The app's own burst; blank with a rate: twice the rate. */
    public StringProperty throttleBurstProperty() {
        return throttleBurst;
    }

    /** The app's own backend timeout in seconds; blank for what the backend timeout choice says. */
    public StringProperty timeoutSecondsProperty() {
        return timeoutSeconds;
    }

    public BooleanProperty assignmentRequiredProperty() {
        return assignmentRequired;
    }

    public BooleanProperty cookieHttpOnlyProperty() {
        return cookieHttpOnly;
    }

    public BooleanProperty cookieSecureProperty() {
        return cookieSecure;
    }

    public BooleanProperty cookiePersistentProperty() {
        return cookiePersistent;
    }

    /** The error sentence a field ({@link #NAME}, {@link #EXTERNAL}, …) shows, empty when fine or untouched. */
    public ReadOnlyStringProperty error(String field) {
        return errors.error(field);
    }

    /** The fields' errors: what they show, what the checks found, the server's. */
    public FieldErrors errors() {
        return errors;
    }

    public BooleanBinding validProperty() {
        return errors.valid();
    }

    public boolean isNew() {
        return id.get() == null;
    }

    /** Starts a new app with the defaults. */
    public void clear() {
        id.set(null);
        name.set("");
        externalUrl.set("");
        internalUrl.set("");
        connectorGroup.set("Default");
        backendTimeout.set(BackendTimeout.DEFAULT);
        preAuthentication.set(PreAuthentication.PASSTHROUGH);
        translateHostHeader.set(true);
        caseInsensitivePaths.set(false);
        translateLinksInBody.set(false);
        translateLinksInScripts.set(false);
        throttleRate.set("");
        throttleBurst.set("");
        timeoutSeconds.set("");
        load(AccessSettings.DEFAULTS);
        errors.reset();
    }

    public void load(AppView a) {
        id.set(a.id());
        name.set(a.name());
        externalUrl.set(a.externalUrl());
        internalUrl.set(a.internalUrl());
        connectorGroup.set(a.connectorGroupName());
        backendTimeout.set(a.backendTimeout());
        preAuthentication.set(a.preAuthentication());
        translateHostHeader.set(a.translateHostHeader());
        caseInsensitivePaths.set(a.caseInsensitivePaths());
        translateLinksInBody.set(a.translateLinksInBody());
        translateLinksInScripts.set(a.translateLinksInScripts());
        throttleRate.set(a.throttle() == null ? "" : Integer.toString(a.throttle().requestsPerSecond()));
        throttleBurst.set(a.throttle() == null ? "" : Integer.toString(a.throttle().burst()));
        timeoutSeconds.set(a.backendTimeoutSeconds() == null ? "" : Integer.toString(a.backendTimeoutSeconds()));
        load(a.access() == null ? AccessSettings.DEFAULTS : a.access());
        errors.reset();
    }

    private void load(AccessSettings s) {
        assignmentRequired.set(s.assignmentRequired());
        cookieHttpOnly.set(s.cookieHttpOnly());
        cookieSecure.set(s.cookieSecure());
        cookiePersistent.set(s.cookiePersistent());
        identityProviders.setAll(s.identityProviders() == null ? List.of() : s.identityProviders());
    }

    public AppSpec spec() {
        return new AppSpec(name.get().strip(), externalUrl.get().strip(), internalUrl.get().strip(), connectorGroup.get(),
                backendTimeout.get(), translateHostHeader.get(), preAuthentication.get(),
                new AccessSettings(assignmentRequired.get(), cookieHttpOnly.get(), cookieSecure.get(), cookiePersistent.get(),
                        List.copyOf(identityProviders)),
                caseInsensitivePaths.get(), translateLinksInBody.get(), translateLinksInBody.get() && translateLinksInScripts.get(),
                AppLimitsInput.throttle(throttleRate.get(), throttleBurst.get()), AppLimitsInput.seconds(timeoutSeconds.get()));
    }

    /** Puts the server's field errors on the fields; returns the ones no field shows. */
    public String applyServerErrors(Problem p) {
        return errors.applyServer(p);
    }

    /** The checks the console makes before the server sees the app; field → sentence. */
    static Map<String, String> check(String name, String external, String internal, String group) {
        Map<String, String> e = new LinkedHashMap<>();
        if (name == null || name.isBlank()) {
            e.put(NAME, "Name is required.");
        } else if (name.strip().length() > 200) {
            e.put(NAME, "Name is at most 200 characters.");
        }
        String ext = url(external, true);
        if (ext != null) {
            e.put(EXTERNAL, ext);
        }
        String in = url(internal, false);
        if (in != null) {
            e.put(INTERNAL, in);
        }
        if (group == null || group.isBlank()) {
            e.put(GROUP, "Choose the connector group that can reach this app.");
        }
        return e;
    }

    private static String url(String s, boolean external) {
        String what = external ? "External URL" : "Internal URL";
        if (s == null || s.isBlank()) {
            return what + " is required, e.g. " + (external ? "https://hr.apps.example.com/" : "http://hr.corp.local:8080/");
        }
        URI u;
        try {
            u = new URI(s.strip());
        } catch (URISyntaxException x) {
            return what + " is not a valid URL: " + x.getReason();
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (external && !scheme.equals("https")) {
            return "External URL must start with https://";
        }
        if (!external && !scheme.equals("http") && !scheme.equals("https")) {
            return "Internal URL must start with http:// or https://";
        }
        // A wildcard app's host (*.apps.example.com) is no host name to java.net.URI; the server checks the rest of it.
        boolean wildcard = u.getHost() == null && u.getRawAuthority() != null && u.getRawAuthority().startsWith("*.");
        if (!wildcard && (u.getHost() == null || u.getHost().isBlank())) {
            return what + " needs a host name.";
        }
        if (u.getQuery() != null || u.getFragment() != null) {
            return what + " cannot have a query or fragment.";
        }
        if (external && u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().endsWith("/")) {
            return "External URL path must end with /";
        }
        return null;
    }
}
