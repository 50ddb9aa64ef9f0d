package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import org.junit.jupiter.api.Test;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The route table itself: every operation that can change a directory user declares its target, so that the
 * target-aware check ({@link UserGuard}) cannot be forgotten when an operation is added; every route names a handler,
 * and every handler method of every resource class is reachable from exactly one route, so that no operation exists
 * that the table does not authorize and describe.
 */
class AdminRoutesTest {
    /** Writes addressed to a user (users/{id}/..., .../{userId}) or naming one in their body (a "user" field). */
    static boolean changesAUser(AdminRoutes.Route r) {
        if (r.method().equals("GET") || r.template().equals("auth/token")) {
            return false;
        }
        boolean inPath = r.template().startsWith("users/{id}") || r.template().contains("{userId}");
        boolean inBody = r.request() != null && r.request().isRecord()
                && Arrays.stream(r.request().getRecordComponents()).map(RecordComponent::getName).anyMatch(n -> n.equals("user"));
        return inPath || inBody;
    }

    @Test
    void everyWriteAddressedToAUserDeclaresItsTarget() {
        List<String> missing = AdminRoutes.all().stream()
                // App owners are a property of the app, not a change to the user (see docs/admin.md).
                .filter(r -> changesAUser(r) && !r.template().startsWith("apps/"))
                .filter(r -> r.target() instanceof UserTarget.None).map(r -> r.method() + " " + r.template()).toList();
        assertThat(missing).isEmpty();
        assertThat(AdminRoutes.all().stream().filter(r -> !(r.target() instanceof UserTarget.None)).count()).isEqualTo(9);
    }

    @Test
    void pathTargetsPointAtAParameter() {
        for (AdminRoutes.Route r : AdminRoutes.all()) {
            if (r.target() instanceof UserTarget.InPath p) {
                String part = r.template().split("/")[p.segment()];
                assertThat(part).as(r.method() + " " + r.template()).isIn("{id}", "{userId}");
            }
            if (r.target() instanceof UserTarget.InBody) {
                assertThat(r.request()).as(r.method() + " " + r.template()).isNotNull();
            }
        }
    }

    /** The method a route's handler names (a method reference, read from its serialized form). */
    static Method handlerMethod(AdminRoutes.Route r) throws Exception {
        Method writeReplace = r.handler().handler().getClass().getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(r.handler().handler());
        Class<?> impl = Class.forName(lambda.getImplClass().replace('/', '.'));
        assertThat(impl).as(r.method() + " " + r.template() + " names a method of its resource class").isEqualTo(r.handler().resource());
        return impl.getMethod(lambda.getImplMethodName(), Caller.class, AdminRequest.class);
    }

    /** A public method taking the caller and the request and answering: what a route can run. */
    static boolean isHandler(Method m) {
        return Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Answer.class
                && Arrays.equals(m.getParameterTypes(), new Class<?>[]{Caller.class, AdminRequest.class});
    }

    /** Every class of the admin plane's packages that has a handler method, found on the class path. */
    static Set<Class<?>> resourceClasses() throws Exception {
        Path root = Path.of(AdminRoutes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path admin = root.resolve("dev/drawbridge/proxy/admin");
        Set<Class<?>> found = new TreeSet<>(Comparator.comparing(Class::getName));
        try (Stream<Path> files = Files.walk(admin)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, AdminRoutes.class.getClassLoader());
                if (Arrays.stream(c.getDeclaredMethods()).anyMatch(AdminRoutesTest::isHandler)) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    @Test
    void everyRouteNamesAHandlerAndEveryHandlerIsReachableFromExactlyOneRoute() throws Exception {
        Map<Method, List<String>> routesOf = new HashMap<>();
        for (AdminRoutes.Route r : AdminRoutes.all()) {
            assertThat(r.handler()).as(r.method() + " " + r.template()).isNotNull();
            routesOf.computeIfAbsent(handlerMethod(r), m -> new ArrayList<>()).add(r.method() + " " + r.template());
        }
        assertThat(routesOf.entrySet().stream().filter(e -> e.getValue().size() > 1).map(e -> e.getKey().getName() + " " + e.getValue()))
                .as("handlers named by more than one route").isEmpty();

        Set<Class<?>> classes = resourceClasses();
        assertThat(classes).as("resource classes").hasSizeGreaterThanOrEqualTo(20)
                .containsAll(AdminRoutes.all().stream().map(r -> r.handler().resource()).toList());
        List<String> unreachable = classes.stream().flatMap(c -> Arrays.stream(c.getDeclaredMethods())).filter(AdminRoutesTest::isHandler)
                .filter(m -> !routesOf.containsKey(m)).map(m -> m.getDeclaringClass().getSimpleName() + "::" + m.getName()).toList();
        assertThat(unreachable).as("handler methods no route names").isEmpty();
        assertThat(routesOf).hasSize(AdminRoutes.all().size());
    }

    @Test
    void onlyTheAdminSignInIsAnsweredWithoutAToken() {
        assertThat(AdminRoutes.all().stream().filter(AdminRoutes.Route::anonymous).map(r -> r.method() + " " + r.template()))
                .containsExactly("POST auth/token");
        assertThat(AdminRoutes.withoutToken(new String[]{"auth", "token"})).isTrue();
        assertThat(AdminRoutes.withoutToken(new String[]{"auth", "Token"})).isFalse();
        assertThat(AdminRoutes.withoutToken(new String[]{"auth", "token", ""})).isFalse();
        assertThat(AdminRoutes.withoutToken(new String[]{"me"})).isFalse();
    }

    @Test
    void aRouteWithoutATokenCanNeitherNeedAPermissionNorChangeAUser() {
        assertThatThrownBy(() -> new AdminRoutes.Route("POST", "x", AdminRole.Permission.APPS_READ, "t", "s", null, null, false, false,
                List.of(), UserTarget.NONE, true, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdminRoutes.Route("POST", "users/{id}/x", null, "t", "s", null, null, false, false,
                List.of(), new UserTarget.InPath(UserOperation.DELETE, 1), true, null)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The retirement of a signing key, by any spelling of its path the admin handler can pass on (after Jetty's decoding
     * and the handler's trim of one trailing slash): it is that route, with its permission (global administrators only),
     * the key id passed on verbatim, or no route at all; never one with a weaker permission (the keys' read-only view, the
     * rotation's sibling paths).
     */
    @Test
    void everySpellingOfTheKeyRetirementIsThatRouteOrNone() {
        for (String kid : List.of("5b1c7c7e-0000-4000-8000-000000000000", "rotate", "..", ".", "%2F", "a;b=c", "A\r\nB", " ")) {
            String[] seg = {"keys", kid, "retire"};
            AdminRoutes.Match m = AdminRoutes.match("POST", seg);
            assertThat(m).as(kid).isInstanceOf(AdminRoutes.Match.Found.class);
            AdminRoutes.Route r = ((AdminRoutes.Match.Found) m).route();
            assertThat(r.template()).isEqualTo("keys/{kid}/retire");
            assertThat(r.permission()).isEqualTo(AdminRole.Permission.SIGNING_KEYS_ROTATE);
            assertThat(r.parameters(seg)).containsExactly(Map.entry("kid", kid));
            for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "post")) {
                assertThat(AdminRoutes.match(method, seg)).as(method + " " + kid).isInstanceOf(AdminRoutes.Match.MethodNotAllowed.class);
            }
        }
        for (String path : List.of("KEYS/k/retire", "keys/k/RETIRE", "keys/k/retire/", "keys/k/retire/x", "keys/retire", "keys//k/retire",
                "keys/k/retire;x", "keys/k")) {
            assertThat(AdminRoutes.match("POST", path.split("/", -1))).as(path).isInstanceOf(AdminRoutes.Match.NotFound.class);
        }
        // Its sibling keeps its own route.
        assertThat(((AdminRoutes.Match.Found) AdminRoutes.match("POST", new String[]{"keys", "rotate"})).route().template())
                .isEqualTo("keys/rotate");
    }

    @Test
    void pathParametersAreNamedByTheTemplate() {
        AdminRoutes.Route r = ((AdminRoutes.Match.Found) AdminRoutes.match("DELETE",
                "apps/a1/assignments/USER/u1".split("/"))).route();
        assertThat(r.parameters("apps/a1/assignments/USER/u1".split("/")))
                .containsExactly(Map.entry("id", "a1"), Map.entry("principalType", "USER"), Map.entry("principalId", "u1"));
    }

    @Test
    void theServerRefusesToStartWithoutAResourceTheTableNames() {
        assertThatThrownBy(() -> AdminResources.of(new Object()).requireAll(AdminRoutes.all()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("AppsApi").hasMessageContaining("SessionApi");
    }
}
