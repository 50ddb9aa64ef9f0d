package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link RouteTable} lookup: hosts match case-insensitively, the longest matching external path prefix
 * wins whatever the order apps were given in, a prefix also matches without its trailing slash, and unknown
 * hosts or paths outside every prefix find nothing.
 */
class RouteTableTest {

    static PublishedApp app(String id, String host, String path) {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        return new PublishedApp(id, id, URI.create("https://" + host + path), host, path, URI.create("http://intranet/" + id + "/"),
                "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, t, t);
    }

    private static final List<PublishedApp> APPS = List.of(
            app("root", "portal.apps.example.com", "/"),
            app("hr", "portal.apps.example.com", "/hr/"),
            app("hr-admin", "portal.apps.example.com", "/hr/admin/"),
            app("wiki", "wiki.apps.example.com", "/docs/"),
            app("mixed", "Mixed.Apps.Example.com", "/"));

    private static Optional<String> route(RouteTable table, String host, String path) {
        try {
            return table.route(host, RequestPath.parse(path)) instanceof RouteTable.Route.To to ? Optional.of(to.app().id()) : Optional.empty();
        } catch (RequestPath.BadPathException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(nullValues = "NONE", value = {
            "portal.apps.example.com, /,                 root",
            "portal.apps.example.com, '',                root",
            "portal.apps.example.com, /index.html,       root",
            "portal.apps.example.com, /hr/,              hr",
            "portal.apps.example.com, /hr,               hr",
            "portal.apps.example.com, /hr/people,        hr",
            "portal.apps.example.com, /hrx,              root",
            "portal.apps.example.com, /hr/admin,         hr-admin",
            "portal.apps.example.com, /hr/admin/users,   hr-admin",
            "portal.apps.example.com, /hr/administrator, hr",
            "PORTAL.Apps.Example.COM, /hr/,              hr",
            "wiki.apps.example.com,   /docs,             wiki",
            "wiki.apps.example.com,   /docs/page,        wiki",
            "wiki.apps.example.com,   /,                 NONE",
            "wiki.apps.example.com,   /doc,              NONE",
            "wiki.apps.example.com,   /docsx,            NONE",
            "mixed.apps.example.com,  /a,                mixed",
            "unknown.apps.example.com, /,                NONE",
            "apps.example.com,        /hr/,              NONE",
    })
    void routesByHostAndLongestPrefix(String host, String path, String expected) {
        RouteTable table = new RouteTable(APPS);
        assertThat(route(table, host, path)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void orderOfAppsDoesNotMatter() {
        for (long seed = 0; seed < 20; seed++) {
            List<PublishedApp> shuffled = new ArrayList<>(APPS);
            Collections.shuffle(shuffled, new Random(seed));
            RouteTable table = new RouteTable(shuffled);
            assertThat(route(table, "portal.apps.example.com", "/hr/admin/x")).as("seed %d", seed).contains("hr-admin");
            assertThat(route(table, "portal.apps.example.com", "/hr/x")).as("seed %d", seed).contains("hr");
            assertThat(route(table, "portal.apps.example.com", "/x")).as("seed %d", seed).contains("root");
        }
    }

    @Test
    void emptyTableRoutesNothing() {
        assertThat(route(RouteTable.empty(), "portal.apps.example.com", "/")).isEmpty();
        assertThat(RouteTable.empty().apps()).isEmpty();
        assertThat(new RouteTable(APPS).apps()).containsExactlyElementsOf(APPS);
    }
}
