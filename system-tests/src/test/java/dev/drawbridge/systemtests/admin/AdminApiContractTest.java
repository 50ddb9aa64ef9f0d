package dev.drawbridge.systemtests.admin;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.adminclient.BundleFile;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.Operation;
import dev.drawbridge.adminclient.Query;
import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.proxy.admin.AdminRoutes;
import dev.drawbridge.proxy.admin.AdminRoutes.Route;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed client and the server's route table describe one API: every {@link AdminRoutes} row has exactly one
 * {@link AdminApi} method with its HTTP method and template, every method one row, and they agree on the request body,
 * the answer (item type, page or list), the query parameters, the path parameters and whether a token is sent. A row
 * added without its method (or a method without its row) fails here.
 */
class AdminApiContractTest {
    /**
     * Rows whose body is not JSON: the icon, sent as its bytes; a service provider's SAML metadata, as its XML; a
     * connector update bundle, streamed from its file.
     */
    private static final Map<String, Class<?>> RAW_BODIES = Map.of("PUT apps/{id}/icon", Icon.class,
            "POST apps/{id}/saml/sp-metadata", SamlMetadata.class, "POST connector-updates", BundleFile.class);
    /** Rows whose answer is not JSON: the icon, read as its bytes; the identity provider's SAML metadata, as its XML. */
    private static final Map<String, Class<?>> RAW_ANSWERS = Map.of("GET apps/{id}/icon", Icon.class,
            "GET apps/{id}/saml/idp-metadata", SamlMetadata.class);
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    @Test
    void everyRouteHasExactlyOneClientMethodAndTheyAgree() {
        assertThat(mismatches(AdminRoutes.all(), operations(AdminApi.class))).isEmpty();
    }

    @Test
    void aRowWithoutAMethodIsCaught() {
        List<Route> rows = new ArrayList<>(AdminRoutes.all());
        Route me = rows.stream().filter(r -> r.template().equals("me")).findFirst().orElseThrow();
        rows.add(new Route("GET", "me/sessions", me.permission(), me.tag(), "sessions", null, Set.class, false, true, List.of(),
                me.target(), false, me.handler()));
        assertThat(mismatches(rows, operations(AdminApi.class))).containsExactly("GET me/sessions: a route without a client method");
    }

    /** A client with one method more than the server has routes. */
    interface Extended extends AdminApi {
        @Operation(method = "POST", path = "me/sessions/revoke")
        void revokeMySessions() throws AdminClientException;
    }

    @Test
    void aMethodWithoutARowIsCaught() {
        assertThat(mismatches(AdminRoutes.all(), operations(Extended.class)))
                .containsExactly("POST me/sessions/revoke: Extended.revokeMySessions has no route");
    }

    /** Every {@link Operation} method of {@code api}: its own and those of the resource interfaces it answers. */
    static List<Method> operations(Class<?> api) {
        List<Method> out = new ArrayList<>();
        for (Method m : api.getMethods()) {
            if (m.isAnnotationPresent(Operation.class)) {
                out.add(m);
            } else if (m.getReturnType().isInterface() && m.getParameterCount() == 0 && Modifier.isAbstract(m.getModifiers())) {
                for (Method r : m.getReturnType().getMethods()) {
                    assertThat(r.isAnnotationPresent(Operation.class) || r.isDefault())
                            .as(r + " names its operation or is a shortcut to one").isTrue();
                    if (!r.isDefault()) {
                        out.add(r);
                    }
                }
            } else {
                assertThat(m.isDefault()).as(m + " is an operation, a resource, or a shortcut").isTrue();
            }
        }
        return out;
    }

    static List<String> mismatches(List<Route> routes, List<Method> methods) {
        List<String> problems = new ArrayList<>();
        Map<String, Method> byKey = new LinkedHashMap<>();
        for (Method m : methods) {
            Operation op = m.getAnnotation(Operation.class);
            Method before = byKey.put(op.method() + " " + op.path(), m);
            if (before != null) {
                problems.add(op.method() + " " + op.path() + ": two methods, " + name(before) + " and " + name(m));
            }
        }
        Set<String> rowKeys = new LinkedHashSet<>();
        for (Route r : routes) {
            String key = r.method() + " " + r.template();
            if (!rowKeys.add(key)) {
                problems.add(key + ": two routes");
            }
            Method m = byKey.get(key);
            if (m == null) {
                problems.add(key + ": a route without a client method");
            } else {
                agree(key, r, m, problems);
            }
        }
        byKey.forEach((key, m) -> {
            if (!rowKeys.contains(key)) {
                problems.add(key + ": " + name(m) + " has no route");
            }
        });
        return problems;
    }

    private static void agree(String key, Route r, Method m, List<String> problems) {
        Operation op = m.getAnnotation(Operation.class);
        List<Class<?>> bodies = new ArrayList<>();
        List<String> query = new ArrayList<>();
        int pathParameters = 0;
        for (Class<?> p : m.getParameterTypes()) {
            if (p == String.class) {
                pathParameters++;
            } else if (Query.class.isAssignableFrom(p)) {
                Arrays.stream(p.getRecordComponents()).map(RecordComponent::getName).forEach(query::add);
            } else {
                bodies.add(p);
            }
        }
        Class<?> body = RAW_BODIES.containsKey(key) ? RAW_BODIES.get(key) : r.request();
        if (!bodies.equals(body == null ? List.of() : List.of(body))) {
            problems.add(key + ": the route takes " + body + ", " + name(m) + " sends " + bodies);
        }
        Matcher params = PARAMETER.matcher(r.template());
        long templateParameters = params.results().count();
        if (templateParameters != pathParameters) {
            problems.add(key + ": " + templateParameters + " path parameters, " + name(m) + " takes " + pathParameters + " ids");
        }
        if (!Set.copyOf(query).equals(Set.copyOf(r.query())) || query.size() != r.query().size()) {
            problems.add(key + ": the route understands query " + r.query() + ", " + name(m) + " sends " + query);
        }
        if (op.anonymous() != r.anonymous()) {
            problems.add(key + ": anonymous " + r.anonymous() + " on the route, " + op.anonymous() + " on " + name(m));
        }
        Type expected = RAW_ANSWERS.containsKey(key) ? RAW_ANSWERS.get(key)
                : r.response() == null ? void.class
                : r.paged() ? parameterized(Page.class, r.response())
                : r.list() ? parameterized(List.class, r.response())
                : r.response();
        if (!same(expected, m.getGenericReturnType())) {
            problems.add(key + ": the route answers " + expected.getTypeName() + ", " + name(m) + " reads " + m.getGenericReturnType().getTypeName());
        }
    }

    private static Type parameterized(Class<?> raw, Class<?> item) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[]{item};
            }

            @Override
            public Type getRawType() {
                return raw;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }

            @Override
            public String getTypeName() {
                return raw.getName() + "<" + item.getName() + ">";
            }
        };
    }

    private static boolean same(Type a, Type b) {
        if (a instanceof ParameterizedType pa && b instanceof ParameterizedType pb) {
            return pa.getRawType().equals(pb.getRawType()) && Arrays.equals(pa.getActualTypeArguments(), pb.getActualTypeArguments());
        }
        return a.equals(b);
    }

    private static String name(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }
}
