package dev.drawbridge.proxy.apps;

import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link AppRouter} on a real Jetty server: every spelling of a Host header (case, port, trailing
 * dot, IDN raw and punycode, percent-encoding, user info, spaces) is routed alike for an exact app's host and for a
 * host of a wildcard app one label deep: both reach their app, or neither does. When routed, the exact app keeps its
 * internal host and the wildcard app's internal host carries the label, in lower case.
 */
class WildcardHostSpellingsTest {
    static TestServer server;
    static Recorder<Routed> next;

    @BeforeAll
    static void start() throws Exception {
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(
                WildcardRoutingTest.app("exact", "https://hr.apps.example.com/", "http://hr-server.corp/"),
                WildcardRoutingTest.app("wild", "https://*.apps.example.com/", "http://*.corp.local/"))));
        next = new Recorder<>("next", Routed.ATTRIBUTE::get);
        routing.setHandler(next);
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clear() {
        next.clear();
    }

    /** The spellings that reach an app (Jetty strips the port and surrounding white space); the others reach none. */
    static final Set<String> ROUTED = Set.of("%s.apps.example.com", "%S.APPS.EXAMPLE.COM", "%s.Apps.Example.Com", "%s.apps.example.com:443",
            "%s.apps.example.com:8443", " %s.apps.example.com", "%s.apps.example.com\t");

    /** {@code %s} is the first label. */
    @ParameterizedTest
    @ValueSource(strings = {"%s.apps.example.com", "%S.APPS.EXAMPLE.COM", "%s.Apps.Example.Com", "%s.apps.example.com:443",
            "%s.apps.example.com:8443", "%s.apps.example.com.", "%s.apps.example.com.:443", "%s.apps.example.com..",
            "%s%%2eapps.example.com", "%s.apps%%2eexample.com", "u@%s.apps.example.com", "%s.apps.example.com@evil.com",
            "%s.apps.example.com evil", " %s.apps.example.com", "%s.apps.example.com\t", "x.%s.apps.example.com", "%s-.apps.example.com",
            "%sü.apps.example.com", "%s.apps.example.com:", "[%s.apps.example.com]"})
    void aSpellingRoutesAlikeForTheExactAndTheWildcardHost(String spelling) throws Exception {
        String exactHost = spelling.replace("%S", "HR").replace("%s", "hr").replace("%%", "%");
        String wildHost = spelling.replace("%S", "WEB").replace("%s", "web").replace("%%", "%");
        TestServer.Answer exact = server.get(exactHost, "/x");
        Routed exactRouted = exact.body().equals("next") ? next.last() : null;
        next.clear();
        TestServer.Answer wild = server.get(wildHost, "/x");
        Routed wildRouted = wild.body().equals("next") ? next.last() : null;
        assertThat(wildRouted != null).as("%s routed like %s (%s / %s)", wildHost, exactHost, wild.status(), exact.status())
                .isEqualTo(exactRouted != null);
        assertThat(wild.status()).as(wildHost).isEqualTo(exact.status());
        assertThat(wildRouted != null).as(wildHost).isEqualTo(ROUTED.contains(spelling));
        if (exactRouted != null) {
            assertThat(exactRouted.app().internalUrl()).hasToString("http://hr-server.corp/");
            assertThat(wildRouted.app().internalUrl()).hasToString("http://web.corp.local/");
            assertThat(wildRouted.app().externalHost()).isEqualTo("web.apps.example.com");
            assertThat(wildRouted.app().externalHost()).isEqualTo(wildRouted.app().externalHost().toLowerCase(Locale.ROOT));
        }
    }
}
