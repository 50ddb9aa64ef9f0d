package dev.drawbridge.console.signin;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.config.AdminApis;
import dev.drawbridge.console.config.TrustedCas;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.MeView;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sign-in: the server URL, then either directory credentials (with an MFA code once the server asks for one)
 * or an admin token. On first contact the server's CA is shown to the admin (trust on first use) and, once
 * accepted, remembered.
 */
public final class SignInViewModel {
    /** Asks the admin whether to trust a server's CA; runs on the UI thread. */
    public interface TrustPrompt {
        boolean trust(String host, X509Certificate root, X509Certificate leaf);
    }

    /** Fetches the certificate chain a server presents (without trusting it). */
    public interface ChainSource {
        List<X509Certificate> fetch(URI server) throws Exception;
    }

    /** Makes an API client for a server, trusting a key store, sending the token the supplier gives. */
    public interface ApiFactory {
        AdminApi create(URI server, KeyStore trust, Supplier<String> token);
    }

    /** The server has no sign-in by user name (its token endpoint answered 404). */
    private static final class NoPasswordSignIn extends Exception {
        NoPasswordSignIn() {
            super("This server does not offer sign-in with a user name yet: use an admin token.");
        }
    }

    private final StringProperty server = new SimpleStringProperty("");
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty mfaCode = new SimpleStringProperty("");
    private final StringProperty token = new SimpleStringProperty("");
    private final BooleanProperty useToken = new SimpleBooleanProperty(false);
    private final BooleanProperty mfaRequired = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanBinding canSignIn;
    private final FieldErrors errors;

    private final Tasks tasks;
    private final TrustedCas cas;
    private final TrustPrompt prompt;
    private final ApiFactory apis;
    private final ChainSource chains;

    public static final String SERVER = "server", USERNAME = "username", PASSWORD = "password", TOKEN = "token";

    public SignInViewModel(Tasks tasks, TrustedCas cas, TrustPrompt prompt, ApiFactory apis, ChainSource chains) {
        this.chains = chains;
        this.tasks = tasks;
        this.cas = cas;
        this.prompt = prompt;
        this.apis = apis;
        canSignIn = busy.not();
        errors = new FieldErrors(List.of(Field.of(SERVER, server), Field.of(USERNAME, username), Field.of(PASSWORD, password),
                Field.of(TOKEN, token)), this::check, useToken);
    }

    /** What is missing before a sign-in can be sent; field → sentence. */
    private Map<String, String> check() {
        Map<String, String> e = new LinkedHashMap<>();
        if (server.get().isBlank()) {
            e.put(SERVER, "Enter the admin URL, e.g. https://admin.apps.example.com:8443");
        } else if (serverUri().isEmpty()) {
            e.put(SERVER, "The admin URL starts with https:// and names the host, e.g. https://admin.apps.example.com:8443");
        }
        if (useToken.get()) {
            if (token.get().isBlank()) {
                e.put(TOKEN, "Paste the admin token, e.g. the bootstrap credential the server printed (dbadm_…).");
            }
        } else {
            if (username.get().isBlank()) {
                e.put(USERNAME, "Enter your user name, e.g. admin@example.com");
            }
            if (password.get().isEmpty()) {
                e.put(PASSWORD, "Enter your password.");
            }
        }
        return e;
    }

    /** The form's fields and their errors, shown once touched or a sign-in was tried. */
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty serverProperty() {
        return server;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty mfaCodeProperty() {
        return mfaCode;
    }

    public StringProperty tokenProperty() {
        return token;
    }

    public BooleanProperty useTokenProperty() {
        return useToken;
    }

    public BooleanProperty mfaRequiredProperty() {
        return mfaRequired;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanBinding canSignInProperty() {
        return canSignIn;
    }

    /** The admin URL as typed, checked: https, a host; a bare host name gets https:// added. */
    Optional<URI> serverUri() {
        String s = server.get().strip();
        if (!s.contains("://")) {
            s = "https://" + s;
        }
        try {
            URI u = URI.create(s);
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(URI.create(u.getScheme() + "://" + u.getRawAuthority()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Checks the certificate, then signs in; {@code onSignedIn} gets the session on the UI thread. */
    public void signIn(Consumer<Session> onSignedIn) {
        // A tried sign-in shows what is missing under its field, and goes on only when nothing is.
        if (busy.get() || !errors.attempt()) {
            return;
        }
        URI u = serverUri().orElseThrow();
        error.set("");
        busy.set(true);
        tasks.runQuietly("check the server's certificate", () -> chains.fetch(u), chain -> {
            if (!cas.trusts(chain)) {
                X509Certificate root = chain.getLast();
                if (!prompt.trust(u.getHost(), root, chain.getFirst())) {
                    busy.set(false);
                    error.set("Not signed in: the server's certificate authority was not trusted.");
                    return;
                }
                try {
                    cas.accept(root);
                } catch (IOException e) {
                    error.set("Could not remember the trusted CA in " + e.getMessage() + "; it is trusted for this run only.");
                }
            }
            authenticate(u, onSignedIn);
        }, e -> {
            busy.set(false);
            error.set("Cannot reach " + u.getHost() + ": " + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        });
    }

    private void authenticate(URI u, Consumer<Session> onSignedIn) {
        boolean withToken = useToken.get();
        String user = username.get().strip(), pass = password.get(), code = mfaCode.get().strip(), bearer = token.get().strip();
        tasks.runQuietly("sign in", () -> {
            AtomicReference<String> current = new AtomicReference<>(withToken ? bearer : null);
            AdminApi api = apis.create(u, cas.keyStore(), current::get);
            try {
                return session(api, u, withToken, new AdminTokenRequest(user, pass, code.isEmpty() ? null : code), current);
            } catch (Exception e) {
                AdminApis.close(api);
                throw e;
            }
        }, session -> {
            busy.set(false);
            password.set("");
            mfaCode.set("");
            mfaRequired.set(false);
            onSignedIn.accept(session);
        }, e -> {
            busy.set(false);
            error.set(explain(e));
        });
    }

    /** Signs in (unless with an admin token) and asks who the admin is; off the UI thread. */
    private static Session session(AdminApi api, URI u, boolean withToken, AdminTokenRequest credentials,
                                   AtomicReference<String> current) throws Exception {
        Optional<Instant> expires = Optional.empty();
        List<AdminRole> roles = List.of();
        String subject = "admin";
        if (!withToken) {
            AdminTokenResponse r;
            try {
                r = api.signIn(credentials);
            } catch (AdminApiException e) {
                if (Failures.notFound(e)) {
                    throw new NoPasswordSignIn();
                }
                throw e;
            }
            current.set(r.accessToken());
            expires = Optional.ofNullable(r.expiresAt());
            roles = r.roles();
            subject = r.subject();
        }
        try {
            MeView me = api.me();
            return new Session(api, u, me.displayName() == null || me.displayName().isBlank() ? me.subject()
                    : me.displayName() + " (" + me.subject() + ")", me.roles(), new Permissions(me.permissions()), expires);
        } catch (AdminApiException e) {
            if (!Failures.notFound(e)) {
                throw e;
            }
        }
        // A server without /me: the bootstrap token is the only admin credential it has, a global administrator.
        if (withToken) {
            api.connectorGroups().list(new Paging(0, 1));
            roles = List.of(AdminRole.GLOBAL_ADMINISTRATOR);
        }
        return new Session(api, u, subject, roles, Permissions.of(roles), expires);
    }

    private String explain(Exception e) {
        if (e instanceof AdminApiException a) {
            if (Failures.mfaRequired(a)) {
                mfaRequired.set(true);
                return code().isEmpty() ? "Enter the code from your authenticator app (or a recovery code)."
                        : "That code was not accepted; enter the current code.";
            }
            if (a.status() == 401) {
                return useToken.get() ? "The server does not accept this admin token." : "Wrong user name or password.";
            }
            if (a.status() == 403) {
                return "This account has no administrator role on this server.";
            }
            return a.getMessage();
        }
        return Failures.message(e);
    }

    private String code() {
        return mfaCode.get().strip();
    }
}
