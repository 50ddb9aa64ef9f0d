package dev.drawbridge.proxy.apps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which apps' internal paths lie inside another app's, on one backend: with {@code http://x.corp/} published as
 * Intranet and {@code http://x.corp/hr/} as HR, a request through Intranet for {@code hr/salaries} would reach HR's
 * content without HR's sign-in or assignment. For each app, the snapshot holds the apps of the same
 * {@link InternalOrigin} whose internal path is strictly longer (so equal internal URLs, one backend published twice,
 * never count); a request is checked against those only.
 *
 * <p>The upstream path (the app's internal path and the raw remainder, as forwarded) is read as {@link RequestPath}
 * reads request paths: raw, normalised, and cut at a decoded '?' or '#'. It reaches a nested app when any reading
 * <em>may</em> be under that app's internal path, itself read normalised ({@link PathPrefix#mayMatch}: any letter case,
 * compatibility forms, Windows 8.3 short names), whatever the apps' case flags say: the flag is the admin's belief
 * about the backend, and the external side refuses other spellings of another app's path for the same reason.
 */
final class NestedInternalPaths {
    /** An app's internal path, read raw and normalised. */
    private record Backend(PathPrefix raw, PathPrefix normalised, int length) {
    }

    private final Map<String, List<Backend>> nestedIn;

    NestedInternalPaths(List<PublishedApp> apps) {
        Map<InternalOrigin, List<Backend>> byOrigin = new HashMap<>();
        for (PublishedApp a : apps) {
            byOrigin.computeIfAbsent(InternalOrigin.of(a.internalUrl()), k -> new ArrayList<>()).add(backend(a.internalPath()));
        }
        Map<String, List<Backend>> m = new HashMap<>();
        for (PublishedApp a : apps) {
            int length = normalisedSegments(a.internalPath()).size();
            List<Backend> nested = byOrigin.get(InternalOrigin.of(a.internalUrl())).stream().filter(b -> b.length() > length).toList();
            if (!nested.isEmpty()) {
                m.put(a.id(), nested);
            }
        }
        this.nestedIn = Map.copyOf(m);
    }

    /**
     * Whether forwarding {@code remainder} (raw) to {@code app} may reach the internal path of an app nested in its own;
     * also true when the upstream path cannot be read, as nothing then says it does not.
     */
    boolean reachesNested(PublishedApp app, String remainder) {
        List<Backend> nested = nestedIn.get(app.id());
        if (nested == null) {
            return false;
        }
        RequestPath upstream;
        try {
            upstream = RequestPath.parse(app.internalPath() + remainder);
        } catch (RequestPath.BadPathException e) {
            return true;
        }
        for (Backend b : nested) {
            if (b.normalised().mayMatch(upstream.segments()) || b.normalised().mayMatch(upstream.truncatedSegments())
                    || b.raw().mayMatch(upstream.rawSegments())) {
                return true;
            }
        }
        return false;
    }

    private static Backend backend(String internalPath) {
        List<String> normalised = normalisedSegments(internalPath);
        return new Backend(new PathPrefix(rawSegments(internalPath), false), new PathPrefix(normalised, false), normalised.size());
    }

    /** An internal path read as a backend reads it; one that cannot be read (stored before validation refused it) raw. */
    private static List<String> normalisedSegments(String internalPath) {
        try {
            return RequestPath.parse(internalPath).segments();
        } catch (RequestPath.BadPathException e) {
            return rawSegments(internalPath);
        }
    }

    private static List<String> rawSegments(String internalPath) {
        return Arrays.stream(internalPath.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
