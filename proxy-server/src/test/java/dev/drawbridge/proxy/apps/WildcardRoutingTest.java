package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link RouteTable} with wildcard apps, by class: host spellings (case, trailing dot, port-like and user-info-like
 * labels, percent-encoding, IDN raw and punycode, empty, too long) × exact and wildcard apps × depth (the wildcard's
 * own depth, one deeper, one shallower). The label matched outside is the internal host's first label; an exact host
 * wins over a wildcard whatever the path; a wildcard app's instance is checked against the apps nested in its matched
 * internal host, and an exact app against wildcard apps nested in its own.
 */
class WildcardRoutingTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static PublishedApp app(String id, String external, String internal) {
        URI ex = URI.create(external);
        String host = ex.getHost() == null ? ex.getRawAuthority() : ex.getHost();
        return new PublishedApp(id, id, ex, host, ex.getRawPath(), URI.create(internal), "g", BackendTimeout.DEFAULT, true,
                PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, false);
    }

    static final RouteTable TABLE = new RouteTable(List.of(
            app("wild", "https://*.apps.example.com/", "http://*.corp.local/"),
            app("wild-admin", "https://*.apps.example.com/admin/", "http://*.admin.corp:8080/console/"),
            app("hr", "https://hr.apps.example.com/", "http://hr-server.corp/"),
            app("pay", "https://pay.apps.example.com/pay/", "http://pay.corp/"),
            // Nesting across wildcard and exact apps on one backend host.
            app("intranet", "https://intranet.example.com/", "http://b.corp.local/"),
            app("wild-hr", "https://*.hr.example.com/", "http://*.corp.local/hr/"),
            app("payroll", "https://payroll.example.com/", "http://c.corp.local/payroll/")));

    static RouteTable.Route route(String host, String path) {
        try {
            return TABLE.route(host, RequestPath.parse(path));
        } catch (RequestPath.BadPathException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}{1} -> {2} {3} {4}")
    @CsvSource({
            "a.apps.example.com,        /,          wild,       https://a.apps.example.com/,      http://a.corp.local/",
            "A.APPS.Example.COM,        /x/y,       wild,       https://a.apps.example.com/,      http://a.corp.local/",
            "web-01.apps.example.com,   /,          wild,       https://web-01.apps.example.com/, http://web-01.corp.local/",
            "xn--bcher-kva.apps.example.com, /,     wild,       https://xn--bcher-kva.apps.example.com/, http://xn--bcher-kva.corp.local/",
            "9.apps.example.com,        /,          wild,       https://9.apps.example.com/,      http://9.corp.local/",
            "a.apps.example.com,        /admin/x,   wild-admin, https://a.apps.example.com/admin/, http://a.admin.corp:8080/console/",
            "hr.apps.example.com,       /,          hr,         https://hr.apps.example.com/,     http://hr-server.corp/",
            "HR.apps.example.com,       /admin/,    hr,         https://hr.apps.example.com/,     http://hr-server.corp/",
            "pay.apps.example.com,      /pay/x,     pay,        https://pay.apps.example.com/pay/, http://pay.corp/",
    })
    void theMatchedLabelIsCarriedToTheInternalHost(String host, String path, String id, String external, String internal) {
        RouteTable.Route r = route(host, path);
        assertThat(r).isInstanceOf(RouteTable.Route.To.class);
        PublishedApp app = ((RouteTable.Route.To) r).app();
        assertThat(app.id()).isEqualTo(id);
        assertThat(app.externalUrl()).hasToString(external);
        assertThat(app.internalUrl()).hasToString(internal);
        assertThat(app.isWildcard()).isFalse();
        assertThat(app.externalHost()).isEqualTo(URI.create(external).getHost());
        assertThat(app.wildcardLabel()).isEqualTo(id.startsWith("wild") ? host.substring(0, host.indexOf('.')).toLowerCase() : "");
    }

    /** Hosts a wildcard app must not take: deeper or shallower, labels that are no DNS label, and the exact host's other paths. */
    @ParameterizedTest
    @ValueSource(strings = {"a.b.apps.example.com", "apps.example.com", ".apps.example.com", "*.apps.example.com",
            "a.apps.example.com.", "a.apps.example.com:443", "-a.apps.example.com", "a-.apps.example.com", "ab--c.apps.example.com",
            "a_b.apps.example.com", "a%2eb.apps.example.com", "a%41.apps.example.com", "u@a.apps.example.com", "a:1.apps.example.com",
            "bücher.apps.example.com", "a b.apps.example.com", "[::1].apps.example.com", "a\u0000.apps.example.com",
            "a.apps.example.com.evil", "a.appsXexample.com", "pay.apps.example.com", "\u212A.apps.example.com", "\u0130.apps.example.com",
            "a\u212A.apps.example.com",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.apps.example.com"})
    void hostsOutsideOneLabelReachNoWildcardApp(String host) {
        assertThat(route(host, "/")).isInstanceOf(RouteTable.Route.NoApp.class);
    }

    /** Within one wildcard host, paths are chosen as for an exact host: another spelling of another app's prefix is refused. */
    @Test
    void pathsOfOneWildcardHostAreRoutedAsOnAnExactHost() {
        assertThat(route("a.apps.example.com", "/ADMIN/x")).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(route("a.apps.example.com", "/%61dmin/x")).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(route("a.apps.example.com", "/administrator")).isInstanceOfSatisfying(RouteTable.Route.To.class,
                to -> assertThat(to.app().id()).isEqualTo("wild"));
    }

    @Test
    void aLabelOf63CharactersIsOne() {
        String label = "a".repeat(63);
        assertThat(route(label + ".apps.example.com", "/")).isInstanceOfSatisfying(RouteTable.Route.To.class,
                to -> assertThat(to.app().internalUrl()).hasToString("http://" + label + ".corp.local/"));
    }

    /** Trailing dots are routed alike for exact and wildcard hosts (as the exact routing did before wildcards). */
    @Test
    void hostSpellingsRouteAlikeForExactAndWildcardApps() {
        for (String suffix : List.of("", ".", ":443")) {
            assertThat(route("hr.apps.example.com" + suffix, "/").getClass()).isEqualTo(route("x.apps.example.com" + suffix, "/").getClass());
        }
    }

    @Test
    void anInstanceIsRefusedAPathThatAnotherAppHoldsOnItsMatchedInternalHost() {
        assertThat(route("c.hr.example.com", "/x")).isInstanceOf(RouteTable.Route.To.class);
        // *.apps.example.com's instance for b (http://b.corp.local/) holds b.corp.local/hr/, which *.hr.example.com publishes.
        assertThat(route("b.apps.example.com", "/hr/x")).isInstanceOf(RouteTable.Route.Refused.class);
        // ... and b.corp.local/ itself, which intranet publishes by name (WildcardOverExactBackendTest).
        assertThat(route("b.apps.example.com", "/x")).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(route("e.apps.example.com", "/x")).isInstanceOf(RouteTable.Route.To.class);
        // intranet → http://b.corp.local/ holds b.corp.local/hr/, which *.hr.example.com publishes for label b.
        assertThat(route("intranet.example.com", "/hr/salaries")).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(route("intranet.example.com", "/HR/salaries")).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(route("intranet.example.com", "/other")).isInstanceOf(RouteTable.Route.To.class);
    }

    @Test
    void aWildcardInstanceIsRefusedTheInternalPathOfAnExactAppOnItsHost() {
        RouteTable table = new RouteTable(List.of(app("wild", "https://*.w.example.com/", "http://*.corp.local/"),
                app("payroll", "https://payroll.example.com/", "http://c.corp.local/payroll/")));
        try {
            assertThat(table.route("c.w.example.com", RequestPath.parse("/payroll/x"))).isInstanceOf(RouteTable.Route.Refused.class);
            assertThat(table.route("d.w.example.com", RequestPath.parse("/payroll/x"))).isInstanceOf(RouteTable.Route.To.class);
            assertThat(table.route("c.w.example.com", RequestPath.parse("/other"))).isInstanceOf(RouteTable.Route.To.class);
        } catch (RequestPath.BadPathException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void signInReferencesNameAnInstanceOrAnExactAppOnly() {
        PublishedApp a = ((RouteTable.Route.To) route("a.apps.example.com", "/")).app();
        assertThat(a.signInRef()).isEqualTo("wild@a");
        assertThat(TABLE.bySignInRef("wild@a")).contains(a);
        assertThat(TABLE.bySignInRef("hr")).map(PublishedApp::id).contains("hr");
        for (String bad : List.of("wild", "wild@", "wild@a.b", "wild@A", "wild@-a", "wild@a%2e", "hr@a", "nope@a", "nope", "")) {
            assertThat(TABLE.bySignInRef(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void instancesAreBuiltOnlyFromPlainLabels() {
        PublishedApp wild = TABLE.apps().getFirst();
        for (String bad : List.of("a.b", "a/b", "a@b", "a:1", "", "A", "a%2e", "xn--")) {
            assertThat(catchThrowable(() -> wild.forLabel(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
