package dev.drawbridge.console.apps.sso;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * "Test as user" of the single sign-on section: what the app's backend would receive for one user with the settings the
 * section shows, saved or not ({@code POST /apps/{id}/sso/preview} with the draft; the server sends nothing to the backend
 * or the KDC and shows no secret). The user is picked from the directory (the server searches, as for assignments), or
 * typed (UPN or id). The answer is shown in parts: the problems first (why single sign-on would fail or be incomplete for
 * the user), then the headers (name, value), the Kerberos principal, service and when the ticket goes, whose password and
 * whether it is stored, or the SAML NameID and attributes. A draft the rules refuse is not sent; the section says why.
 */
public final class TestAsUser {
    /** One thing the backend gets, in words: {@code key} names it for the view ({@code sso-test-<key>}). */
    public record Detail(String key, String label, String value) {
    }

    static final String NOT_OFFERED = "This server does not offer the single sign-on preview yet (POST /apps/{id}/sso/preview):"
            + " update the server to test as a user.";

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final StringProperty search = new SimpleStringProperty("");
    private final ObservableList<UserView> users = FXCollections.observableArrayList();
    private final ObjectProperty<UserView> user = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<SsoPreview> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ObservableList<SsoPreview.Header> headers = FXCollections.observableArrayList();
    private final ObservableList<Detail> details = FXCollections.observableArrayList();
    private final ObservableList<SsoPreview.Attribute> attributes = FXCollections.observableArrayList();
    private int searchGeneration, runGeneration;

    TestAsUser(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
    }

    /** Fills the user list with the users matching the search (the server's first page); one match is picked. */
    public void search() {
        String q = search.get() == null ? "" : search.get().strip();
        int gen = ++searchGeneration;
        tasks.runQuietly("find users", () -> api.users().list(Paging.DEFAULT, new Users.Search(q.isEmpty() ? null : q)).items(), found -> {
            if (gen != searchGeneration) {
                return;
            }
            UserView picked = user.get();
            users.setAll(found);
            if (found.size() == 1) {
                user.set(found.getFirst());
            } else if (picked != null && found.stream().noneMatch(u -> u.id().equals(picked.id()))) {
                user.set(null);
            }
        }, e -> {
            if (gen == searchGeneration) {
                users.clear();
            }
        });
    }

    /** Whom to test as: the picked user, else what was typed (a UPN or an id, as the server resolves it); empty: nobody. */
    public String who() {
        UserView u = user.get();
        return u != null ? u.upn() : search.get() == null ? "" : search.get().strip();
    }

    /**
     * Asks the server what the backend would receive for {@link #who()} with {@code draft}. The server's field errors on the
     * draft (what only it can check) go to {@code refused}, for the section to show on its fields.
     */
    void run(String appId, String appName, SsoSettings draft, Consumer<Problem> refused) {
        String who = who();
        if (who.isEmpty()) {
            refuse("Pick a user to test as (find them by name or UPN).");
            return;
        }
        int gen = ++runGeneration;
        running.set(true);
        message.set("");
        tasks.runQuietly("test the single sign-on of " + appName + " as " + who,
                () -> api.apps().previewSso(appId, new SsoPreviewRequest(who, draft)), p -> {
                    if (gen == runGeneration) {
                        running.set(false);
                        show(p, appName);
                    }
                }, e -> {
                    if (gen != runGeneration) {
                        return;
                    }
                    running.set(false);
                    forget();
                    if (Failures.notFound(e) && Failures.problem(e).map(Problem::detail).filter(d -> d.startsWith("no such endpoint")).isPresent()) {
                        message.set(NOT_OFFERED);
                        notices.warn("Not available on this server", NOT_OFFERED);
                        return;
                    }
                    Failures.problem(e).filter(p -> p.status() == 400 && p.errors().stream().anyMatch(f -> !"user".equals(f.field())))
                            .ifPresent(refused);
                    message.set("Could not test as " + who + ": " + Failures.message(e));
                    notices.error("Could not test the single sign-on of " + appName + " as " + who, Failures.message(e));
                });
    }

    /** Nothing is asked: {@code why} says what to do first. */
    void refuse(String why) {
        runGeneration++;
        running.set(false);
        forget();
        message.set(why);
    }

    /** Another app: no result, no user picked. */
    void clear() {
        refuse("");
        user.set(null);
    }

    /** The section's settings changed: a result shown is of other settings now. */
    void draftChanged() {
        stale.set(result.get() != null);
    }

    private void forget() {
        result.set(null);
        stale.set(false);
        summary.set("");
        problems.clear();
        headers.clear();
        details.clear();
        attributes.clear();
    }

    private void show(SsoPreview p, String appName) {
        forget();
        String upn = p.upn();
        summary.set(switch (p.method()) {
            case NONE -> "Single sign-on is off: " + appName + "'s backend gets each request of " + upn + " as the browser sent it,"
                    + " with Drawbridge's signed X-Drawbridge-User headers.";
            case HEADERS -> p.headers().isEmpty() ? "The connector would set no header for " + upn + "."
                    : "The connector would set these headers for " + upn + ", after removing any the browser sent under the same names:";
            case KERBEROS -> "The connector would get a Kerberos ticket for " + upn + " (constrained delegation) and send it as"
                    + " Authorization: Negotiate:";
            case BASIC -> "The connector would answer the backend's 401 Basic with a stored user name and password:";
            case FORMS -> "The connector would fill in the backend's login form with a stored user name and password:";
            case SAML -> "Drawbridge would sign " + upn + " in to the service provider with this assertion:";
        });
        problems.setAll(p.problems());
        headers.setAll(p.headers());
        details.setAll(details(p));
        if (p.saml() != null) {
            attributes.setAll(p.saml().attributes());
        }
        result.set(p);
    }

    private static List<Detail> details(SsoPreview p) {
        List<Detail> d = new ArrayList<>();
        if (p.kerberos() != null) {
            SsoPreview.Kerberos k = p.kerberos();
            d.add(new Detail("principal", "User principal (S4U2Self)", k.principal() == null ? "None: see the problems" : k.principal()));
            d.add(new Detail("spn", "Service (S4U2Proxy)", k.spn()));
            d.add(new Detail("up-front", "Ticket sent", k.upFront() ? "Up front, with each request" : "After the backend's 401 Negotiate"));
        }
        if (p.password() != null) {
            SsoPreview.Password pw = p.password();
            d.add(new Detail("credentials", "Whose user name and password", Labels.of(pw.credentials())));
            d.add(new Detail("stored", "Stored", pw.stored() ? "Yes (never shown)" : pw.credentials() == BasicSso.Credentials.SHARED
                    ? "No: set the shared user name and password" : "No: the user is asked for them in My Apps first"));
        }
        if (p.saml() != null) {
            SsoPreview.Saml s = p.saml();
            d.add(new Detail("name-id-format", "NameID format", Labels.of(s.nameIdFormat()) + " (" + s.nameIdFormat().uri() + ")"));
            d.add(new Detail("name-id", "NameID", s.nameId() != null ? s.nameId()
                    : s.nameIdFormat() == SamlSso.NameIdFormat.TRANSIENT ? "A random id, new at each sign-in" : "None: see the problems"));
        }
        return d;
    }

    /** What was typed to find a user (or the UPN to test as). */
    public StringProperty searchProperty() {
        return search;
    }

    /** The users the search found. */
    public ObservableList<UserView> users() {
        return users;
    }

    /** The user picked; null: the typed text is used. */
    public ObjectProperty<UserView> userProperty() {
        return user;
    }

    /** The last answer; null before one, after a failure, and for another app. */
    public ReadOnlyObjectProperty<SsoPreview> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Why nothing is shown (the draft refused, no user, the server's error); empty when a result is shown. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The answer in a sentence. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The section's settings changed since the result was computed. */
    public ReadOnlyBooleanProperty staleProperty() {
        return stale.getReadOnlyProperty();
    }

    /** Why single sign-on would fail or be incomplete for the user; empty: it would work as shown. */
    public ObservableList<String> problems() {
        return problems;
    }

    /** The headers the backend would get (method HEADERS). */
    public ObservableList<SsoPreview.Header> headers() {
        return headers;
    }

    /** Kerberos, password and NameID lines. */
    public ObservableList<Detail> details() {
        return details;
    }

    /** The SAML attributes with their values. */
    public ObservableList<SsoPreview.Attribute> attributes() {
        return attributes;
    }
}
