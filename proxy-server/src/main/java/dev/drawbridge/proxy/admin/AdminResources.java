package dev.drawbridge.proxy.admin;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource objects the route table's handlers run on ({@code AppsApi}, {@code UsersApi}, ...), one per class,
 * built by the composition root. {@link AdminApiHandler} checks at start that every route's resource is here.
 */
public final class AdminResources {
    private final Map<Class<?>, Object> byType = new LinkedHashMap<>();

    private AdminResources(List<Object> resources) {
        for (Object r : resources) {
            if (byType.put(r.getClass(), r) != null) {
                throw new IllegalArgumentException("two resources of class " + r.getClass().getName());
            }
        }
    }

    public static AdminResources of(Object... resources) {
        return new AdminResources(List.of(resources));
    }

    <R> R get(Class<R> type) {
        Object r = byType.get(type);
        if (r == null) {
            throw new IllegalStateException("no admin API resource " + type.getName());
        }
        return type.cast(r);
    }

    /** Fails (naming them) unless every route's resource is here. */
    void requireAll(Collection<AdminRoutes.Route> routes) {
        List<String> missing = routes.stream().map(r -> r.handler().resource())
                .filter(t -> !byType.containsKey(t)).map(Class::getName).distinct().toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("admin API resources missing: " + missing);
        }
    }
}
