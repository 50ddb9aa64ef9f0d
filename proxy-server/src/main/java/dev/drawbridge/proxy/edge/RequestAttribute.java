package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.server.Request;

import java.util.Objects;
import java.util.Optional;

/**
 * A typed request attribute: how one handler of the {@link PublicChain} hands what it found (the routed app, the
 * authenticated caller) to the handlers after it. One key per type; a handler that needs a value an earlier handler
 * should have set fails loudly when the chain is assembled wrongly.
 */
public final class RequestAttribute<T> {
    private final String name;
    private final Class<T> type;

    private RequestAttribute(Class<T> type) {
        this.type = type;
        this.name = type.getName();
    }

    public static <T> RequestAttribute<T> of(Class<T> type) {
        return new RequestAttribute<>(type);
    }

    public void set(Request request, T value) {
        request.setAttribute(name, Objects.requireNonNull(value));
    }

    public Optional<T> find(Request request) {
        Object v = request.getAttribute(name);
        return type.isInstance(v) ? Optional.of(type.cast(v)) : Optional.empty();
    }

    /** The value an earlier handler set; throws when none did (a handler is missing from the chain). */
    public T get(Request request) {
        return find(request).orElseThrow(() -> new IllegalStateException(
                "no " + type.getSimpleName() + " on the request: the handler that sets it is missing from the chain"));
    }
}
