package dev.drawbridge.console.policies;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.console.api.Api;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Conditional access policies and the named locations they refer to. */
public final class PoliciesViewModel {
    private static final TypeReference<List<NamedLocation>> LOCATIONS = new TypeReference<>() { };
    private static final TypeReference<List<AccessPolicy>> POLICIES = new TypeReference<>() { };

    private final Api api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<AccessPolicy> policies = new Listing<>(AccessPolicy::id);
    private final Listing<NamedLocation> locations = new Listing<>(NamedLocation::id);

    public PoliciesViewModel(Session session, Tasks tasks, Notices notices) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
    }

    public Listing<AccessPolicy> policies() {
        return policies;
    }

    public Listing<NamedLocation> locations() {
        return locations;
    }

    private final java.util.Map<String, String> appNames = new java.util.concurrent.ConcurrentHashMap<>();

    public void refresh() {
        tasks.runQuietly("load app names", () -> api.get("apps?limit=1000",
                new TypeReference<dev.drawbridge.model.api.Page<dev.drawbridge.model.api.AppView>>() { }).items(), apps -> {
            apps.forEach(a -> appNames.put(a.id(), a.name()));
            // Redraw rows with names instead of ids.
            policies.replace(List.copyOf(policies.items()));
        }, e -> { });
        policies.load(tasks, notices, "conditional access policies", () -> api.get("policies", POLICIES));
        locations.load(tasks, notices, "named locations", () -> api.get("named-locations", LOCATIONS));
    }

    public void save(AccessPolicy p) {
        tasks.run("save policy " + p.name(), () -> p.id() == null ? api.post("policies", p, AccessPolicy.class)
                : api.put("policies/" + p.id(), p, AccessPolicy.class), saved -> {
            notices.info("Policy saved", saved.name() + " (" + Labels.of(saved.state()) + ")");
            refresh();
        });
    }

    public void save(NamedLocation l) {
        tasks.run("save named location " + l.name(), () -> l.id() == null ? api.post("named-locations", l, NamedLocation.class)
                : api.put("named-locations/" + l.id(), l, NamedLocation.class), saved -> {
            notices.info("Named location saved", saved.name());
            refresh();
        });
    }

    public void delete(AccessPolicy p) {
        tasks.run("delete policy " + p.name(), () -> {
            api.delete("policies/" + p.id());
            return p;
        }, gone -> policies.items().remove(gone));
    }

    public void delete(NamedLocation l) {
        tasks.run("delete named location " + l.name(), () -> {
            api.delete("named-locations/" + l.id());
            return l;
        }, gone -> locations.items().remove(gone));
    }

    /** The time window typed in the policy dialog; null (always) when no hours are given. */
    public static AccessPolicy.TimeWindow window(String days, String start, String end, String zone) {
        if (start.isBlank() && end.isBlank()) {
            return null;
        }
        return new AccessPolicy.TimeWindow(list(days.toUpperCase(java.util.Locale.ROOT)), start.strip(), end.strip(),
                zone.isBlank() ? "UTC" : zone.strip());
    }

    /** "a, b,,c" → [a, b, c]. */
    public static List<String> list(String s) {
        return s == null ? List.of() : Arrays.stream(s.split("[,\\n]")).map(String::strip).filter(x -> !x.isEmpty()).toList();
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
