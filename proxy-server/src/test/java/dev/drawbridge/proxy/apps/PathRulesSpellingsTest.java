package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PathPolicy;
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
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PathRules} by class: every spelling of a path under a rule ({@link PathSpellings}: percent-encoded letters and
 * slashes, double encoding, {@code ;} parameters, backslashes, repeated slashes, dot segments, trailing dots and spaces,
 * letter case, Unicode compatibility forms, encoded '?' and '#') against apps at "/" and at "/hr/", case-sensitive or
 * not, with a stricter rule, a looser rule inside it, and an app opened at "/" with a stricter rule. Whatever the
 * spelling, the request is refused, or what applies is at least as strict as the rule that owns the path as every lenient
 * backend reads it: a stricter path is never bypassed. The plain spellings get exactly their rule.
 */
class PathRulesSpellingsTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final String HOST = "intra.example.com";
    static final PathPolicy ADMIN = new PathPolicy("/admin", null, List.of("g-admins"), List.of());
    static final PathPolicy ADMIN_PUBLIC = new PathPolicy("/admin/public", PreAuthentication.PASSTHROUGH, List.of(), List.of());
    static final PathPolicy OPEN_ROOT = new PathPolicy("/", PreAuthentication.PASSTHROUGH, List.of(), List.of());
    static final PathPolicy STRICT_ADMIN = new PathPolicy("/admin", PreAuthentication.DIRECTORY, List.of("g-admins"), List.of("p-mfa"));

    static PublishedApp app(String path, boolean caseInsensitive) {
        return new PublishedApp("app", "Intranet", URI.create("https://" + HOST + path), HOST, path, URI.create("http://backend/"), "g",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, T, T, caseInsensitive);
    }

    /** An app, its rules, the segment whose spellings are tried. */
    record Case(String name, PublishedApp app, List<PathPolicy> rules, String segment) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (String prefix : List.of("/", "/hr/")) {
            for (boolean ci : new boolean[]{false, true}) {
                String n = prefix + (ci ? " (any case)" : "");
                c.add(new Case(n + ": /admin for admins", app(prefix, ci), List.of(ADMIN), "admin"));
                c.add(new Case(n + ": /admin, /admin/public open", app(prefix, ci), List.of(ADMIN, ADMIN_PUBLIC), "admin"));
                c.add(new Case(n + ": / open, /admin for admins with a policy", app(prefix, ci), List.of(OPEN_ROOT, STRICT_ADMIN), "admin"));
                c.add(new Case(n + ": /payroll-admin for admins", app(prefix, ci),
                        List.of(new PathPolicy("/payroll-admin", null, List.of("g-admins"), List.of())), "payroll-admin"));
            }
        }
        return c;
    }

    static Stream<Arguments> spellings() {
        return cases().stream().flatMap(c -> PathSpellings.of(c.segment()).stream().filter(s -> s.startsWith("/"))
                .map(s -> Arguments.of(c, c.app().externalPath() + s.substring(1))));
    }

    /** What the rule owning a lenient reading says (the app's own settings where no rule owns it). */
    static PathAccess owner(Case c, String read) {
        String base = c.app().externalPath();
        return c.rules().stream().filter(r -> PathSpellings.under(read, base + (r.path().equals("/") ? "" : r.path().substring(1) + "/")))
                .max(Comparator.comparingInt(r -> r.path().length()))
                .map(r -> new PathAccess(r.path(), PathRules.preAuthentication(c.app(), r), Set.copyOf(r.users()), Set.copyOf(r.policies())))
                .orElse(PathAccess.of(c.app()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("spellings")
    void noSpellingGetsLessThanTheRuleThatOwnsItsPath(Case c, String target) {
        RequestPath path;
        try {
            path = RequestPath.parse(target);
        } catch (RequestPath.BadPathException e) {
            return; // refused with 400
        }
        if (!(new RouteTable(List.of(c.app())).route(HOST, path) instanceof RouteTable.Route.To)) {
            return; // refused or no app: never reaches the rules
        }
        PathRules.Decision d = PathRules.of(c.app(), c.rules()).decide(path);
        if (d instanceof PathRules.Decision.Apply(PathAccess applied)) {
            for (String read : PathSpellings.readings(target)) {
                PathAccess owner = owner(c, read);
                assertThat(applied.atLeastAsStrictAs(owner)).as("%s read as %s: %s applied, %s owns it", target, read, applied, owner).isTrue();
            }
        }
    }

    static Stream<Arguments> plain() {
        return cases().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plain")
    void plainSpellingsGetExactlyTheirRule(Case c) throws Exception {
        PathRules rules = PathRules.of(c.app(), c.rules());
        String p = c.app().externalPath();
        String seg = c.segment();
        PathAccess rule = owner(c, p + seg + "/x");
        assertThat(rule.rule()).isEqualTo("/" + seg);
        for (String s : List.of(seg, seg + "/", seg + "/x", seg + "/x/y;z", seg + "/%41")) {
            assertThat(rules.decide(RequestPath.parse(p + s))).as(s).isEqualTo(new PathRules.Decision.Apply(rule));
        }
        PathAccess outside = owner(c, p + "other");
        for (String s : List.of("", "other", seg + "istrator", seg + "x/y", "x/" + seg)) {
            assertThat(rules.decide(RequestPath.parse(p + s))).as(s).isEqualTo(new PathRules.Decision.Apply(outside));
        }
    }

    @Test
    void aLooserRuleInsideAStricterOneOpensOnlyToItsPlainSpelling() throws Exception {
        PublishedApp app = app("/", false);
        PathRules rules = PathRules.of(app, List.of(ADMIN, ADMIN_PUBLIC));
        PathAccess admin = new PathAccess("/admin", PreAuthentication.DIRECTORY, Set.of("g-admins"), Set.of());
        assertThat(rules.decide(RequestPath.parse("/admin/public/x")))
                .isEqualTo(new PathRules.Decision.Apply(new PathAccess("/admin/public", PreAuthentication.PASSTHROUGH, Set.of(), Set.of())));
        // Read raw, these are under /admin but not /admin/public: the stricter rule applies.
        for (String s : List.of("/admin/%70ublic/x", "/admin/public;x/y", "/admin/public./y", "/admin/Public/y", "/admin/public%2Fx",
                "/admin/public%3F/x")) {
            assertThat(rules.decide(RequestPath.parse(s))).as(s).isEqualTo(new PathRules.Decision.Apply(admin));
        }
    }

    @Test
    void readingsUnderRulesOfWhichNoneIsStricterAreRefused() throws Exception {
        PublishedApp app = app("/", false);
        PathRules rules = PathRules.of(app, List.of(new PathPolicy("/a", null, List.of("g1"), List.of()),
                new PathPolicy("/a/b", null, List.of("g2"), List.of())));
        assertThat(rules.decide(RequestPath.parse("/a/b/x"))).isInstanceOf(PathRules.Decision.Apply.class);
        assertThat(rules.decide(RequestPath.parse("/a/%62/x"))).isInstanceOf(PathRules.Decision.Refused.class);
        assertThat(rules.decide(RequestPath.parse("/a/B/x"))).isInstanceOf(PathRules.Decision.Refused.class);
    }

    @Test
    void aRuleNamingUsersSignsInEvenOnAnAppThatBecamePassthrough() throws Exception {
        PublishedApp open = new PublishedApp("app", "Intranet", URI.create("https://" + HOST + "/"), HOST, "/", URI.create("http://backend/"),
                "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, false);
        PathRules.Decision d = PathRules.of(open, List.of(ADMIN)).decide(RequestPath.parse("/admin/x"));
        assertThat(d).isEqualTo(new PathRules.Decision.Apply(new PathAccess("/admin", PreAuthentication.DIRECTORY, Set.of("g-admins"),
                Set.of())));
    }
}
