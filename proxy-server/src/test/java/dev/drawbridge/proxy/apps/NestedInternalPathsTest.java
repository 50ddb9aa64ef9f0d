package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 1 of issue 8 on the internal side, by class, at the router: an "outer" app whose internal URL contains the
 * internal URL of an "inner" app on the same backend origin ({@code http://x.corp/} and {@code http://x.corp/hr/}) must
 * never forward a request to the inner app's internal path. Every spelling of a path under the inner segment
 * ({@link PathSpellings}) is sent through the outer app in every layout: internal paths "/" + "/hr/" and "/apps/" +
 * "/apps/hr/"; the inner app on another external host, on the outer app's host under another external path, or the
 * outer app under an external sub-path; the inner app case-sensitive or not; both internal origins spelled alike or
 * differently (letter case, default port written out, trailing dot, IPv6 literal forms, an IPv4-mapped IPv6 literal,
 * scheme case). Whatever the
 * spelling, the request is refused, finds no app, goes to the inner app itself, or goes to the outer app with an upstream
 * path that the most lenient backend does not read as under the inner app's internal path (letters in any case).
 * Internal origins that differ (port, scheme, host) and equal internal URLs (one backend published twice) are not
 * affected.
 */
class NestedInternalPathsTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static PublishedApp app(String id, String external, String internal, boolean caseInsensitive) {
        URI ex = URI.create(external);
        return new PublishedApp(id, id, ex, ex.getHost(), ex.getRawPath(), URI.create(internal), "g", BackendTimeout.DEFAULT, true,
                PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, caseInsensitive);
    }

    /** Two apps on one backend origin; {@code innerSegment} is the inner app's internal path relative to the outer one's. */
    record Layout(String name, PublishedApp outer, PublishedApp inner, String innerSegment) {
        List<PublishedApp> apps() {
            return List.of(outer, inner);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Pairs of internal origins that name the same backend, however spelled. */
    static final List<List<String>> SAME_ORIGINS = List.of(
            List.of("http://x.corp", "http://x.corp"),
            List.of("http://x.corp", "http://X.Corp:80"),
            List.of("http://x.corp.", "http://x.corp"),
            List.of("https://X.CORP:443", "https://x.corp."),
            List.of("http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]:8080"),
            List.of("http://127.0.0.1:8080", "http://[::ffff:127.0.0.1]:8080"),
            List.of("HTTP://x.corp", "http://x.corp:080"));

    /** Pairs of internal origins that are different backends. */
    static final List<List<String>> OTHER_ORIGINS = List.of(
            List.of("http://x.corp", "http://x.corp:8080"),
            List.of("http://x.corp", "https://x.corp"),
            List.of("http://x.corp", "http://y.corp"),
            List.of("http://x.corp", "http://x.corp.y"));

    /**
     * Internal paths (outer, inner), and external placements (outer URL, inner URL): another host, the same host at
     * another path, and the outer app under an external sub-path.
     */
    static List<Layout> layouts(List<List<String>> origins) {
        List<Layout> out = new ArrayList<>();
        List<List<String>> nestings = List.of(List.of("/", "/hr/"), List.of("/apps/", "/apps/hr/"));
        List<List<String>> placements = List.of(
                List.of("https://intra.example.com/", "https://hr.example.com/"),
                List.of("https://intra.example.com/", "https://intra.example.com/people/"),
                List.of("https://intra.example.com/portal/", "https://intra.example.com/hr/"));
        for (List<String> o : origins) {
            for (List<String> n : nestings) {
                for (List<String> p : placements) {
                    for (boolean ci : new boolean[]{false, true}) {
                        String name = o.get(0) + n.get(0) + " @ " + p.get(0) + " ⊃ " + o.get(1) + n.get(1) + " @ " + p.get(1)
                                + (ci ? " (any case)" : "");
                        out.add(new Layout(name, app("outer", p.get(0), o.get(0) + n.get(0), false),
                                app("inner", p.get(1), o.get(1) + n.get(1), ci), "hr"));
                    }
                }
            }
        }
        return out;
    }

    static List<Layout> nested() {
        return layouts(SAME_ORIGINS);
    }

    static List<Layout> apart() {
        return layouts(OTHER_ORIGINS);
    }

    /**
     * The outer app's request-target for a path given relative to its external prefix ("/hr/x" → "/portal/hr/x"); a
     * target that does not start with "/" (which routing refuses) stays as it is.
     */
    static String throughOuter(Layout l, String relative) {
        return relative.startsWith("/") ? l.outer().externalPath() + relative.substring(1) : relative;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nested")
    void noSpellingThroughTheOuterAppReachesTheInnerAppsInternalPath(Layout l) {
        RouteTable table = new RouteTable(l.apps());
        List<String> leaks = new ArrayList<>();
        for (String spelling : PathSpellings.of(l.innerSegment())) {
            String target = throughOuter(l, spelling);
            RouteTable.Route route;
            try {
                route = table.route(l.outer().externalHost(), RequestPath.parse(target));
            } catch (RequestPath.BadPathException e) {
                continue; // refused with 400
            }
            if (route instanceof RouteTable.Route.To to && to.app() == l.outer()) {
                String upstream = l.outer().internalPath() + to.remainder();
                for (String read : PathSpellings.readings(upstream)) {
                    if (PathSpellings.under(read, l.inner().internalPath())) {
                        leaks.add(target + " -> " + upstream + " (read as " + read + ")");
                    }
                }
            }
        }
        assertThat(leaks).as("requests through the outer app that reach the inner app's internal path").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nested")
    void thePlainPathIsRefusedWithoutNamingTheInnerAppAndEverythingElseStillRoutes(Layout l) throws Exception {
        RouteTable table = new RouteTable(l.apps());
        String host = l.outer().externalHost();
        RouteTable.Route refused = table.route(host, RequestPath.parse(throughOuter(l, "/hr/salaries")));
        assertThat(refused).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(((RouteTable.Route.Refused) refused).reason()).doesNotContain("inner").doesNotContain("x.corp");
        assertThat(table.route(host, RequestPath.parse(throughOuter(l, "/hr")))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route(host, RequestPath.parse(throughOuter(l, "/salaries"))))
                .isEqualTo(new RouteTable.Route.To(l.outer(), "salaries"));
        assertThat(table.route(host, RequestPath.parse(throughOuter(l, "/hrx/salaries"))))
                .isEqualTo(new RouteTable.Route.To(l.outer(), "hrx/salaries"));
        assertThat(table.route(host, RequestPath.parse(throughOuter(l, "/x/hr/salaries"))))
                .isEqualTo(new RouteTable.Route.To(l.outer(), "x/hr/salaries"));
        assertThat(table.route(l.inner().externalHost(), RequestPath.parse(l.inner().externalPath() + "salaries")))
                .isEqualTo(new RouteTable.Route.To(l.inner(), "salaries"));
        assertThat(table.route(l.inner().externalHost(), RequestPath.parse(l.inner().externalPath() + "hr/x")))
                .as("the inner app's own deeper paths are its business").isEqualTo(new RouteTable.Route.To(l.inner(), "hr/x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apart")
    void anotherOriginIsAnotherBackend(Layout l) throws Exception {
        RouteTable table = new RouteTable(l.apps());
        assertThat(table.route(l.outer().externalHost(), RequestPath.parse(throughOuter(l, "/hr/salaries"))))
                .isEqualTo(new RouteTable.Route.To(l.outer(), "hr/salaries"));
    }

    @Test
    void equalInternalUrlsAreOneBackendPublishedTwice() throws Exception {
        PublishedApp a = app("a", "https://hr.example.com/", "http://x.corp/hr/", false);
        PublishedApp b = app("b", "https://intra.example.com/people/", "http://X.corp:80/hr/", true);
        PublishedApp c = app("c", "https://old-hr.example.com/", "http://x.corp/hr//", false);
        RouteTable table = new RouteTable(List.of(a, b, c));
        assertThat(table.route("hr.example.com", RequestPath.parse("/salaries"))).isEqualTo(new RouteTable.Route.To(a, "salaries"));
        assertThat(table.route("intra.example.com", RequestPath.parse("/people/salaries"))).isEqualTo(new RouteTable.Route.To(b, "salaries"));
        assertThat(table.route("old-hr.example.com", RequestPath.parse("/salaries"))).isEqualTo(new RouteTable.Route.To(c, "salaries"));
    }

    @Test
    void everyLevelOfAChainOfNestedAppsStopsAtTheNextOne() throws Exception {
        PublishedApp root = app("root", "https://intra.example.com/", "http://x.corp/", false);
        PublishedApp hr = app("hr", "https://hr.example.com/", "http://x.corp/hr/", false);
        PublishedApp admin = app("admin", "https://hr-admin.example.com/", "http://x.corp/hr/admin/", false);
        RouteTable table = new RouteTable(List.of(root, hr, admin));
        assertThat(table.route("intra.example.com", RequestPath.parse("/hr/admin/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("intra.example.com", RequestPath.parse("/hr/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("hr.example.com", RequestPath.parse("/admin/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("hr.example.com", RequestPath.parse("/%61dmin/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("hr.example.com", RequestPath.parse("/ADMIN;x/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("hr.example.com", RequestPath.parse("/salaries"))).isEqualTo(new RouteTable.Route.To(hr, "salaries"));
        assertThat(table.route("hr.example.com", RequestPath.parse("/administrator"))).isEqualTo(new RouteTable.Route.To(hr, "administrator"));
        assertThat(table.route("hr-admin.example.com", RequestPath.parse("/x"))).isEqualTo(new RouteTable.Route.To(admin, "x"));
    }

    @Test
    void anAppPublishingPartOfAnotherAppsBackendIsTheAdminsChoice() throws Exception {
        PublishedApp hr = app("hr", "https://hr.example.com/", "http://x.corp/hr/", false);
        PublishedApp forms = app("forms", "https://forms.example.com/", "http://x.corp/hr/forms/", false);
        RouteTable table = new RouteTable(List.of(hr, forms));
        assertThat(table.route("forms.example.com", RequestPath.parse("/x"))).isEqualTo(new RouteTable.Route.To(forms, "x"));
        assertThat(table.route("hr.example.com", RequestPath.parse("/forms/x"))).isInstanceOf(RouteTable.Route.Refused.class);
    }

    @Test
    void aWindowsShortNameOfTheInnerAppsFolderIsRefused() throws Exception {
        PublishedApp root = app("root", "https://intra.example.com/", "http://x.corp/", true);
        PublishedApp pay = app("pay", "https://pay.example.com/", "http://x.corp/payroll-admin/", true);
        RouteTable table = new RouteTable(List.of(root, pay));
        for (String s : List.of("/PAYROL~1/x", "/payrol~1", "/PA3F2A~1/x", "/%50AYROL~1/x")) {
            assertThat(table.route("intra.example.com", RequestPath.parse(s))).as(s).isInstanceOf(RouteTable.Route.Refused.class);
        }
        assertThat(table.route("intra.example.com", RequestPath.parse("/OTHER~1/x"))).isEqualTo(new RouteTable.Route.To(root, "OTHER~1/x"));
    }

    @Test
    void anInnerInternalPathInAnEncodedSpellingIsReadAsTheBackendReadsIt() throws Exception {
        PublishedApp root = app("root", "https://intra.example.com/", "http://x.corp/", false);
        PublishedApp hr = app("hr", "https://hr.example.com/", "http://x.corp/%68r;v=1/", false);
        RouteTable table = new RouteTable(List.of(root, hr));
        assertThat(table.route("intra.example.com", RequestPath.parse("/hr/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("intra.example.com", RequestPath.parse("/%68r/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route("intra.example.com", RequestPath.parse("/x"))).isEqualTo(new RouteTable.Route.To(root, "x"));
    }
}
