package dev.drawbridge.console.apps.sso;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.validation.SsoRules;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's shared user name and password for password vaulting's shared mode ({@code PUT}/{@code DELETE
 * /apps/{id}/sso/shared-credential}), a form of its own: write-only, since the server seals them with its data key and
 * never returns them (not even whether some are stored: the section's "Test as user" says that). Checked as the admin
 * types with {@link SsoRules#checkCredential}; set or removed at once, apart from the section's save. The password is
 * cleared from the form as soon as the server answered, whether it accepted it or not, and never shown.
 */
public final class SsoSharedCredential {
    /** The fields, as the server names them. */
    public static final String USERNAME = "username", PASSWORD = "password";

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(USERNAME, username), Field.of(PASSWORD, password)), this::check);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private String appId, appName;

    SsoSharedCredential(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
    }

    /** Another app is shown: an empty form, nothing said. */
    void app(String id, String name) {
        appId = id;
        appName = name;
        clear();
        status.set("");
    }

    /** Tries to set: every field shows its error; when none has one, the user name and password are sent. */
    public void set() {
        String id = appId, name = appName;
        if (id == null || busy.get() || !errors.attempt()) {
            return;
        }
        SharedCredential sent = new SharedCredential(username.get().strip(), password.get());
        busy.set(true);
        tasks.runQuietly("set the shared user name and password of " + name, () -> {
            api.apps().setSharedCredential(id, sent);
            return sent.username();
        }, user -> {
            busy.set(false);
            if (id.equals(appId)) {
                clear();
                status.set("Set: every user signs in to the app as " + user + ". The server keeps the password sealed and never"
                        + " shows it again; setting them again replaces them.");
            }
            notices.info("Shared user name and password set", name + ": " + user);
        }, e -> {
            busy.set(false);
            String why = Failures.message(e);
            if (id.equals(appId)) {
                // Not kept, even when refused: the admin types it again.
                password.set("");
                why = errors.failed(e);
            }
            notices.error("Could not set the shared user name and password of " + name, why);
        });
    }

    /** Removes the app's shared user name and password (the view asks first). */
    public void remove() {
        String id = appId, name = appName;
        if (id == null || busy.get()) {
            return;
        }
        busy.set(true);
        tasks.runQuietly("remove the shared user name and password of " + name, () -> {
            api.apps().removeSharedCredential(id);
            return id;
        }, gone -> {
            busy.set(false);
            if (gone.equals(appId)) {
                status.set("Removed: until they are set again, single sign-on with shared credentials fails for every user.");
            }
            notices.info("Shared user name and password removed", name);
        }, e -> {
            busy.set(false);
            if (Failures.notFound(e) && id.equals(appId)) {
                status.set("The app has no shared user name and password: nothing to remove.");
                return;
            }
            notices.error("Could not remove the shared user name and password of " + name, Failures.message(e));
        });
    }

    private void clear() {
        username.set("");
        password.set("");
        errors.reset();
    }

    private Map<String, String> check() {
        Map<String, String> found = new LinkedHashMap<>();
        for (Problem.FieldError e : SsoRules.checkCredential(username.get().strip(), password.get())) {
            found.merge(e.field(), e.message(), (a, b) -> a + " " + b);
        }
        return found;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    /** The password being typed; empty again once sent. */
    public StringProperty passwordProperty() {
        return password;
    }

    public FieldErrors errors() {
        return errors;
    }

    /** What was done last, in a sentence (empty before anything). */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** A call is on its way. */
    public BooleanProperty busyProperty() {
        return busy;
    }
}
