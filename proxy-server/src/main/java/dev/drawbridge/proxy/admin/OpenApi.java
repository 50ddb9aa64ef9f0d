package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.Problem;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document of the admin API, generated from {@link AdminRoutes} and the JSON records the
 * routes name, so the description cannot drift from what the server does. Each operation carries the
 * permission it needs ({@code x-required-permission}) and the roles that grant it.
 */
public final class OpenApi {
    /**
     * Collections a POST adds to, answered 201 Created (as their handlers answer). Adding an owner or a member answers
     * 200 with the whole list, as it always did; adding an assignment answers 201 with the whole list.
     */
    private static final Set<String> CREATES = Set.of("apps", "connector-groups", "users", "groups",
            "assignments", "policies", "named-locations", "certificates", "registration-tokens",
            "oauth-clients", "connector-updates");

    /**
     * Schema names the document published while these types were nested in server classes ({@code CertificateStore.View},
     * ...). Clients generate class names from schema names, so they stay; every other schema is named after its record.
     */
    private static final Map<Class<?>, String> PUBLISHED_NAMES = Map.of(CertificateView.class, "View", CertificateUpload.class, "Upload",
            ConnectorEvent.class, "Event");

    private OpenApi() {
    }

    public static Map<String, Object> document(String adminUrl) {
        Map<String, Object> schemas = new TreeMap<>();
        schemas.put("Problem", schema(Problem.class, schemas));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (AdminRoutes.Route r : AdminRoutes.all()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent("/" + r.template(), k -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(Locale.ROOT), operation(r, schemas));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.1.0");
        doc.put("info", Map.of("title", "Drawbridge admin API", "version", "1",
                "description", "Manage published apps, connectors, the directory, conditional access, certificates and logs. "
                        + "Every call needs Authorization: Bearer <token> (POST /auth/token gives one); each operation names the "
                        + "permission it needs in x-required-permission. Errors are RFC 9457 problem documents."));
        doc.put("servers", List.of(Map.of("url", adminUrl + "/api/v1")));
        doc.put("security", List.of(Map.of("bearer", List.of())));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas,
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT"))));
        return doc;
    }

    /** Documents the target-aware check: the caller's roles must manage every role of the user it changes. */
    private static void userTarget(Map<String, Object> op, UserOperation operation, String where) {
        op.put("x-user-target", Map.of("operation", operation.name(), "user", where, "onSelf", operation.onSelf()));
        op.put("description", op.get("description") + " Changes the user named by " + where + ": refused (403) unless the caller's roles"
                + " manage every role that user holds (a helpdesk administrator: no role or helpdesk only; a global administrator: anyone)"
                + (operation.onSelf() ? "." : ", and never on the caller's own account."));
    }

    private static Map<String, Object> operation(AdminRoutes.Route r, Map<String, Object> schemas) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("tags", List.of(r.tag()));
        op.put("summary", r.summary());
        op.put("operationId", operationId(r));
        if (r.permission() != null) {
            op.put("x-required-permission", r.permission().name());
            op.put("description", "Needs " + r.permission() + ", granted by " + Arrays.stream(AdminRole.values())
                    .filter(role -> role.permissions().contains(r.permission())).map(Enum::name).toList() + ".");
        } else if (r.anonymous()) {
            op.put("security", List.of());
        }
        switch (r.target()) {
            case UserTarget.None n -> { }
            case UserTarget.InPath p -> userTarget(op, p.operation(), "path parameter " + r.template().split("/")[p.segment()]);
            case UserTarget.InBody b -> userTarget(op, b.operation(), "the body's user (id or UPN)");
        }
        List<Map<String, Object>> params = new ArrayList<>();
        for (String part : r.template().split("/")) {
            if (part.startsWith("{")) {
                params.add(Map.of("name", part.substring(1, part.length() - 1), "in", "path", "required", true,
                        "schema", Map.of("type", "string")));
            }
        }
        for (String q : r.query()) {
            params.add(Map.of("name", q, "in", "query", "required", false,
                    "schema", Map.of("type", q.equals("offset") || q.equals("limit") || q.equals("hours") ? "integer" : "string")));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        if (r.request() != null) {
            op.put("requestBody", Map.of("required", true, "content", Map.of("application/json", Map.of("schema", ref(r.request(), schemas)))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        if (r.response() == null) {
            responses.put(r.method().equals("DELETE") ? "204" : "200", Map.of("description", "Done"));
        } else {
            Object body = r.paged() ? Map.of("type", "object", "required", List.of("items", "offset", "limit", "total"),
                    "properties", Map.of("items", Map.of("type", "array", "items", ref(r.response(), schemas)),
                            "offset", Map.of("type", "integer"), "limit", Map.of("type", "integer"), "total", Map.of("type", "integer")))
                    : r.list() ? Map.of("type", "array", "items", ref(r.response(), schemas)) : ref(r.response(), schemas);
            String last = r.template().substring(r.template().lastIndexOf('/') + 1);
            responses.put(r.method().equals("POST") && CREATES.contains(last) ? "201" : "200",
                    Map.of("description", "OK", "content", Map.of("application/json", Map.of("schema", body))));
        }
        Map<String, Object> problem = Map.of("application/problem+json", Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")));
        responses.put("400", Map.of("description", "Invalid input; errors name each field", "content", problem));
        responses.put("401", Map.of("description", "No or invalid token", "content", problem));
        responses.put("403", Map.of("description", "The caller's roles do not grant the permission (logged)", "content", problem));
        responses.put("404", Map.of("description", "No such resource", "content", problem));
        op.put("responses", responses);
        return op;
    }

    private static String operationId(AdminRoutes.Route r) {
        StringBuilder b = new StringBuilder(r.method().toLowerCase(Locale.ROOT));
        for (String part : r.template().split("[/-]")) {
            if (part.startsWith("{")) {
                b.append("By").append(Character.toUpperCase(part.charAt(1))).append(part, 2, part.length() - 1);
            } else if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private static Map<String, Object> ref(Class<?> type, Map<String, Object> schemas) {
        String name = PUBLISHED_NAMES.getOrDefault(type, type.getSimpleName());
        if (!schemas.containsKey(name)) {
            schemas.put(name, Map.of());
            schemas.put(name, schema(type, schemas));
        }
        return Map.of("$ref", "#/components/schemas/" + name);
    }

    private static Map<String, Object> schema(Class<?> type, Map<String, Object> schemas) {
        if (!type.isRecord()) {
            return typeSchema(type, schemas);
        }
        Map<String, Object> props = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            props.put(c.getName(), typeSchema(c.getGenericType(), schemas));
        }
        return Map.of("type", "object", "properties", props);
    }

    private static Map<String, Object> typeSchema(Type t, Map<String, Object> schemas) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg = p.getActualTypeArguments()[0];
            if (Collection.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", typeSchema(arg, schemas));
            }
            if (raw == Optional.class) {
                return typeSchema(arg, schemas);
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object");
            }
            return typeSchema(raw, schemas);
        }
        if (!(t instanceof Class<?> c)) {
            return Map.of();
        }
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return Map.of("type", "integer");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (c == double.class || c == Double.class) {
            return Map.of("type", "number");
        }
        if (c == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (c.isEnum()) {
            return Map.of("type", "string", "enum", Arrays.stream(c.getEnumConstants()).map(Object::toString).toList());
        }
        if (c.isRecord()) {
            return ref(c, schemas);
        }
        if (c.isArray()) {
            return Map.of("type", "array", "items", typeSchema(c.getComponentType(), schemas));
        }
        return Map.of();
    }
}
