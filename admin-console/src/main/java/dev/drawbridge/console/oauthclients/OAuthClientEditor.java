package dev.drawbridge.console.oauthclients;

import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.OAuthClientRules;
import dev.drawbridge.model.api.validation.RedirectUris;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native client being edited: client id (on create only; empty: the server makes one up), display name, redirect
 * URIs (a list the admin adds to and removes from), the refresh grant (the code grant is always on), and the apps ("Any
 * app", or those picked). Checked as the admin types with shared-model's {@link OAuthClientRules} and {@link RedirectUris},
 * the rules the server runs; the server's field errors land on the same fields.
 */
public final class OAuthClientEditor {
    /** Field names, as the server names them in a problem's errors ({@link #NEW_REDIRECT_URI}: the add field, console only). */
    public static final String CLIENT_ID = "clientId", DISPLAY_NAME = "displayName", REDIRECT_URIS = "redirectUris",
            NEW_REDIRECT_URI = "newRedirectUri", GRANTS = "grants", APPS = "appIds";

    private final ObjectProperty<OAuthClientView> loaded = new SimpleObjectProperty<>();
    final StringProperty clientId = new SimpleStringProperty("");
    final StringProperty displayName = new SimpleStringProperty("");
    final ObservableList<String> redirectUris = FXCollections.observableArrayList();
    final StringProperty newRedirectUri = new SimpleStringProperty("");
    final BooleanProperty refreshTokens = new SimpleBooleanProperty(true);
    final BooleanProperty anyApp = new SimpleBooleanProperty(true);
    final ObservableList<String> appIds = FXCollections.observableArrayList();
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(CLIENT_ID, clientId), Field.of(DISPLAY_NAME, displayName),
            Field.of(REDIRECT_URIS, redirectUris), Field.of(NEW_REDIRECT_URI, newRedirectUri), Field.of(GRANTS, refreshTokens),
            Field.of(APPS, anyApp, appIds)), this::check, loaded);

    /** The client as loaded; null while registering a new one. */
    public ObjectProperty<OAuthClientView> loadedProperty() {
        return loaded;
    }

    public boolean isNew() {
        return loaded.get() == null;
    }

    public StringProperty clientIdProperty() {
        return clientId;
    }

    public StringProperty displayNameProperty() {
        return displayName;
    }

    /** The redirect URIs, in the order added. */
    public ObservableList<String> redirectUris() {
        return redirectUris;
    }

    /** What the admin types before pressing Add. */
    public StringProperty newRedirectUriProperty() {
        return newRedirectUri;
    }

    /** Whether the client may keep users signed in with refresh tokens (the code grant is always on). */
    public BooleanProperty refreshTokensProperty() {
        return refreshTokens;
    }

    /** Any app (sent as an empty list) rather than those in {@link #appIds()}. */
    public BooleanProperty anyAppProperty() {
        return anyApp;
    }

    public ObservableList<String> appIds() {
        return appIds;
    }

    public FieldErrors errors() {
        return errors;
    }

    public BooleanBinding validProperty() {
        return errors.valid();
    }

    /** A new client: no id (the server makes one up unless typed), code and refresh grants, any app. */
    public void clear() {
        loaded.set(null);
        clientId.set("");
        displayName.set("");
        redirectUris.clear();
        newRedirectUri.set("");
        refreshTokens.set(true);
        anyApp.set(true);
        appIds.clear();
        errors.reset();
    }

    public void load(OAuthClientView c) {
        loaded.set(c);
        clientId.set(c.clientId());
        displayName.set(c.displayName());
        redirectUris.setAll(c.redirectUris());
        newRedirectUri.set("");
        refreshTokens.set(c.allows(OAuthGrant.REFRESH_TOKEN));
        anyApp.set(c.appIds().isEmpty());
        appIds.setAll(c.appIds());
        errors.reset();
    }

    /**
     * Adds the typed redirect URI when {@link RedirectUris} accepts it and it is not listed yet; else its error shows
     * under the add field. Answers whether it was added.
     */
    public boolean addRedirectUri() {
        String uri = newRedirectUri.get().strip();
        errors.touch(NEW_REDIRECT_URI);
        if (uri.isEmpty() || RedirectUris.problem(uri).isPresent() || redirectUris.contains(uri)) {
            return false;
        }
        redirectUris.add(uri);
        newRedirectUri.set("");
        return true;
    }

    public void removeRedirectUri(String uri) {
        redirectUris.remove(uri);
    }

    /**
     * What the server gets: the id only when typed (on create) or the loaded one, the code grant always, and the apps as an
     * explicit list, empty for any app.
     */
    public OAuthClientSpec spec() {
        String id = isNew() ? (clientId.get().isBlank() ? null : clientId.get().strip()) : loaded.get().clientId();
        List<OAuthGrant> grants = refreshTokens.get() ? List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN)
                : List.of(OAuthGrant.AUTHORIZATION_CODE);
        return new OAuthClientSpec(id, displayName.get().strip(), List.copyOf(redirectUris), grants,
                anyApp.get() ? List.of() : List.copyOf(appIds));
    }

    /**
     * Whether saving ends refresh tokens, i.e. signs users out: the refresh grant taken away, or the apps narrowed (from any
     * app to some, or an app dropped). Empty for a new client or a change that ends none; else the sentence to confirm.
     */
    public Optional<String> signsUsersOut() {
        OAuthClientView was = loaded.get();
        if (was == null) {
            return Optional.empty();
        }
        OAuthClientSpec now = spec();
        List<String> why = new ArrayList<>();
        if (was.allows(OAuthGrant.REFRESH_TOKEN) && !now.grants().contains(OAuthGrant.REFRESH_TOKEN)) {
            why.add("it may no longer keep users signed in");
        }
        boolean narrowed = !now.appIds().isEmpty() && (was.appIds().isEmpty() || !now.appIds().containsAll(was.appIds()));
        if (narrowed) {
            why.add("it may no longer reach " + (was.appIds().isEmpty() ? "every app" : "some of its apps"));
        }
        return why.isEmpty() ? Optional.empty() : Optional.of("Saving signs out users of " + was.displayName() + ": "
                + String.join(", and ", why) + ", so the refresh tokens it no longer covers end now and those users sign in again.");
    }

    /** The console's checks: shared-model's rules on the spec, the typed redirect URI, and a pick for "not any app". */
    private Map<String, String> check() {
        Map<String, String> e = new LinkedHashMap<>();
        if (redirectUris.isEmpty()) {
            e.put(REDIRECT_URIS, "Add at least one redirect URI, e.g. http://127.0.0.1/callback or com.example.app:/callback.");
        }
        for (FieldError f : OAuthClientRules.check(spec(), !isNew())) {
            e.putIfAbsent(f.field(), sentence(f.message()));
        }
        String typed = newRedirectUri.get().strip();
        if (!typed.isEmpty()) {
            RedirectUris.problem(typed).ifPresentOrElse(p -> e.put(NEW_REDIRECT_URI, sentence(p)), () -> {
                if (redirectUris.contains(typed)) {
                    e.put(NEW_REDIRECT_URI, "This redirect URI is listed already.");
                }
            });
        }
        if (!anyApp.get() && appIds.isEmpty()) {
            e.putIfAbsent(APPS, "Pick the apps it may get tokens for, or tick Any app.");
        }
        return e;
    }

    /**
     * Takes what is typed in the add field into the list before a save, when it is a redirect URI the rules accept (a
     * listed one just clears the field); an invalid one stays, and its error stops the save.
     */
    void takeTypedRedirectUri() {
        String uri = newRedirectUri.get().strip();
        if (!uri.isEmpty() && RedirectUris.problem(uri).isEmpty()) {
            if (!redirectUris.contains(uri)) {
                redirectUris.add(uri);
            }
            newRedirectUri.set("");
        }
    }

    private static final Map<String, String> WORDS = Map.of(CLIENT_ID, "The client ID", DISPLAY_NAME, "The display name",
            REDIRECT_URIS, "Redirect URIs", GRANTS, "Grants", APPS, "Apps");

    /** A rule's message as a sentence: the API's field name in words, a capital first letter, a full stop. */
    static String sentence(String m) {
        String s = m;
        for (var w : WORDS.entrySet()) {
            if (s.startsWith(w.getKey() + " ")) {
                s = w.getValue() + s.substring(w.getKey().length());
            }
        }
        s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
