package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 1 of issue 8, by class, at the router: every spelling of a path under a protected prefix ({@link PathSpellings})
 * against route tables with "/" and the prefix, or the prefix alone, with the prefix's app case-sensitive or not, and
 * the root app case-sensitive or not. Whatever the spelling, a request is refused, finds no app, or goes to the app
 * that owns the path as the most lenient backend reads it: never to the "/" app's backend under the prefix. Prefixes
 * cover every unreserved character (upper and lower hex) and a long name with a Windows short name.
 */
class RouteSpellingsTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final String HOST = "intra.example.com";

    static PublishedApp app(String id, String path, boolean caseInsensitive) {
        return new PublishedApp(id, id, URI.create("https://" + HOST + path), HOST, path, URI.create("http://backend/" + id + "/"), "g",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, caseInsensitive);
    }

    /** A route table and the prefix segment under test. */
    record Table(String name, String segment, List<PublishedApp> apps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Table> tables() {
        List<Table> t = new ArrayList<>();
        for (String seg : List.of("hr", "Pay_Roll-2.0~x", "payroll-admin")) {
            for (boolean ci : new boolean[]{false, true}) {
                String p = "/" + seg + "/";
                t.add(new Table("/ + " + p + (ci ? " (any case)" : ""), seg, List.of(app("root", "/", false), app("prot", p, ci))));
                t.add(new Table(p + " only" + (ci ? " (any case)" : ""), seg, List.of(app("prot", p, ci))));
                t.add(new Table("/ (any case) + " + p + (ci ? " (any case)" : ""), seg, List.of(app("root", "/", true), app("prot", p, ci))));
            }
        }
        return t;
    }

    static Stream<Arguments> cases() {
        return tables().stream().flatMap(t -> PathSpellings.of(t.segment()).stream().map(s -> Arguments.of(t, s)));
    }

    /** The app that owns a lenient reading: the longest prefix it is under. */
    static Optional<PublishedApp> owner(Table t, String read) {
        return t.apps().stream().filter(a -> PathSpellings.under(read, a.externalPath()))
                .max(Comparator.comparingInt(a -> a.externalPath().length()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void aRequestGoesOnlyToTheAppThatOwnsItsPathHoweverSpelled(Table t, String target) {
        RouteTable.Route route;
        try {
            route = new RouteTable(t.apps()).route(HOST, RequestPath.parse(target));
        } catch (RequestPath.BadPathException e) {
            return; // refused with 400
        }
        if (route instanceof RouteTable.Route.To to) {
            for (String read : PathSpellings.readings(target)) {
                assertThat(owner(t, read)).as("%s read as %s", target, read).contains(to.app());
            }
            assertThat(to.app().remainder(target)).contains(to.remainder());
        }
    }

    static Stream<Arguments> plain() {
        return tables().stream().map(t -> Arguments.of(t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plain")
    void plainSpellingsStillRoute(Table t) throws Exception {
        RouteTable table = new RouteTable(t.apps());
        String p = "/" + t.segment();
        assertThat(table.route(HOST, RequestPath.parse(p + "/salaries"))).isEqualTo(new RouteTable.Route.To(t.apps().getLast(), "salaries"));
        assertThat(table.route(HOST, RequestPath.parse(p))).isEqualTo(new RouteTable.Route.To(t.apps().getLast(), ""));
        assertThat(table.route(HOST, RequestPath.parse(p + "/a%2Fb;c/%68"))).isEqualTo(new RouteTable.Route.To(t.apps().getLast(), "a%2Fb;c/%68"));
        if (t.apps().size() == 2) {
            assertThat(table.route(HOST, RequestPath.parse("/salaries"))).isEqualTo(new RouteTable.Route.To(t.apps().getFirst(), "salaries"));
            assertThat(table.route(HOST, RequestPath.parse(p + "x/y"))).isEqualTo(new RouteTable.Route.To(t.apps().getFirst(), p.substring(1) + "x/y"));
        } else {
            assertThat(table.route(HOST, RequestPath.parse("/salaries"))).isEqualTo(new RouteTable.Route.NoApp());
        }
    }

    @Test
    void otherLetterCaseGoesToACaseInsensitiveAppAndIsRefusedForACaseSensitiveOne() throws Exception {
        RouteTable ci = new RouteTable(List.of(app("root", "/", false), app("hr", "/hr/", true)));
        RouteTable cs = new RouteTable(List.of(app("root", "/", false), app("hr", "/hr/", false)));
        assertThat(ci.route(HOST, RequestPath.parse("/HR/Salaries"))).isEqualTo(new RouteTable.Route.To(ci.apps().getLast(), "Salaries"));
        assertThat(ci.route(HOST, RequestPath.parse("/Hr"))).isEqualTo(new RouteTable.Route.To(ci.apps().getLast(), ""));
        assertThat(cs.route(HOST, RequestPath.parse("/HR/Salaries"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(new RouteTable(List.of(app("hr", "/hr/", false))).route(HOST, RequestPath.parse("/HR/x")))
                .isInstanceOf(RouteTable.Route.Refused.class);
    }

    @Test
    void encodedSpellingsAreRefusedWhereTheyWouldChangeTheApp() throws Exception {
        RouteTable table = new RouteTable(List.of(app("root", "/", false), app("hr", "/hr/", true)));
        for (String s : List.of("/%68r/salaries", "/hr;x/salaries", "/hr%2Fsalaries", "/%2568r/x", "/ｈｒ/x", "/%EF%BD%88r/x", "/hr./x")) {
            assertThat(table.route(HOST, RequestPath.parse(s))).as(s).isInstanceOf(RouteTable.Route.Refused.class);
        }
        // Deeper in an app, the same spellings are that app's business and are forwarded as sent.
        assertThat(table.route(HOST, RequestPath.parse("/hr/%68r;x/a%2Fb"))).isEqualTo(new RouteTable.Route.To(table.apps().getLast(), "%68r;x/a%2Fb"));
        assertThat(table.route(HOST, RequestPath.parse("/docs/%68r;x"))).isEqualTo(new RouteTable.Route.To(table.apps().getFirst(), "docs/%68r;x"));
    }

    @Test
    void aWindowsShortNameOfAnotherAppsFolderIsRefused() throws Exception {
        RouteTable table = new RouteTable(List.of(app("root", "/", true), app("pay", "/payroll-admin/", true)));
        for (String s : List.of("/PAYROL~1/x", "/payrol~1", "/PAYROL~12/x", "/PAY~1/x")) {
            assertThat(table.route(HOST, RequestPath.parse(s))).as(s).isInstanceOf(RouteTable.Route.Refused.class);
        }
        assertThat(table.route(HOST, RequestPath.parse("/OTHER~1/x"))).isInstanceOf(RouteTable.Route.To.class);
        assertThat(new RouteTable(List.of(app("root", "/", true), app("hr", "/hr/", true))).route(HOST, RequestPath.parse("/HR~1/x")))
                .as("a short name only exists for names that are not 8.3 already").isInstanceOf(RouteTable.Route.To.class);
    }

    /**
     * Windows' other short names: characters not allowed in an 8.3 name ({@code + , ; = [ ]}) become '_', and after four
     * names with the same first six characters the short name is the first two and a 4-hex-digit hash ({@code PA3F2A~1}).
     */
    @Test
    void everyFormOfAWindowsShortNameIsRefused() throws Exception {
        RouteTable table = new RouteTable(List.of(app("root", "/", true), app("pay", "/payroll-admin/", true),
                app("eq", "/pay+roll=2024/", true), app("comma", "/a,b/", true)));
        for (String s : List.of("/PAY_RO~1/x", "/pay_ro~2", "/PAY_R~12/x", "/PA3F2A~1/x", "/pa0000~1", "/PAFFFF~5/x", "/A_B~1/x",
                "/A_B~1.TXT/x")) {
            assertThat(table.route(HOST, RequestPath.parse(s))).as(s).isInstanceOf(RouteTable.Route.Refused.class);
        }
        for (String s : List.of("/PB3F2A~1/x", "/PA3F2G~1/x", "/QAY_RO~1/x", "/A_C~1/x")) {
            assertThat(table.route(HOST, RequestPath.parse(s))).as(s).isEqualTo(new RouteTable.Route.To(table.apps().getFirst(),
                    s.substring(1)));
        }
    }

    @Test
    void theLongestPrefixWinsAndLongerOnesInAnotherSpellingAreRefused() throws Exception {
        RouteTable table = new RouteTable(List.of(app("root", "/", false), app("hr", "/hr/", false), app("admin", "/hr/admin/", false)));
        assertThat(table.route(HOST, RequestPath.parse("/hr/admin/x"))).isEqualTo(new RouteTable.Route.To(table.apps().getLast(), "x"));
        assertThat(table.route(HOST, RequestPath.parse("/hr/ADMIN/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route(HOST, RequestPath.parse("/hr/%61dmin/x"))).isInstanceOf(RouteTable.Route.Refused.class);
        assertThat(table.route(HOST, RequestPath.parse("/hr/administrator"))).isEqualTo(new RouteTable.Route.To(table.apps().get(1), "administrator"));
    }
}
