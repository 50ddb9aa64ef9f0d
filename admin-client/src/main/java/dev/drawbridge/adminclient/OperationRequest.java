package dev.drawbridge.adminclient;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One admin API request as an {@link Operation} method's arguments make it (the binding rules are on
 * {@link Operation}): method, path under {@code /api/v1/} with every parameter percent-encoded, query parameters, and
 * at most one body (JSON or {@link RawContent}).
 */
record OperationRequest(String method, String path, Map<String, String> query, Optional<Object> json, Optional<RawContent> raw,
                        boolean anonymous) {
    OperationRequest {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /** The request {@code m} makes with {@code args}; an {@link IllegalArgumentException} for an unusable argument. */
    static OperationRequest of(Method m, Object[] args) {
        Operation op = m.getAnnotation(Operation.class);
        if (op == null) {
            throw new IllegalStateException(m + " names no admin API operation");
        }
        Object[] a = args == null ? new Object[0] : args;
        List<String> template = List.of(op.path().split("/"));
        StringBuilder path = new StringBuilder();
        Map<String, String> query = new LinkedHashMap<>();
        Object json = null;
        RawContent raw = null;
        int next = 0;
        for (int i = 0; i < a.length; i++) {
            switch (kind(m.getParameterTypes()[i])) {
                case PATH -> next = append(path, template, next, (String) a[i], op);
                case QUERY -> {
                    if (a[i] != null) {
                        query.putAll(parameters((Query) a[i]));
                    }
                }
                case RAW -> raw = (RawContent) require(a[i], "the " + m.getParameterTypes()[i].getSimpleName().toLowerCase(Locale.ROOT));
                case BODY -> json = require(a[i], "the request body");
            }
        }
        next = literals(path, template, next);
        if (next != template.size()) {
            throw new IllegalStateException(m + " does not fill every parameter of " + op.path());
        }
        return new OperationRequest(op.method(), path.toString(), query, Optional.ofNullable(json), Optional.ofNullable(raw),
                op.anonymous());
    }

    /** How a parameter of this type binds. */
    enum Kind { PATH, QUERY, RAW, BODY }

    static Kind kind(Class<?> type) {
        if (type == String.class) {
            return Kind.PATH;
        }
        if (Query.class.isAssignableFrom(type)) {
            return Kind.QUERY;
        }
        return RawContent.class.isAssignableFrom(type) ? Kind.RAW : Kind.BODY;
    }

    /** Copies literal segments up to the next {@code {name}}, then fills it with {@code value}; returns the index after. */
    private static int append(StringBuilder path, List<String> template, int from, String value, Operation op) {
        int i = literals(path, template, from);
        if (i == template.size()) {
            throw new IllegalStateException(op.path() + " has fewer parameters than its method");
        }
        String name = template.get(i).substring(1, template.get(i).length() - 1);
        path.append(path.isEmpty() ? "" : "/").append(segment(name, value));
        return i + 1;
    }

    /** Copies the literal segments from {@code from} on; returns the index of the next parameter (or the end). */
    private static int literals(StringBuilder path, List<String> template, int from) {
        int i = from;
        while (i < template.size() && !template.get(i).startsWith("{")) {
            path.append(path.isEmpty() ? "" : "/").append(template.get(i++));
        }
        return i;
    }

    /** {@code value} as one path segment: every byte but RFC 3986's unreserved characters percent-encoded. */
    static String segment(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        if (value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(name + " must not be '" + value + "'");
        }
        return encode(value);
    }

    static String encode(String value) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** The query parameters a {@link Query} record names: its non-null components, by name. */
    static Map<String, String> parameters(Query q) {
        if (!q.getClass().isRecord()) {
            throw new IllegalStateException(q.getClass() + " is not a record");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : q.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(q);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + q, e);
            }
            if (v != null) {
                out.put(c.getName(), v instanceof Enum<?> e ? e.name() : v instanceof TemporalAccessor ? v.toString() : String.valueOf(v));
            }
        }
        return out;
    }

    /** The names of the query parameters a {@link Query} type can send. */
    static List<String> parameterNames(Class<?> queryType) {
        return List.of(queryType.getRecordComponents()).stream().map(RecordComponent::getName).toList();
    }

    /** The path and query string, relative to {@code /api/v1/}. */
    String target() {
        return query.isEmpty() ? path : path + "?" + query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static Object require(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
