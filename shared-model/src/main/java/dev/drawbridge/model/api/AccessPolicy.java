package dev.drawbridge.model.api;

import java.util.List;

/**
 * A conditional access policy: when a sign-in to one of {@code apps} by one of {@code users}
 * matches every condition, {@code control} applies. All matching policies apply; BLOCK wins over
 * REQUIRE_MFA. A REPORT_ONLY policy is evaluated and logged but never enforced.
 *
 * @param apps        app ids, or empty for all apps
 * @param users       who: user ids/UPNs and group ids/names, or "ALL"
 * @param excludeUsers users and groups it never applies to (wins over {@code users})
 * @param locations   named location ids, "TRUSTED" (any trusted location) or "UNTRUSTED" (anywhere not trusted); empty = anywhere
 * @param excludeLocations locations where it never applies
 * @param clientTypes BROWSER and/or NATIVE; empty = any
 * @param time        when it applies; null = always
 */
public record AccessPolicy(String id, String name, State state, List<String> apps, List<String> users,
                           List<String> excludeUsers, List<String> locations, List<String> excludeLocations,
                           List<ClientType> clientTypes, TimeWindow time, Control control) {
    public AccessPolicy {
        apps = copy(apps);
        users = copy(users);
        excludeUsers = copy(excludeUsers);
        locations = copy(locations);
        excludeLocations = copy(excludeLocations);
        clientTypes = clientTypes == null ? List.of() : List.copyOf(clientTypes);
    }

    private static List<String> copy(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /** Whether a policy is enforced. */
    public enum State { ON, REPORT_ONLY, OFF }

    /** What kind of client signs in. */
    public enum ClientType { BROWSER, NATIVE }

    /** What a matching policy does. */
    public enum Control { BLOCK, REQUIRE_MFA }

    /**
     * Days and hours, in a time zone: e.g. MONDAY..FRIDAY 08:00-18:00 Europe/Zurich. End before
     * start spans midnight.
     *
     * @param days  e.g. ["MONDAY", "TUESDAY"]; empty = every day
     * @param start "HH:mm"
     * @param end   "HH:mm"
     * @param zone  an IANA zone id, default UTC
     */
    public record TimeWindow(List<String> days, String start, String end, String zone) {
        public TimeWindow {
            days = days == null ? List.of() : List.copyOf(days);
        }
    }
}
