package dev.drawbridge.console.connectors;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.ChosenFile;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.validation.KerberosRules;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Kerberos settings of the selected connector group ({@code /connector-groups/{id}/kerberos}), for Kerberos
 * constrained delegation to its apps: what the server has ({@link #storedProperty()}, never the keytab: the principals it
 * holds keys for) and a form to set them — realm, KDC list, the connectors' principal, and a keytab file. The form is
 * checked as the admin types with {@link KerberosRules}, the server's rules, and follows every form's rule (errors once a
 * field is touched or a save tried; the server's on their fields).
 *
 * <p>The keytab is a secret (whoever holds it may act as any delegable user towards the apps its account may delegate
 * to): its bytes are read from the chosen file, checked once, never shown (only the file's name and size), and zeroed as
 * soon as they are sent, whether the server accepts them or not; each save needs the file chosen again.
 */
public final class GroupKerberos {
    /** Field names, as the server names them ({@link #NEW_KDC}: the add field, console only). */
    public static final String REALM = "realm", KDCS = "kdcs", NEW_KDC = "newKdc", PRINCIPAL = "servicePrincipal", KEYTAB = "keytab";
    static final String NONE_SELECTED = "Select a connector group to see its Kerberos settings.";
    /** A keytab the rules accept, in place of the chosen one while the other fields are checked (its bytes: 05 02). */
    private static final String VALID_KEYTAB = "BQI=";

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    final StringProperty realm = new SimpleStringProperty("");
    final ObservableList<String> kdcs = FXCollections.observableArrayList();
    final StringProperty newKdc = new SimpleStringProperty("");
    final StringProperty principal = new SimpleStringProperty("");
    /** The chosen keytab's name and size ("connector.keytab, 182 bytes"); empty when none is chosen. */
    private final ReadOnlyStringWrapper keytabFile = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<KerberosGroupView> stored = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(NONE_SELECTED);
    private final ReadOnlyBooleanWrapper selected = new ReadOnlyBooleanWrapper(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty dirty = new SimpleBooleanProperty(false);
    private final ObjectProperty<Object> keytabChanged = new SimpleObjectProperty<>();
    private final FieldErrors errors;
    private byte[] keytab;
    private String keytabProblem = "", keytabRefused = "";
    private boolean sentOnce, loading;
    private String groupId, groupName;

    GroupKerberos(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        errors = new FieldErrors(List.of(Field.of(REALM, realm), Field.of(KDCS, kdcs), Field.of(NEW_KDC, newKdc),
                Field.of(PRINCIPAL, principal), Field.of(KEYTAB, keytabChanged)), this::check);
        for (ObservableValue<?> in : List.<ObservableValue<?>>of(realm, newKdc, principal, keytabChanged)) {
            in.addListener((o, was, now) -> edited());
        }
        kdcs.addListener((ListChangeListener<String>) c -> edited());
    }

    private void edited() {
        if (!loading) {
            dirty.set(true);
        }
    }

    /** Shows the Kerberos settings of {@code g} (null: none selected); another group drops unsaved changes and the keytab. */
    void select(ConnectorGroupView g) {
        String id = g == null ? null : g.id();
        groupName = g == null ? null : g.name();
        if (Objects.equals(id, groupId)) {
            return;
        }
        groupId = id;
        selected.set(id != null);
        show(null);
        dirty.set(false);
        if (id == null) {
            state.set(NONE_SELECTED);
            return;
        }
        state.set("Loading…");
        load();
    }

    /** Reads the settings again, unless the admin has unsaved changes or a save is running. */
    void refresh() {
        if (groupId != null && !dirty.get() && !busy.get()) {
            load();
        }
    }

    private void load() {
        String id = groupId, name = groupName;
        tasks.runQuietly("load the Kerberos settings of " + name, () -> api.connectorGroups().kerberos(id), v -> {
            if (id.equals(groupId) && !dirty.get() && !busy.get()) {
                show(v);
            }
        }, e -> {
            if (!id.equals(groupId)) {
                return;
            }
            if (Failures.notFound(e)) {
                if (!dirty.get() && !busy.get()) {
                    show(null);
                }
            } else {
                state.set("Could not load the Kerberos settings: " + Failures.message(e));
                notices.error("Could not load the Kerberos settings of " + name, Failures.message(e));
            }
        });
    }

    /** Shows what the server has ({@code null}: nothing) on the form, which is then fresh; the keytab is dropped. */
    private void show(KerberosGroupView v) {
        loading = true;
        try {
            stored.set(v);
            realm.set(v == null ? "" : v.realm());
            kdcs.setAll(v == null ? List.of() : v.kdcs());
            newKdc.set("");
            principal.set(v == null ? "" : v.servicePrincipal());
            dropKeytab();
        } finally {
            loading = false;
        }
        keytabRefused = "";
        sentOnce = false;
        dirty.set(false);
        if (groupId != null) {
            state.set(v == null ? "Not configured: apps of this group cannot use Kerberos single sign-on (their connectors refuse it)."
                    : "Configured: the group's connectors sign in to the KDC as " + v.servicePrincipal() + ".");
        }
        errors.reset();
    }

    /**
     * Takes the keytab file the admin chose: its bytes are checked with the rules (only a regular file is read, and no
     * more than {@value KerberosRules#MAX_KEYTAB} bytes of it), kept until the next save, never shown.
     */
    public void chooseKeytab(Path file) {
        dropKeytab();
        String name = String.valueOf(file.getFileName());
        switch (ChosenFile.read(file, KerberosRules.MAX_KEYTAB, "the keytab file", "a keytab")) {
            case ChosenFile.Refused r -> keytabProblem = r.sentence();
            case ChosenFile.Bytes b -> {
                keytab = b.bytes();
                keytabProblem = KerberosRules.check(new KerberosGroupSettings("R", List.of("k"), "p", Base64.getEncoder().encodeToString(keytab)))
                        .stream().filter(e -> KEYTAB.equals(e.field())).map(e -> sentence(e.message()) + " (" + name + ")").findFirst().orElse("");
            }
        }
        keytabFile.set(keytab == null ? "" : name + ", " + keytab.length + " bytes");
        keytabRefused = "";
        keytabChanged.set(new Object());
    }

    /** Zeroes and forgets the keytab's bytes. */
    private void dropKeytab() {
        if (keytab != null) {
            Arrays.fill(keytab, (byte) 0);
        }
        keytab = null;
        keytabProblem = "";
        keytabFile.set("");
    }

    /** Adds the typed KDC when the rules accept it and it is not listed yet; else its error shows. */
    public boolean addKdc() {
        String kdc = newKdc.get().strip();
        errors.touch(NEW_KDC);
        if (kdc.isEmpty() || kdcProblem(kdc) != null || kdcs.contains(kdc)) {
            return false;
        }
        kdcs.add(kdc);
        newKdc.set("");
        return true;
    }

    public void removeKdc(String kdc) {
        kdcs.remove(kdc);
    }

    /** Moves {@code kdc} one place up: the connectors ask the KDCs in order. */
    public void moveKdcUp(String kdc) {
        int i = kdcs.indexOf(kdc);
        if (i > 0) {
            kdcs.add(i - 1, kdcs.remove(i));
        }
    }

    /** Tries to save: every field shows its error; when none has one, the settings and the keytab are sent. */
    public void save() {
        String id = groupId, name = groupName;
        if (id == null || busy.get()) {
            return;
        }
        takeTypedKdc();
        if (!errors.attempt()) {
            return;
        }
        KerberosGroupSettings body = new KerberosGroupSettings(realm.get().strip(), List.copyOf(kdcs), principal.get().strip(),
                Base64.getEncoder().encodeToString(keytab));
        // Sent once: the bytes go now, whatever the server answers.
        dropKeytab();
        sentOnce = true;
        busy.set(true);
        tasks.runQuietly("save the Kerberos settings of " + name, () -> api.connectorGroups().setKerberos(id, body), v -> {
            busy.set(false);
            if (id.equals(groupId)) {
                show(v);
            }
            notices.info("Kerberos settings saved", name + ": realm " + v.realm() + ", keytab holds " + String.join(", ", v.keytabPrincipals()));
        }, e -> {
            busy.set(false);
            if (id.equals(groupId)) {
                keytabRefused = Failures.problem(e).stream().flatMap(p -> p.errors().stream())
                        .filter(f -> KEYTAB.equals(f.field())).map(Problem.FieldError::message).findFirst().map(GroupKerberos::sentence).orElse("");
                notices.error("Could not save the Kerberos settings of " + name, errors.failed(e));
            } else {
                notices.error("Could not save the Kerberos settings of " + name, Failures.message(e));
            }
        });
    }

    /** Removes the group's settings (the view asks first): its connectors delete their keytab. */
    public void remove() {
        String id = groupId, name = groupName;
        if (id == null || busy.get() || stored.get() == null) {
            return;
        }
        busy.set(true);
        tasks.runQuietly("remove the Kerberos settings of " + name, () -> {
            api.connectorGroups().removeKerberos(id);
            return id;
        }, gone -> {
            busy.set(false);
            if (id.equals(groupId)) {
                show(null);
            }
            notices.info("Kerberos settings removed", name + ": its connectors delete their keytab.");
        }, e -> {
            busy.set(false);
            notices.error("Could not remove the Kerberos settings of " + name, Failures.message(e));
        });
    }

    /** A valid KDC still in the add field when saving joins the list; an invalid one stays, and its error stops the save. */
    private void takeTypedKdc() {
        String kdc = newKdc.get().strip();
        if (!kdc.isEmpty() && kdcProblem(kdc) == null) {
            if (!kdcs.contains(kdc)) {
                kdcs.add(kdc);
            }
            newKdc.set("");
        }
    }

    /** The console's checks: {@link KerberosRules} on the form (the keytab checked once, when chosen), and the typed KDC. */
    private Map<String, String> check() {
        Map<String, String> e = new LinkedHashMap<>();
        String keytabStandIn = keytab != null && keytabProblem.isEmpty() ? VALID_KEYTAB : null;
        for (Problem.FieldError f : KerberosRules.check(new KerberosGroupSettings(realm.get().strip(), List.copyOf(kdcs),
                principal.get().strip(), keytabStandIn))) {
            if (!KEYTAB.equals(f.field())) {
                e.merge(f.field(), sentence(f.message()), (a, b) -> a + " " + b);
            }
        }
        if (!keytabProblem.isEmpty()) {
            e.put(KEYTAB, keytabProblem);
        } else if (keytab == null) {
            e.put(KEYTAB, !keytabRefused.isEmpty() ? keytabRefused + " Choose a keytab again."
                    : sentOnce ? "Choose the keytab again: it is sent with each save and not kept."
                    : "Choose the keytab file of the connectors' principal (ktpass or kadmin's ktadd makes it).");
        }
        String typed = newKdc.get().strip();
        if (!typed.isEmpty()) {
            String p = kdcProblem(typed);
            if (p != null) {
                e.put(NEW_KDC, p);
            } else if (kdcs.contains(typed)) {
                e.put(NEW_KDC, "This KDC is listed already.");
            }
        }
        return e;
    }

    private static String kdcProblem(String kdc) {
        return KerberosRules.check(new KerberosGroupSettings("R", List.of(kdc), "p", VALID_KEYTAB)).stream()
                .filter(f -> KDCS.equals(f.field())).map(f -> sentence(f.message())).findFirst().orElse(null);
    }

    private static final Map<String, String> WORDS = Map.of(REALM, "The realm", KDCS, "The KDC list", PRINCIPAL, "The principal",
            KEYTAB, "The keytab");

    /** A rule's message as a sentence: the API's field name in words, a capital first letter, a full stop. */
    static String sentence(String m) {
        String s = m;
        for (var w : WORDS.entrySet()) {
            if (s.startsWith(w.getKey() + " ")) {
                s = w.getValue() + s.substring(w.getKey().length());
            }
        }
        s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return s.endsWith(".") || s.endsWith(")") ? s : s + ".";
    }

    /** The keytab's bytes while held (tests check that they are zeroed once sent); null when none is held. */
    byte[] heldKeytab() {
        return keytab;
    }

    public FieldErrors errors() {
        return errors;
    }

    public StringProperty realmProperty() {
        return realm;
    }

    /** The KDCs, in the order the connectors ask them. */
    public ObservableList<String> kdcs() {
        return kdcs;
    }

    /** The KDC typed in the add field. */
    public StringProperty newKdcProperty() {
        return newKdc;
    }

    /** The connectors' principal, e.g. {@code HTTP/connector.corp.example} ({@code @REALM} added by the server). */
    public StringProperty principalProperty() {
        return principal;
    }

    /** The chosen keytab's file name and size, never its contents; empty when none is chosen. */
    public ReadOnlyStringProperty keytabFileProperty() {
        return keytabFile.getReadOnlyProperty();
    }

    /** What the server has for the group; null when it has nothing (or no group is selected). */
    public ReadOnlyObjectProperty<KerberosGroupView> storedProperty() {
        return stored.getReadOnlyProperty();
    }

    /** The settings' state in a sentence: none selected, loading, not configured, configured. */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** A group is selected: the panel shows and edits its settings. */
    public ReadOnlyBooleanProperty selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** A save or removal is running. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /** Changed since loaded or saved. */
    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    /** Drops unsaved changes (and the chosen keytab) and loads the settings again. */
    public void discard() {
        dirty.set(false);
        show(stored.get());
        refresh();
    }
}
