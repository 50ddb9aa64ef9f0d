package dev.drawbridge.console.policies;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.NamedLocation;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Conditional access policies and the named locations they refer to. */
public final class PoliciesViewModel {
    /** The location references every policy can pick. */
    private static final List<String> KEYWORDS = List.of("TRUSTED", "UNTRUSTED");

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<AccessPolicy> policies = new Listing<>(AccessPolicy::id);
    private final Listing<NamedLocation> locations = new Listing<>(NamedLocation::id);

    public PoliciesViewModel(Session session, Tasks tasks, Notices notices) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
        locations.items().addListener((ListChangeListener<NamedLocation>) c -> {
            List<String> all = new ArrayList<>(KEYWORDS);
            locations.items().stream().sorted(Comparator.comparing(NamedLocation::name, String.CASE_INSENSITIVE_ORDER))
                    .map(NamedLocation::id).forEach(all::add);
            locationChoices.setAll(all);
            // Redraw policy rows with the locations' names.
            policies.replace(List.copyOf(policies.items()));
        });
    }

    public Listing<AccessPolicy> policies() {
        return policies;
    }

    public Listing<NamedLocation> locations() {
        return locations;
    }

    private final Map<String, String> appNames = new ConcurrentHashMap<>();
    private final ObservableList<String> appChoices = FXCollections.observableArrayList();
    private final ObservableList<String> locationChoices = FXCollections.observableArrayList(KEYWORDS);

    public void refresh() {
        tasks.runQuietly("load app names", () -> api.apps().list(Paging.LARGEST).items(), apps -> {
            apps.forEach(a -> appNames.put(a.id(), a.name()));
            appChoices.setAll(apps.stream().sorted(Comparator.comparing(AppView::name, String.CASE_INSENSITIVE_ORDER))
                    .map(AppView::id).toList());
            // Redraw rows with names instead of ids.
            policies.replace(List.copyOf(policies.items()));
        }, e -> { });
        policies.load(tasks, notices, "conditional access policies", () -> api.policies().list());
        locations.load(tasks, notices, "named locations", () -> api.namedLocations().list());
    }

    /** The apps a policy can pick, by id (sorted by name): {@link #appName} names them. */
    public ObservableList<String> appChoices() {
        return appChoices;
    }

    /** An app's name, or its id when unknown. */
    public String appName(String id) {
        return appNames.getOrDefault(id, id);
    }

    /** The locations a policy can pick: TRUSTED, UNTRUSTED, then the named locations by id; {@link #locationLabel} names them. */
    public ObservableList<String> locationChoices() {
        return locationChoices;
    }

    /** "Trusted locations", "Untrusted locations", or the named location's name. */
    public String locationLabel(String ref) {
        return Labels.policyLocation(ref, this::locationName);
    }

    /** Saves the policy of {@code form}; {@code saved} runs (the dialog closes) once the server accepted it. */
    public void save(PolicyForm form, Runnable saved) {
        AccessPolicy p = form.policy();
        form.save(tasks, notices, "save policy " + p.name(), "Could not save policy " + p.name(),
                () -> form.isNew() ? api.policies().create(p) : api.policies().replace(p.id(), p), done -> {
                    saved.run();
                    notices.info("Policy saved", done.name() + " (" + Labels.of(done.state()) + ")");
                    refresh();
                });
    }

    /** Saves the named location of {@code form}; {@code saved} runs (the dialog closes) once the server accepted it. */
    public void save(LocationForm form, Runnable saved) {
        NamedLocation l = form.location();
        form.save(tasks, notices, "save named location " + l.name(), "Could not save named location " + l.name(),
                () -> form.isNew() ? api.namedLocations().create(l) : api.namedLocations().replace(l.id(), l), done -> {
                    saved.run();
                    notices.info("Named location saved", done.name());
                    refresh();
                });
    }

    public void delete(AccessPolicy p) {
        tasks.run("delete policy " + p.name(), () -> {
            api.policies().delete(p.id());
            return p;
        }, gone -> {
            policies.items().remove(gone);
            notices.info("Policy deleted", gone.name());
        });
    }

    public void delete(NamedLocation l) {
        tasks.run("delete named location " + l.name(), () -> {
            api.namedLocations().delete(l.id());
            return l;
        }, gone -> {
            locations.items().remove(gone);
            notices.info("Named location deleted", gone.name());
        });
    }

    /** "All apps", or the apps' names. */
    public String appNames(List<String> ids) {
        return ids.isEmpty() ? "All apps" : String.join(", ", ids.stream().map(i -> appNames.getOrDefault(i, i)).toList());
    }

    /** "Anywhere", "Head office", "Anywhere except trusted locations". */
    public String where(AccessPolicy p) {
        String in = p.locations().isEmpty() ? "Anywhere" : locationNames(p.locations(), false);
        return p.excludeLocations().isEmpty() ? in : in + " except " + locationNames(p.excludeLocations(), true);
    }

    /**
     * The locations a policy refers to, for display: named locations by name, TRUSTED and UNTRUSTED in words
     * (lower case after "except").
     */
    public String locationNames(List<String> refs, boolean afterExcept) {
        return String.join(", ", refs.stream().map(r -> {
            String shown = Labels.policyLocation(r, this::locationName);
            boolean keyword = r.equals("TRUSTED") || r.equals("UNTRUSTED");
            return afterExcept && keyword ? shown.toLowerCase(Locale.ROOT) : shown;
        }).toList());
    }

    private String locationName(String id) {
        return locations.items().stream().filter(l -> l.id().equals(id)).map(NamedLocation::name).findFirst().orElse(id);
    }

    /** "All users", "Finance", "All users except Contractors". */
    public static String who(AccessPolicy p) {
        String in = String.join(", ", p.users().stream().map(Labels::policyUser).toList());
        return p.excludeUsers().isEmpty() ? in : in + " except " + String.join(", ", p.excludeUsers());
    }

    /** "Any", "Browser", "Browser, Native app". */
    public static String clients(AccessPolicy p) {
        return p.clientTypes().isEmpty() ? "Any" : String.join(", ", p.clientTypes().stream().map(Labels::of).toList());
    }
}
