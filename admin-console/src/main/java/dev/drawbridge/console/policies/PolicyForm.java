package dev.drawbridge.console.policies;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.validation.Names;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The policy dialog's form: name, state, control, who (users and groups, "All users"), which apps and locations
 * (picked from lists, sent as ids), client types, and when (days and hours in a time zone). Checked as the server
 * checks it; the server's field errors land on the same fields.
 */
public final class PolicyForm extends DialogForm {
    public static final String NAME = "name", USERS = "users", EXCLUDE_USERS = "excludeUsers", APPS = "apps", LOCATIONS = "locations",
            EXCLUDE_LOCATIONS = "excludeLocations", DAYS = "days", TIME = "time";
    /** What the admin types for everyone; the API's keyword is ALL. */
    static final String ALL_USERS = "All users";

    private final String id;
    final StringProperty name = new SimpleStringProperty("");
    final ObjectProperty<AccessPolicy.State> state = new SimpleObjectProperty<>(AccessPolicy.State.REPORT_ONLY);
    final ObjectProperty<AccessPolicy.Control> control = new SimpleObjectProperty<>(AccessPolicy.Control.REQUIRE_MFA);
    final StringProperty users = new SimpleStringProperty(ALL_USERS);
    final StringProperty excludeUsers = new SimpleStringProperty("");
    final ObservableList<String> apps = FXCollections.observableArrayList();
    final ObservableList<String> locations = FXCollections.observableArrayList();
    final ObservableList<String> excludeLocations = FXCollections.observableArrayList();
    final BooleanProperty browser = new SimpleBooleanProperty(false);
    final BooleanProperty nativeApps = new SimpleBooleanProperty(false);
    final ObservableList<DayOfWeek> days = FXCollections.observableArrayList();
    final StringProperty start = new SimpleStringProperty("");
    final StringProperty end = new SimpleStringProperty("");
    final StringProperty zone = new SimpleStringProperty("UTC");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(NAME, name), Field.of(USERS, users),
            Field.of(EXCLUDE_USERS, excludeUsers), Field.of(APPS, apps), Field.of(LOCATIONS, locations),
            Field.of(EXCLUDE_LOCATIONS, excludeLocations), Field.of(DAYS, days), Field.of(TIME, start, end, zone)),
            () -> check(name.get(), users.get(), days, start.get(), end.get(), zone.get()));

    /** A form for a new policy (report-only, require MFA, all users), or to edit {@code p}. */
    public PolicyForm(AccessPolicy p) {
        id = p == null ? null : p.id();
        if (p != null) {
            name.set(p.name());
            state.set(p.state());
            control.set(p.control());
            users.set(String.join(", ", p.users().stream().map(u -> u.equals("ALL") ? ALL_USERS : u).toList()));
            excludeUsers.set(String.join(", ", p.excludeUsers()));
            apps.setAll(p.apps());
            locations.setAll(p.locations());
            excludeLocations.setAll(p.excludeLocations());
            browser.set(p.clientTypes().contains(AccessPolicy.ClientType.BROWSER));
            nativeApps.set(p.clientTypes().contains(AccessPolicy.ClientType.NATIVE));
            if (p.time() != null) {
                days.setAll(p.time().days().stream().map(d -> DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT))).toList());
                start.set(p.time().start());
                end.set(p.time().end());
                zone.set(p.time().zone() == null ? "UTC" : p.time().zone());
            }
        }
        errors.reset();
    }

    static Map<String, String> check(String name, String users, List<DayOfWeek> days, String start, String end, String zone) {
        Map<String, String> e = new LinkedHashMap<>();
        if (name.isBlank()) {
            e.put(NAME, "Name is required, e.g. Require MFA outside the office");
        } else if (name.strip().length() > Names.MAX) {
            e.put(NAME, "Name is at most " + Names.MAX + " characters.");
        }
        if (list(users).isEmpty()) {
            e.put(USERS, "Say who it applies to: " + ALL_USERS + ", or users (UPN) and groups, separated by commas.");
        }
        boolean hours = !start.isBlank() || !end.isBlank();
        if (!hours && !days.isEmpty()) {
            e.put(DAYS, "Days apply with hours: give the hours too, e.g. 08:00 to 18:00.");
        }
        if (hours) {
            if (!time(start) || !time(end)) {
                e.put(TIME, "Hours look like 08:00 to 18:30 (both; an end before the start spans midnight).");
            } else if (LocalTime.parse(start.strip()).equals(LocalTime.parse(end.strip()))) {
                e.put(TIME, "The hours start and end at the same time, so the policy would never apply.");
            } else if (!zone.isBlank() && !isZone(zone.strip())) {
                e.put(TIME, "'" + zone.strip() + "' is not a time zone such as Europe/Zurich or UTC.");
            }
        }
        return e;
    }

    private static boolean time(String s) {
        try {
            LocalTime.parse(s.strip());
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isZone(String z) {
        try {
            ZoneId.of(z);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public boolean isNew() {
        return id == null;
    }

    /** The policy as the API takes it: "All users" as ALL, no time window without hours. */
    public AccessPolicy policy() {
        List<AccessPolicy.ClientType> clients = new ArrayList<>();
        if (browser.get()) {
            clients.add(AccessPolicy.ClientType.BROWSER);
        }
        if (nativeApps.get()) {
            clients.add(AccessPolicy.ClientType.NATIVE);
        }
        List<String> who = list(users.get()).stream().map(u -> isAll(u) ? "ALL" : u).distinct().toList();
        AccessPolicy.TimeWindow when = start.get().isBlank() && end.get().isBlank() ? null : new AccessPolicy.TimeWindow(
                days.stream().sorted().map(DayOfWeek::name).toList(), start.get().strip(), end.get().strip(),
                zone.get().isBlank() ? "UTC" : zone.get().strip());
        return new AccessPolicy(id, name.get().strip(), state.get(), List.copyOf(apps), who, list(excludeUsers.get()),
                List.copyOf(locations), List.copyOf(excludeLocations), clients, when, control.get());
    }

    private static boolean isAll(String u) {
        return u.equalsIgnoreCase("ALL") || u.equalsIgnoreCase(ALL_USERS) || u.equalsIgnoreCase("everyone");
    }

    /** "a, b,,c" → [a, b, c]. */
    static List<String> list(String s) {
        return s == null ? List.of() : Arrays.stream(s.split("[,\\n]")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    public StringProperty nameProperty() {
        return name;
    }

    public ObjectProperty<AccessPolicy.State> stateProperty() {
        return state;
    }

    public ObjectProperty<AccessPolicy.Control> controlProperty() {
        return control;
    }

    /** Users (UPN or id) and groups (name or id), comma-separated; "All users" for everyone. */
    public StringProperty usersProperty() {
        return users;
    }

    public StringProperty excludeUsersProperty() {
        return excludeUsers;
    }

    /** The ids of the apps it applies to; empty for all apps. */
    public ObservableList<String> apps() {
        return apps;
    }

    /** Named location ids, TRUSTED or UNTRUSTED; empty for anywhere. */
    public ObservableList<String> locations() {
        return locations;
    }

    public ObservableList<String> excludeLocations() {
        return excludeLocations;
    }

    public BooleanProperty browserProperty() {
        return browser;
    }

    public BooleanProperty nativeAppsProperty() {
        return nativeApps;
    }

    /** Days it applies on, with the hours; empty for every day. */
    public ObservableList<DayOfWeek> days() {
        return days;
    }

    public StringProperty startProperty() {
        return start;
    }

    public StringProperty endProperty() {
        return end;
    }

    public StringProperty zoneProperty() {
        return zone;
    }
}
