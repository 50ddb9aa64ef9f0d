package dev.drawbridge.console.directory;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.FxTasks;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.validation.DirectorySyncRules;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.console.directory.SettingsFormViewModel.blank;
import static dev.drawbridge.console.directory.SettingsFormViewModel.nz;

/**
 * LDAP / Active Directory sync ({@code /directory-sync}): the settings, checked as the admin types, saved with
 * PUT; "Sync now" runs it and shows what it did. The bind password is write-only: the server answers
 * {@code ********} when one is stored, and an empty field keeps it.
 */
public final class DirectorySyncViewModel extends SettingsFormViewModel<LdapSyncSettings> {
    public static final String URL = "url", BIND_DN = "bindDn", BIND_PASSWORD = "bindPassword", USER_BASE = "userBase",
            INTERVAL = "intervalMinutes", CONNECTOR_GROUP = "connectorGroup", ON_PREM_UPN_ATTRIBUTE = "onPremUpnAttribute",
            SAM_ACCOUNT_NAME_ATTRIBUTE = "samAccountNameAttribute";
    static final String MASK = "********";

    private final Runnable synced;
    final StringProperty url = new SimpleStringProperty("");
    final StringProperty bindDn = new SimpleStringProperty("");
    final StringProperty bindPassword = new SimpleStringProperty("");
    final StringProperty userBase = new SimpleStringProperty("");
    final StringProperty userFilter = new SimpleStringProperty("");
    final StringProperty upnAttribute = new SimpleStringProperty("");
    final StringProperty displayNameAttribute = new SimpleStringProperty("");
    final StringProperty mailAttribute = new SimpleStringProperty("");
    final StringProperty departmentAttribute = new SimpleStringProperty("");
    final StringProperty groupBase = new SimpleStringProperty("");
    final StringProperty groupFilter = new SimpleStringProperty("");
    final StringProperty memberAttribute = new SimpleStringProperty("");
    /** The attribute of the on-premises UPN; unlike the fields above, empty means "not synced", not "the default". */
    final StringProperty onPremUpnAttribute = new SimpleStringProperty(LdapSyncSettings.AD_ON_PREM_UPN);
    /** The attribute of the SAM account name; empty means "not synced". */
    final StringProperty samAccountNameAttribute = new SimpleStringProperty(LdapSyncSettings.AD_SAM_ACCOUNT_NAME);
    final StringProperty interval = new SimpleStringProperty("0");
    final BooleanProperty verifyPasswords = new SimpleBooleanProperty(true);
    /** The connector group LDAP is reached through (name); empty = the server connects directly. */
    final StringProperty connectorGroup = new SimpleStringProperty("");
    private final BooleanProperty passwordStored = new SimpleBooleanProperty(false);
    /** Where the stored password was entered for (URL, bind DN, connector group): it is only sent there. */
    private List<String> storedDestination = List.of("", "", "");
    private final StringProperty result = new SimpleStringProperty("");
    private final BooleanProperty resultOk = new SimpleBooleanProperty(true);
    private final FieldErrors errors;

    /** @param synced runs after a sync that worked (the user list reloads) */
    public DirectorySyncViewModel(AdminApi api, Tasks tasks, Notices notices, Runnable synced) {
        super(api, tasks, notices, "directory sync");
        this.synced = synced;
        errors = new FieldErrors(List.of(Field.of(URL, url), Field.of(CONNECTOR_GROUP, connectorGroup), Field.of(BIND_DN, bindDn),
                Field.of(BIND_PASSWORD, bindPassword), Field.of(USER_BASE, userBase), Field.of(INTERVAL, interval),
                Field.of(ON_PREM_UPN_ATTRIBUTE, onPremUpnAttribute), Field.of(SAM_ACCOUNT_NAME_ATTRIBUTE, samAccountNameAttribute)),
                () -> {
                    Map<String, String> e = check(url.get(), bindDn.get(), bindPassword.get(), passwordStored.get(), destinationChanged(),
                            userBase.get(), interval.get());
                    e.putAll(checkOnPremAttributes(onPremUpnAttribute.get(), samAccountNameAttribute.get()));
                    return e;
                }, passwordStored);
        track(url, bindDn, bindPassword, userBase, userFilter, upnAttribute, displayNameAttribute, mailAttribute,
                departmentAttribute, groupBase, groupFilter, memberAttribute, interval, verifyPasswords, connectorGroup, onPremUpnAttribute,
                samAccountNameAttribute);
        errors.validate();
    }

    /** The URL, bind DN or connector group differs from where the stored password was entered for. */
    private boolean destinationChanged() {
        return passwordStored.get() && !destination().equals(storedDestination);
    }

    private List<String> destination() {
        return List.of(nz(url.get()).strip(), nz(bindDn.get()).strip(), nz(connectorGroup.get()).strip());
    }

    /** The console's checks, as the server makes them; field → sentence. */
    static Map<String, String> check(String url, String bindDn, String password, boolean passwordStored, String userBase, String interval) {
        return check(url, bindDn, password, passwordStored, false, userBase, interval);
    }

    /** As above; {@code destinationChanged}: the URL, bind DN or connector group moved away from where the stored password belongs. */
    static Map<String, String> check(String url, String bindDn, String password, boolean passwordStored, boolean destinationChanged,
                                     String userBase, String interval) {
        Map<String, String> e = new LinkedHashMap<>();
        String u = url == null ? "" : url.strip();
        if (u.isEmpty()) {
            e.put(URL, "URL is required, e.g. ldaps://dc1.corp.example:636");
        } else if (!u.startsWith("ldap://") && !u.startsWith("ldaps://")) {
            e.put(URL, "URL must start with ldap:// or ldaps://");
        } else {
            try {
                if (new URI(u).getHost() == null) {
                    e.put(URL, "URL needs a host name, e.g. ldaps://dc1.corp.example:636");
                }
            } catch (URISyntaxException x) {
                e.put(URL, "URL is not valid: " + x.getReason());
            }
        }
        if (userBase == null || userBase.isBlank()) {
            e.put(USER_BASE, "User base is required, e.g. ou=people,dc=corp,dc=example");
        }
        boolean hasDn = bindDn != null && !bindDn.isBlank();
        boolean hasPassword = (password != null && !password.isEmpty()) || passwordStored;
        if (hasDn && !hasPassword) {
            e.put(BIND_PASSWORD, "Enter the password of the bind DN.");
        } else if (passwordStored && destinationChanged && (password == null || password.isEmpty())) {
            e.put(BIND_PASSWORD, "Enter the bind password again: the URL, bind DN or connector group changed, and the stored password "
                    + "is only sent where it was entered for.");
        }
        try {
            int m = Integer.parseInt(interval == null || interval.isBlank() ? "0" : interval.strip());
            if (m < 0 || m > 10_080) {
                e.put(INTERVAL, "Interval is 0 (on demand only) to 10080 minutes (a week).");
            }
        } catch (NumberFormatException x) {
            e.put(INTERVAL, "Interval is a whole number of minutes; 0 syncs on demand only.");
        }
        return e;
    }

    /** The on-premises identity attributes, as the server checks them: empty (not synced) or an LDAP attribute name. */
    static Map<String, String> checkOnPremAttributes(String onPremUpn, String samAccountName) {
        Map<String, String> e = new LinkedHashMap<>();
        if (!nz(onPremUpn).isBlank() && !DirectorySyncRules.isAttributeName(onPremUpn.strip())) {
            e.put(ON_PREM_UPN_ATTRIBUTE, "Not an LDAP attribute name (e.g. userPrincipalName); leave it empty not to sync it.");
        }
        if (!nz(samAccountName).isBlank() && !DirectorySyncRules.isAttributeName(samAccountName.strip())) {
            e.put(SAM_ACCOUNT_NAME_ATTRIBUTE, "Not an LDAP attribute name (e.g. sAMAccountName); leave it empty not to sync it.");
        }
        return e;
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty urlProperty() {
        return url;
    }

    public StringProperty bindDnProperty() {
        return bindDn;
    }

    /** What the admin types to set a new bind password; empty keeps the stored one. */
    public StringProperty bindPasswordProperty() {
        return bindPassword;
    }

    public StringProperty userBaseProperty() {
        return userBase;
    }

    public StringProperty userFilterProperty() {
        return userFilter;
    }

    public StringProperty upnAttributeProperty() {
        return upnAttribute;
    }

    public StringProperty displayNameAttributeProperty() {
        return displayNameAttribute;
    }

    public StringProperty mailAttributeProperty() {
        return mailAttribute;
    }

    public StringProperty departmentAttributeProperty() {
        return departmentAttribute;
    }

    public StringProperty groupBaseProperty() {
        return groupBase;
    }

    public StringProperty groupFilterProperty() {
        return groupFilter;
    }

    public StringProperty memberAttributeProperty() {
        return memberAttribute;
    }

    /** The attribute the on-premises UPN is synced from (userPrincipalName in AD); empty: not synced. */
    public StringProperty onPremUpnAttributeProperty() {
        return onPremUpnAttribute;
    }

    /** The attribute the SAM account name is synced from (sAMAccountName in AD); empty: not synced. */
    public StringProperty samAccountNameAttributeProperty() {
        return samAccountNameAttribute;
    }

    public StringProperty intervalProperty() {
        return interval;
    }

    /** The connector group (name) that carries LDAP traffic; empty for a direct connection from the server. */
    public StringProperty connectorGroupProperty() {
        return connectorGroup;
    }

    public BooleanProperty verifyPasswordsProperty() {
        return verifyPasswords;
    }

    /** The server keeps a bind password (it answered ********). */
    public BooleanProperty passwordStoredProperty() {
        return passwordStored;
    }

    /** What the last "Sync now" did, or why it failed. */
    public StringProperty resultProperty() {
        return result;
    }

    public BooleanProperty resultOkProperty() {
        return resultOk;
    }

    @Override
    LdapSyncSettings fetch() throws AdminClientException {
        return api.directorySync().settings();
    }

    @Override
    LdapSyncSettings store(LdapSyncSettings settings) throws AdminClientException {
        return api.directorySync().configure(settings);
    }

    @Override
    void show(LdapSyncSettings s) {
        load(s, () -> {
            LdapSyncSettings v = s == null ? new LdapSyncSettings(null, null, null, null, null, null, null, null, null, null,
                    null, null, 0, true) : s;
            url.set(nz(v.url()));
            bindDn.set(nz(v.bindDn()));
            bindPassword.set("");
            passwordStored.set(v.bindPassword() != null && !v.bindPassword().isEmpty());
            userBase.set(nz(v.userBase()));
            userFilter.set(nz(v.userFilter()));
            upnAttribute.set(nz(v.upnAttribute()));
            displayNameAttribute.set(nz(v.displayNameAttribute()));
            mailAttribute.set(nz(v.mailAttribute()));
            departmentAttribute.set(nz(v.departmentAttribute()));
            groupBase.set(nz(v.groupBase()));
            groupFilter.set(nz(v.groupFilter()));
            memberAttribute.set(nz(v.memberAttribute()));
            // The server answers the names in use; none yet (not configured): Active Directory's.
            onPremUpnAttribute.set(v.syncedOnPremUpnAttribute().orElse(""));
            samAccountNameAttribute.set(v.syncedSamAccountNameAttribute().orElse(""));
            interval.set(String.valueOf(v.intervalMinutes() == null ? 0 : v.intervalMinutes()));
            verifyPasswords.set(v.verifyPasswordsWithLdap() == null || v.verifyPasswordsWithLdap());
            connectorGroup.set(nz(v.connectorGroup()));
            storedDestination = destination();
        });
        int m = s == null || s.intervalMinutes() == null ? 0 : s.intervalMinutes();
        stateProperty().set(s == null ? "Not configured: users and groups come only from the built-in directory."
                : "Configured: " + (m == 0 ? "syncs on demand (Sync now)" : "syncs every " + m + " minutes, and on demand")
                + (s.connectorGroup() == null || s.connectorGroup().isBlank() ? ", directly from the server."
                : ", through connector group " + s.connectorGroup() + "."));
        errors.validate();
    }

    /**
     * The settings as PUT sends them: blanks left out (the server's defaults), an empty password keeps the stored one,
     * an empty on-premises identity attribute is sent empty (not synced).
     */
    LdapSyncSettings settings() {
        String i = interval.get() == null ? "" : interval.get().strip();
        return new LdapSyncSettings(blank(url.get()), blank(bindDn.get()), bindPassword.get() == null || bindPassword.get().isEmpty()
                ? null : bindPassword.get(), blank(userBase.get()), blank(userFilter.get()), blank(upnAttribute.get()),
                blank(displayNameAttribute.get()), blank(mailAttribute.get()), blank(departmentAttribute.get()), blank(groupBase.get()),
                blank(groupFilter.get()), blank(memberAttribute.get()), i.isEmpty() ? 0 : Integer.valueOf(i), verifyPasswords.get(),
                // The server keeps its stored group when the field is absent; "" says "connect directly".
                connectorGroup.get() == null ? "" : connectorGroup.get().strip(), nz(onPremUpnAttribute.get()).strip(),
                nz(samAccountNameAttribute.get()).strip());
    }

    public void save() {
        save(this::settings, "Could not save directory sync", saved -> notices.info("Directory sync saved", saved.url()));
    }

    /** Runs the sync now and shows the counts; the server says 409 when nothing is configured, 502 with LDAP's error. */
    public void syncNow() {
        BooleanProperty busy = busyProperty();
        if (busy.get()) {
            return;
        }
        busy.set(true);
        result.set("Syncing…");
        resultOk.set(true);
        tasks.runQuietly("sync the directory", () -> api.directorySync().run(), r -> {
            busy.set(false);
            result.set("Synced: " + r.summary());
            resultOk.set(r.problems().isEmpty());
            notices.info("Directory synced", r.summary());
            synced.run();
        }, e -> {
            busy.set(false);
            resultOk.set(false);
            String why;
            if (Failures.status(e) == 409) {
                why = "Directory sync is not configured on the server: save the settings first.";
            } else if (Failures.status(e) == 502) {
                why = "The LDAP server refused: " + Failures.problem(e).map(p -> p.detail()).filter(d -> d != null && !d.isBlank())
                        .orElse(e.getMessage());
            } else {
                why = FxTasks.message(e);
            }
            result.set("Failed: " + why);
            notices.error("Directory sync failed", why);
        });
    }
}
