package dev.drawbridge.console.apps.sso;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;

/**
 * The Kerberos part of an app's single sign-on ({@link KerberosSso}) being edited: the backend's SPN, the delegated login
 * identity and whether the ticket goes up front (the SPN's error is {@link AppSso#errors()}' {@link #SPN}). It also
 * says whether the app's connector group has the Kerberos settings the connectors need
 * ({@code GET /connector-groups/{id}/kerberos}; 404: none), read once per app shown and again after a save, only by a
 * role that may read connector groups.
 */
public final class SsoKerberos {
    /** The SPN's field, as the rules name it. */
    public static final String SPN = "kerberos.spn";

    private final AdminApi api;
    private final Tasks tasks;
    private final Permissions perms;
    private final StringProperty spn = new SimpleStringProperty("");
    private final ObjectProperty<LoginIdentity> loginIdentity = new SimpleObjectProperty<>(LoginIdentity.UPN);
    private final BooleanProperty upFront = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper groupHint = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper groupMissing = new ReadOnlyBooleanWrapper(false);
    private AppView app;
    private boolean groupChecked;

    SsoKerberos(AdminApi api, Tasks tasks, Permissions perms) {
        this.api = api;
        this.tasks = tasks;
        this.perms = perms;
    }

    /** The settings as typed: the SPN stripped; a login identity always (UPN unless chosen). */
    KerberosSso settings() {
        return new KerberosSso(spn.get() == null ? "" : spn.get().strip(), loginIdentity.get(), upFront.get());
    }

    /** Shows {@code k} as stored (null: the defaults, an empty SPN). */
    void show(KerberosSso k) {
        spn.set(k == null || k.spn() == null ? "" : k.spn());
        loginIdentity.set(k == null ? LoginIdentity.UPN : k.loginIdentity());
        upFront.set(k != null && k.upFront());
    }

    /** Everything the admin edits. */
    List<ObservableValue<?>> inputs() {
        return List.of(spn, loginIdentity, upFront);
    }

    /** The fields: any change touches the SPN, whose error is the settings' only one. */
    List<FieldErrors.Field> fields() {
        return List.of(FieldErrors.Field.of(SPN, spn, loginIdentity, upFront));
    }

    /** A new app is shown: its group's settings are read again when needed. */
    void app(AppView shown) {
        app = shown;
        groupChecked = false;
        groupHint.set("");
        groupMissing.set(false);
    }

    /** Reads whether the app's connector group has Kerberos settings, unless done for this app (or {@code again}). */
    void checkGroup(boolean again) {
        AppView a = app;
        if (a == null || groupChecked && !again) {
            return;
        }
        groupChecked = true;
        String group = a.connectorGroupName() == null ? "the app's connector group" : "Connector group " + a.connectorGroupName();
        if (!perms.has(Permission.CONNECTORS_READ)) {
            groupMissing.set(false);
            groupHint.set(group + " needs Kerberos settings too (realm, KDCs, the connectors' keytab), which your role cannot read:"
                    + " an Application administrator sets them on the Connectors screen.");
            return;
        }
        tasks.runQuietly("read the Kerberos settings of " + group, () -> api.connectorGroups().kerberos(a.connectorGroupId()),
                (KerberosGroupView k) -> {
                    if (a == app) {
                        groupMissing.set(false);
                        groupHint.set(group + " signs in to the KDC as " + k.servicePrincipal() + ": in the directory, that account"
                                + " must be allowed to delegate to this SPN.");
                    }
                }, e -> {
                    if (a != app) {
                        return;
                    }
                    boolean none = Failures.notFound(e);
                    groupMissing.set(none);
                    groupHint.set(none ? group + " has no Kerberos settings yet: until it has, its connectors refuse single sign-on"
                            + " to this app. Set its realm, KDCs and keytab on the Connectors screen (Kerberos)."
                            : "Could not read the Kerberos settings of " + group + ": " + Failures.message(e));
                });
    }

    /** The backend's service principal name, e.g. {@code HTTP/intranet.corp.example}. */
    public StringProperty spnProperty() {
        return spn;
    }

    /** Which name of the user the connector asks the KDC for. */
    public ObjectProperty<LoginIdentity> loginIdentityProperty() {
        return loginIdentity;
    }

    /** Send the ticket with the first request instead of after the backend's 401 Negotiate. */
    public BooleanProperty upFrontProperty() {
        return upFront;
    }

    /** What the app's connector group has for Kerberos, in a sentence (empty before it was read). */
    public ReadOnlyStringProperty groupHintProperty() {
        return groupHint.getReadOnlyProperty();
    }

    /** The app's connector group has no Kerberos settings (the server answered 404). */
    public ReadOnlyBooleanProperty groupMissingProperty() {
        return groupMissing.getReadOnlyProperty();
    }
}
