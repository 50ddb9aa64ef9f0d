package dev.drawbridge.proxy.apps;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which apps' internal paths lie inside another app's, on one backend: with {@code http://x.corp/} published as
 * Intranet and {@code http://x.corp/hr/} as HR, a request through Intranet for {@code hr/salaries} would reach HR's
 * content without HR's sign-in or assignment. For each app, the snapshot holds the apps of the same
 * {@link InternalOrigin} whose internal path is strictly longer (so equal internal URLs, one backend published twice,
 * never count); a request is checked against those only. A wildcard app's backend ({@code http://*.corp/hr/}) lies on
 * every host its label covers: it is nested in {@code http://a.corp/}, and the instance {@code http://a.corp/} of
 * {@code http://*.corp/} holds {@code http://a.corp/hr/}. An instance also holds an exact app's backend of equal depth
 * on its matched host ({@code http://a.corp/} published as an app of its own): the administrator published that one
 * backend once, by name, and the wildcard is no second door to it.
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

    /** One app's backend: its internal origin (a wildcard one for a wildcard app) and path; {@code wildcard} for a wildcard app's. */
    private record Published(InternalOrigin origin, Backend backend, boolean wildcard) {
    }

    private final List<Published> all;
    private final Map<String, List<Backend>> nestedIn;

    NestedInternalPaths(List<PublishedApp> apps) {
        this.all = apps.stream().map(a -> new Published(InternalOrigin.of(a.internalUrl()), backend(a.internalPath()), a.isWildcard())).toList();
        Map<String, List<Backend>> m = new HashMap<>();
        for (PublishedApp a : apps) {
            if (!a.isWildcard()) {
                List<Backend> nested = nested(a);
                if (!nested.isEmpty()) {
                    m.put(a.id(), nested);
                }
            }
        }
        this.nestedIn = Map.copyOf(m);
    }

    /**
     * The backends, on {@code app}'s origin or on a wildcard origin that covers it, whose internal paths are longer. For an
     * instance of a wildcard app, an exact app's backend of equal depth too: the administrator named that backend for the
     * exact app only, and the wildcard app (with its own sign-in and assignment) must not be a second door to it
     * ({@code *.corp.local} for label {@code pay} is not {@code payroll.example.com → http://pay.corp.local/}).
     */
    private List<Backend> nested(PublishedApp app) {
        InternalOrigin origin = InternalOrigin.of(app.internalUrl());
        int length = normalisedSegments(app.internalPath()).size();
        boolean instance = !app.wildcardLabel().isEmpty();
        return all.stream().filter(p -> (p.backend().length() > length || (instance && !p.wildcard() && p.backend().length() == length))
                && p.origin().reaches(origin)).map(Published::backend).toList();
    }

    /**
     * Whether forwarding {@code remainder} (raw) to {@code app} may reach the internal path of an app nested in its own;
     * also true when the upstream path cannot be read, as nothing then says it does not. An instance of a wildcard app
     * ({@link PublishedApp#forLabel}) is checked against the apps on its matched internal host.
     */
    boolean reachesNested(PublishedApp app, String remainder) {
        List<Backend> nested = app.wildcardLabel().isEmpty() ? nestedIn.get(app.id()) : nested(app);
        if (nested == null || nested.isEmpty()) {
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
